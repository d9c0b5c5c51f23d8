using DanVanKheo.Api.Audit;
using DanVanKheo.Api.Common;
using LiteDB;

namespace DanVanKheo.Api.Storage.LiteDb;

/// <summary>
/// The audit log in the LiteDB file. A change and its event are written in one LiteDB
/// transaction under the write gate (<see cref="Record"/> is called by the other adapters from
/// inside their transaction), so both commit or neither does; the gate also serialises every
/// stream's chain.
/// </summary>
public sealed class LiteDbAuditStore(LiteDbContext db) : IAuditStore
{
    /// <summary>Chains and inserts <paramref name="scope"/>'s event (none when null) for <paramref name="targets"/>. Call inside <see cref="LiteDbContext.InTransaction{T}"/>.</summary>
    internal static void Record(LiteDbContext db, AuditScope? scope, params AuditTarget[] targets)
    {
        if (scope is null) return;
        Append(db, scope.Event(targets));
        // Counted once stored: a group commit may run this write again after another one failed.
        db.AfterCommit(scope.Committed);
    }

    private static void Append(LiteDbContext db, AuditEvent e)
    {
        if (!db.WriteGate.IsHeldByCurrentThread)
            throw new InvalidOperationException("Audit events are appended inside LiteDbContext.InTransaction only.");
        var head = db.AuditHeads.FindById(e.Stream);
        AuditChain.Link(e, head is null ? 0 : head["Sequence"].AsInt64, head?["Hash"].AsString);
        db.AuditEvents.Insert(e);
        LiteDbAuditFeed.Number(db, e);
        db.AuditHeads.Upsert(new BsonDocument { ["_id"] = e.Stream, ["Sequence"] = e.Sequence, ["Hash"] = e.Hash });
    }

    public Task AppendAsync(AuditEvent e, CancellationToken ct = default)
    {
        db.InTransaction(() =>
        {
            Append(db, e);
            return true;
        });
        return Task.CompletedTask;
    }

    public Task<Page<AuditEvent>> FindAsync(AuditFilter filter, PageRequest page, CancellationToken ct = default)
    {
        var f = new List<BsonExpression>();
        if (filter.TargetId is not null) f.Add(BsonExpression.Create("$.TargetIds[*] ANY = @0", new BsonValue(filter.TargetId)));
        if (filter.ActorId is not null) f.Add(Query.EQ("ActorId", filter.ActorId));
        if (filter.UnitId is not null) f.Add(Query.EQ("UnitId", filter.UnitId));
        if (filter.Action is not null) f.Add(Query.EQ("Action", filter.Action));
        if (filter.Kind is { } kind) f.Add(Query.EQ("Kind", kind.ToString()));
        // OrderKey starts with the timestamp's ticks, so a time range is a range of the unique index.
        if (filter.From is { } from) f.Add(Query.GTE("OrderKey", AuditEvent.OrderKeyOf(from, "")));
        if (filter.To is { } to) f.Add(Query.LT("OrderKey", AuditEvent.OrderKeyOf(to, "")));
        return Task.FromResult(LiteDbQuery.Run(db.AuditEvents, f, "$.OrderKey", SortDirection.Desc, page));
    }

    public Task<IReadOnlyList<AuditEvent>> GetStreamAsync(string stream, long fromSequence, int limit, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        return Task.FromResult<IReadOnlyList<AuditEvent>>(db.AuditEvents.Query()
            .Where(Query.And(Query.EQ("Stream", stream), Query.GTE("Sequence", fromSequence)))
            .OrderBy(e => e.Sequence).Limit(limit).ToList());
    }

    /// <summary>From the per-stream heads, by name (LiteDB's collation; the same order for the filter and the sort).</summary>
    public Task<IReadOnlyList<string>> ListStreamsAsync(string? after, int limit, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var q = db.AuditHeads.Query();
        if (after is not null) q = q.Where(Query.GT("_id", after));
        return Task.FromResult<IReadOnlyList<string>>(q.OrderBy("_id").Select("{ _id }").Limit(limit).ToList().Select(d => d["_id"].AsString).ToList());
    }
}
