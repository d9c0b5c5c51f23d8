using DanVanKheo.Api.Audit;
using DanVanKheo.Api.Common;
using MongoDB.Driver;
using SortDirection = DanVanKheo.Api.Common.SortDirection;

namespace DanVanKheo.Api.Storage.Mongo;

/// <summary>
/// The audit log in MongoDB. A change and its event are one transaction
/// (<see cref="MongoContext.WriteAsync"/>); appends are serialised per stream by the unique index
/// on (Stream, Sequence): a writer that loses the race re-reads the head and retries.
/// </summary>
public sealed class MongoAuditStore(MongoContext db) : IAuditStore
{
    private const int MaxAppendAttempts = 20;

    private static FilterDefinitionBuilder<AuditEvent> F => Builders<AuditEvent>.Filter;
    private IMongoCollection<AuditEvent> Col => db.AuditEvents;

    internal async Task AppendInTransactionAsync(AuditEvent e, IClientSessionHandle session, CancellationToken ct)
    {
        var head = await Col.Find(session, F.Eq(x => x.Stream, e.Stream)).SortByDescending(x => x.Sequence).Limit(1).FirstOrDefaultAsync(ct);
        AuditChain.Link(e, head?.Sequence ?? 0, head?.Hash);
        try
        {
            await Col.InsertOneAsync(session, e, cancellationToken: ct);
        }
        catch (MongoException x) when (MongoErrors.IsDuplicateKey(x))
        {
            throw new MongoContext.Rerun("The audit stream's head moved.", x);
        }
    }

    /// <summary>A standalone event (security events): a single-document insert, chained after the head it read.</summary>
    public async Task AppendAsync(AuditEvent e, CancellationToken ct = default)
    {
        for (var attempt = 1; ; attempt++)
        {
            var head = await Col.Find(F.Eq(x => x.Stream, e.Stream)).SortByDescending(x => x.Sequence).Limit(1).FirstOrDefaultAsync(ct);
            AuditChain.Link(e, head?.Sequence ?? 0, head?.Hash);
            try
            {
                await Col.InsertOneAsync(e, cancellationToken: ct);
                return;
            }
            catch (MongoWriteException x) when (MongoErrors.IsDuplicateKey(x) && attempt < MaxAppendAttempts)
            {
                // Another writer took this sequence number: re-read the head and chain after it.
                if (await Col.Find(F.Eq(x2 => x2.Id, e.Id)).AnyAsync(ct)) return;
            }
        }
    }

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

    public async Task<IReadOnlyList<AuditEvent>> GetStreamAsync(string stream, long fromSequence, int limit, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        return await Col.Find(F.Eq(e => e.Stream, stream) & F.Gte(e => e.Sequence, fromSequence)).SortBy(e => e.Sequence).Limit(limit).ToListAsync(ct);
    }

    /// <summary>
    /// Stream names in ordinal order, read through each stream's first event (index ix_stream_heads)
    /// a page at a time rather than one <c>distinct</c>, whose single reply stops at 16 MB.
    /// </summary>
    public async Task<IReadOnlyList<string>> ListStreamsAsync(string? after, int limit, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var filter = F.Eq(e => e.Sequence, 1);
        if (after is not null) filter &= F.Gt(e => e.Stream, after);
        var heads = await Col.Find(filter).Project(Builders<AuditEvent>.Projection.Include(e => e.Stream))
            .SortBy(e => e.Stream).Limit(limit).ToListAsync(ct);
        return heads.Select(h => h[nameof(AuditEvent.Stream)].AsString).ToList();
    }
}
