using DanVanKheo.Api.Audit;
using DanVanKheo.Api.Common;
using MongoDB.Bson;
using MongoDB.Bson.Serialization;
using MongoDB.Driver;
using Microsoft.Extensions.Options;
using SortDirection = DanVanKheo.Api.Common.SortDirection;

namespace DanVanKheo.Api.Storage.Mongo;

/// <summary>
/// The audit log in MongoDB. Appends are serialised per stream by the unique index on
/// (Stream, Sequence): a writer that loses the race re-reads the head and retries.
/// A change and its event never diverge: with transactions (replica set, Atlas) both are
/// written in one session transaction; without them (a standalone server) the pending event is
/// embedded in the changed document itself, as an outbox (<see cref="OutboxField"/>), in the
/// same single-document write, then appended and removed idempotently (by event id) right after
/// the write and by <see cref="MongoAuditOutboxDrainer"/> after a crash.
/// </summary>
public sealed class MongoAuditStore(MongoContext db) : IAuditStore
{
    public const string OutboxField = "_auditOutbox";
    private const int MaxAppendAttempts = 20;

    static MongoAuditStore() => MongoMappings.Register();

    private static FilterDefinitionBuilder<AuditEvent> F => Builders<AuditEvent>.Filter;
    private IMongoCollection<AuditEvent> Col => db.AuditEvents;

    internal static IReadOnlyList<CreateIndexModel<AuditEvent>> IndexModels()
    {
        var k = Builders<AuditEvent>.IndexKeys;
        return
        [
            new(k.Ascending(e => e.Stream).Ascending(e => e.Sequence), new CreateIndexOptions { Name = "ux_stream_seq", Unique = true }),
            new(k.Ascending(e => e.OrderKey), new CreateIndexOptions { Name = "ux_order", Unique = true }),
            new(k.Ascending(e => e.TargetIds), new CreateIndexOptions { Name = "ix_targets" }),
            new(k.Ascending(e => e.ActorId), new CreateIndexOptions { Name = "ix_actor" }),
            new(k.Ascending(e => e.UnitId), new CreateIndexOptions { Name = "ix_unit" }),
        ];
    }

    /// <summary>
    /// Runs <paramref name="write"/> and <paramref name="scope"/>'s event for it, all or nothing.
    /// <paramref name="write"/> gets the session (null without transactions) and the outbox to
    /// embed in the document it writes (null with transactions, or when nothing is audited); it
    /// returns false when its version check failed (then nothing is appended).
    /// </summary>
    internal async Task<bool> WriteAsync(AuditScope? scope, Func<AuditScope, AuditEvent> makeEvent, string collection, string documentId,
        Func<IClientSessionHandle?, BsonArray?, Task<bool>> write, CancellationToken ct)
    {
        if (scope is null) return await write(null, null);
        var e = makeEvent(scope) ?? throw new InvalidOperationException("An audited write must describe its change.");
        if (await db.SupportsTransactionsAsync(ct))
        {
            using var session = await db.Client.StartSessionAsync(cancellationToken: ct);
            var done = await session.WithTransactionAsync(async (s, token) =>
            {
                if (!await write(s, null)) return false;
                await AppendChainedAsync(e, s, token);
                return true;
            }, cancellationToken: ct);
            if (done) scope.Committed();
            return done;
        }
        await DrainDocumentAsync(collection, documentId, ct);
        if (!await write(null, Outbox(e))) return false;
        scope.Committed();
        await DrainDocumentAsync(collection, documentId, ct);
        return true;
    }

    /// <summary>The outbox array embedded in a changed document: the pending event, not yet chained.</summary>
    internal static BsonArray Outbox(AuditEvent e) => [e.ToBsonDocument()];

    internal static BsonDocument WithOutbox<T>(T document, BsonArray? outbox)
    {
        var doc = document.ToBsonDocument();
        if (outbox is not null) doc[OutboxField] = outbox;
        return doc;
    }

    /// <summary>Appends every event waiting in one document's outbox (skipping ones already appended) and removes them from it.</summary>
    internal async Task DrainDocumentAsync(string collection, string documentId, CancellationToken ct)
    {
        var col = db.Database.GetCollection<BsonDocument>(collection);
        var doc = await col.Find(Builders<BsonDocument>.Filter.Eq("_id", documentId))
            .Project(Builders<BsonDocument>.Projection.Include(OutboxField)).FirstOrDefaultAsync(ct);
        if (doc is null || !doc.TryGetValue(OutboxField, out var pending) || pending is not BsonArray items) return;
        foreach (var item in items.OfType<BsonDocument>())
        {
            var e = BsonSerializer.Deserialize<AuditEvent>(item);
            if (await Col.Find(F.Eq(x => x.Id, e.Id)).AnyAsync(ct) == false)
                await AppendChainedAsync(e, null, ct);
            await col.UpdateOneAsync(Builders<BsonDocument>.Filter.Eq("_id", documentId),
                Builders<BsonDocument>.Update.PullFilter(OutboxField, Builders<BsonDocument>.Filter.Eq("_id", e.Id)), cancellationToken: ct);
        }
    }

