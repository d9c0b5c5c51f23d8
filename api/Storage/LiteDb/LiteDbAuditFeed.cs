using System.Globalization;
using DanVanKheo.Api.Audit;
using DanVanKheo.Api.Live;
using LiteDB;

namespace DanVanKheo.Api.Storage.LiteDb;

/// <summary>
/// The embedded store's feed: <see cref="LiteDbAuditStore"/> numbers each appended event in the
/// "audit_feed" collection inside the change's transaction, under the write gate, so numbers
/// follow commit order; the commit then signals waiting readers (never before it).
/// </summary>
public sealed class LiteDbAuditFeed : IAuditFeed
{
    private readonly LiteDbContext _db;
    private TaskCompletionSource _signal = NewSignal();

    public LiteDbAuditFeed(LiteDbContext db)
    {
        _db = db;
        db.AuditCommitted += () => Interlocked.Exchange(ref _signal, NewSignal()).TrySetResult();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    internal static string Format(long position) => position.ToString("D19", CultureInfo.InvariantCulture);

    private static long Parse(string position) =>
        position.Length == 0 ? 0 : long.Parse(position, NumberStyles.None, CultureInfo.InvariantCulture);

    public Task<string> HeadAsync(CancellationToken ct)
    {
        var last = _db.AuditFeed.FindOne(Query.All("_id", Query.Descending));
        return Task.FromResult(last is null ? "" : Format(last["_id"].AsInt64));
    }

    public Task<IReadOnlyList<FeedItem>> ReadAfterAsync(string position, int max, CancellationToken ct)
    {
        var rows = _db.AuditFeed.Find(Query.GT("_id", Parse(position)), 0, max).ToList();
        if (rows.Count == 0) return Task.FromResult<IReadOnlyList<FeedItem>>([]);
        var ids = rows.Select(r => new BsonValue(r["EventId"].AsString)).ToList();
        var events = _db.AuditEvents.Find(Query.In("_id", ids)).ToDictionary(e => e.Id, StringComparer.Ordinal);
        return Task.FromResult<IReadOnlyList<FeedItem>>(
            [.. rows.Where(r => events.ContainsKey(r["EventId"].AsString))
                .Select(r => new FeedItem(Format(r["_id"].AsInt64), events[r["EventId"].AsString]))]);
    }

    public async Task WaitAsync(string position, CancellationToken ct)
    {
        var signal = Volatile.Read(ref _signal).Task;
        // A commit between the caller's last read and taking the signal would otherwise be missed.
        if (string.CompareOrdinal(await HeadAsync(ct), position) > 0) return;
        await signal.WaitAsync(ct);
    }

    /// <summary>Numbers <paramref name="e"/> in the feed; call inside the append's transaction.</summary>
    internal static void Number(LiteDbContext db, AuditEvent e)
    {
        var last = db.AuditFeed.FindOne(Query.All("_id", Query.Descending));
        db.AuditFeed.Insert(new BsonDocument { ["_id"] = (last is null ? 0 : last["_id"].AsInt64) + 1, ["EventId"] = e.Id });
        db.AfterCommit(db.RaiseAuditCommitted);
    }
}
