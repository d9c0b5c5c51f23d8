using DanVanKheo.Api.Audit;
using DanVanKheo.Api.Live;
using Microsoft.Extensions.Options;
using MongoDB.Driver;

namespace DanVanKheo.Api.Storage.Mongo;

/// <summary>
/// MongoDB's feed: every instance tails the audit collection by its unique OrderKey (timestamp
/// ticks, then id) with a poll loop. An event's timestamp is taken when its mutation starts and it
/// commits a little later, so only events older than <see cref="LiveOptions.MongoSettle"/> are
/// read: every instance then reads the same events in the same order, and a cursor (an OrderKey)
/// resumes exactly. Change streams are the production option where the server has them.
/// </summary>
public sealed class MongoAuditFeed(MongoContext db, IOptions<LiveOptions> options, TimeProvider time) : IAuditFeed
{
    static MongoAuditFeed() => MongoMappings.Register();

    private string SettledBound() =>
        AuditEvent.OrderKeyOf(time.GetUtcNow().UtcDateTime - options.Value.MongoSettle, "");

    public async Task<string> HeadAsync(CancellationToken ct)
    {
        var bound = SettledBound();
        var last = await db.AuditEvents.Find(Builders<AuditEvent>.Filter.Lt(e => e.OrderKey, bound))
            .SortByDescending(e => e.OrderKey).Limit(1).FirstOrDefaultAsync(ct);
        return last?.OrderKey ?? "";
    }

    public async Task<IReadOnlyList<FeedItem>> ReadAfterAsync(string position, int max, CancellationToken ct)
    {
        var f = Builders<AuditEvent>.Filter;
        var events = await db.AuditEvents.Find(f.Gt(e => e.OrderKey, position) & f.Lt(e => e.OrderKey, SettledBound()))
            .SortBy(e => e.OrderKey).Limit(max).ToListAsync(ct);
        return [.. events.Select(e => new FeedItem(e.OrderKey, e))];
    }

    public Task WaitAsync(string position, CancellationToken ct) => Task.Delay(options.Value.MongoPollInterval, time, ct);
}