    /// <summary>Documents with a non-empty outbox, for the drainer.</summary>
    internal async Task<IReadOnlyList<string>> PendingDocumentIdsAsync(string collection, CancellationToken ct)
    {
        var col = db.Database.GetCollection<BsonDocument>(collection);
        var docs = await col.Find(Builders<BsonDocument>.Filter.Exists(OutboxField + ".0"))
            .Project(Builders<BsonDocument>.Projection.Include("_id")).Limit(500).ToListAsync(ct);
        return docs.Select(d => d["_id"].AsString).ToList();
    }

    private async Task AppendChainedAsync(AuditEvent e, IClientSessionHandle? session, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            var headQuery = session is null ? Col.Find(F.Eq(x => x.Stream, e.Stream)) : Col.Find(session, F.Eq(x => x.Stream, e.Stream));
            var head = await headQuery.SortByDescending(x => x.Sequence).Limit(1).FirstOrDefaultAsync(ct);
            AuditChain.Link(e, head?.Sequence ?? 0, head?.Hash);
            try
            {
                if (session is null) await Col.InsertOneAsync(e, cancellationToken: ct);
                else await Col.InsertOneAsync(session, e, cancellationToken: ct);
                return;
            }
            catch (MongoWriteException x) when (MongoContext.IsDuplicateKey(x) && session is null && attempt < MaxAppendAttempts)
            {
                // Another writer took this sequence number: re-read the head and chain after it.
                // (Inside a transaction the conflict aborts it and WithTransactionAsync retries the whole unit.)
                if (await Col.Find(F.Eq(x2 => x2.Id, e.Id)).AnyAsync(ct)) return;
            }
        }
    }

    public Task AppendAsync(AuditEvent e, CancellationToken ct = default) => AppendChainedAsync(e, null, ct);

    internal static List<FilterDefinition<AuditEvent>> Filters(AuditFilter f)
    {
        var filters = new List<FilterDefinition<AuditEvent>>();
        if (f.TargetId is not null) filters.Add(F.AnyEq(e => e.TargetIds, f.TargetId));
        if (f.ActorId is not null) filters.Add(F.Eq(e => e.ActorId, f.ActorId));
        if (f.UnitId is not null) filters.Add(F.Eq(e => e.UnitId, f.UnitId));
        if (f.Action is not null) filters.Add(F.Eq(e => e.Action, f.Action));
        if (f.Kind is { } kind) filters.Add(F.Eq(e => e.Kind, kind));
        if (f.From is { } from) filters.Add(F.Gte(e => e.OrderKey, AuditEvent.OrderKeyOf(from, "")));
        if (f.To is { } to) filters.Add(F.Lt(e => e.OrderKey, AuditEvent.OrderKeyOf(to, "")));
        return filters;
    }

    public Task<Page<AuditEvent>> FindAsync(AuditFilter filter, PageRequest page, CancellationToken ct = default) =>
        MongoQuery.RunAsync(Col, Filters(filter), nameof(AuditEvent.OrderKey), SortDirection.Desc, page, ct);

    public async Task<IReadOnlyList<AuditEvent>> GetStreamAsync(string stream, CancellationToken ct = default) =>
        await Col.Find(F.Eq(e => e.Stream, stream)).SortBy(e => e.Sequence).ToListAsync(ct);

    public async Task<IReadOnlyList<string>> ListStreamsAsync(CancellationToken ct = default)
    {
        var streams = await (await Col.DistinctAsync(e => e.Stream, F.Empty, cancellationToken: ct)).ToListAsync(ct);
        return streams.Order(StringComparer.Ordinal).ToList();
    }
}

/// <summary>Appends audit events left in outboxes (a crash between a standalone server's write and its append).</summary>
public sealed class MongoAuditOutboxDrainer(IServiceProvider services, IOptions<StorageOptions> options, ILogger<MongoAuditOutboxDrainer> logger)
    : BackgroundService
{
    internal static readonly string[] Collections =
        ["units", "entries", "councils", "rounds", "nominations", "ballots", MongoReplicationStore.CollectionName];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.UseMongo) return;
        var audit = services.GetRequiredService<MongoAuditStore>();
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(10));
        do
        {
            try
            {
                foreach (var collection in Collections)
                    foreach (var id in await audit.PendingDocumentIdsAsync(collection, stoppingToken))
                        await audit.DrainDocumentAsync(collection, id, stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Draining the audit outbox failed; will retry.");
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
