using DanVanKheo.Api.Audit;
using DanVanKheo.Api.Common;
using DanVanKheo.Api.Replications;
using LiteDB;

namespace DanVanKheo.Api.Storage.LiteDb;

/// <summary>Replications in the embedded store. Mapping and indexes are set up here, not in <see cref="LiteDbContext"/>.</summary>
public sealed class LiteDbReplicationStore : IReplicationStore
{
    public const string CollectionName = "replications";
    private readonly LiteDbContext _db;

    public LiteDbReplicationStore(LiteDbContext db)
    {
        // Stores are built lazily, possibly on two threads at once: LiteDB's mapper and collection list
        // are not safe to change concurrently, so building one takes the write gate.
        lock (db.WriteGate)
        {
            _db = db;
            db.Database.Mapper.Entity<Replication>().Id(r => r.Id, autoId: false).Ignore(r => r.Generation).Ignore(r => r.IsActive);
            Col.EnsureIndex("ux_active", "$.ActiveKey", unique: true);
            Col.EnsureIndex("ux_derived", "$.DerivedKey", unique: true);
            Col.EnsureIndex("ix_source", "$.SourceEntryId");
            Col.EnsureIndex("ix_path", "$.Path[*]");
            Col.EnsureIndex("ix_adopting_lineage", "$.AdoptingUnitLineage[*]");
            Col.EnsureIndex("ix_source_lineage", "$.SourceUnitLineage[*]");
            Col.EnsureIndex("ix_year", "$.Year");
        }
    }

    private ILiteCollection<Replication> Col => _db.Database.GetCollection<Replication>(CollectionName);

    public Task InsertAsync(Replication replication, LinkedEntryChange? linked, AuditScope? audit, CancellationToken ct = default)
    {
        try
        {
            _db.InTransaction(() =>
            {
                Col.Insert(replication);
                LiteDbAuditStore.Record(_db, audit, [Target(null, replication), .. Link(linked)]);
                return true;
            });
        }
        catch (LiteException e) when (LiteDbContext.IsDuplicateKey(e))
        {
            throw new DuplicateKeyException(e.Message, e);
        }
        return Task.CompletedTask;
    }

    private static AuditTarget Target(Replication? before, Replication after) =>
        new(AuditTargetTypes.Replication, after.Id, after.AdoptingUnitId, before, after);

    /// <summary>Applies the linked entry change inside the caller's transaction; the audit target it makes, if any.</summary>
    private IEnumerable<AuditTarget> Link(LinkedEntryChange? linked)
    {
        if (linked is null) return [];
        var before = _db.Entries.FindById(linked.EntryId);
        var entry = _db.Entries.FindById(linked.EntryId);
        if (entry is null || !linked.Apply(entry)) return [];
        _db.Entries.Update(entry);
        _db.WriteEntryKeys([entry], inserted: false);
        return [new AuditTarget(AuditTargetTypes.Entry, entry.Id, entry.UnitId, before, entry)];
    }

    public Task InsertManyAsync(IReadOnlyList<Replication> replications, CancellationToken ct = default)
    {
        try
        {
            _db.InTransaction(() => Col.InsertBulk(replications, batchSize: 5000));
        }
        catch (LiteException e) when (LiteDbContext.IsDuplicateKey(e))
        {
            throw new DuplicateKeyException(e.Message, e);
        }
        return Task.CompletedTask;
    }

    public Task<bool> ReplaceAllAsync(IReadOnlyList<Replication> replications, LinkedEntryChange? linked, AuditScope? audit, CancellationToken ct = default)
    {
        try
        {
            return Task.FromResult(_db.InTransaction(() =>
            {
                var targets = new List<AuditTarget>();
                foreach (var r in replications)
                {
                    var stored = Col.FindById(r.Id);
                    if (stored is null || stored.Version != r.Version - 1) throw new VersionMismatch();
                    Col.Update(r);
                    targets.Add(Target(stored, r));
                }
                if (targets.Count > 0) LiteDbAuditStore.Record(_db, audit, [.. targets, .. Link(linked)]);
                return true;
            }));
        }
        catch (VersionMismatch)
        {
            return Task.FromResult(false);
        }
        catch (LiteException e) when (LiteDbContext.IsDuplicateKey(e))
        {
            throw new DuplicateKeyException(e.Message, e);
        }
    }

    public Task<IReadOnlyList<Replication>> GetByIdsAsync(IReadOnlyCollection<string> ids, CancellationToken ct = default) =>
        Task.FromResult(In("_id", ids));

    public Task<IReadOnlyList<Replication>> GetByDerivedEntryIdsAsync(IReadOnlyCollection<string> entryIds, CancellationToken ct = default) =>
        Task.FromResult(In("DerivedKey", entryIds));

    public Task<IReadOnlyList<Replication>> GetDescendantsAsync(string entryId, CancellationToken ct = default) =>
        Task.FromResult<IReadOnlyList<Replication>>(Col.Find(Query.EQ("Path[*] ANY", entryId)).ToList());

    public Task<Page<Replication>> FindAsync(ReplicationFilter filter, PageRequest page, CancellationToken ct = default)
    {
        var filters = new List<BsonExpression>();
        if (filter.SourceEntryId is not null) filters.Add(Query.EQ("SourceEntryId", filter.SourceEntryId));
        if (filter.AdoptingUnitSubtree is not null) filters.Add(Query.EQ("AdoptingUnitLineage[*] ANY", filter.AdoptingUnitSubtree));
        if (filter.Status is { } s) filters.Add(Query.EQ("Status", s.ToString()));
        return Task.FromResult(LiteDbQuery.Run(Col, filters, "$._id", SortDirection.Asc, page));
    }

    public Task<IReadOnlyList<LeaderboardRow>> MostReplicatedAsync(LeaderboardFilter filter, int limit, CancellationToken ct = default)
    {
        // LiteDB's GROUP BY runs in the engine over the projected documents; only two fields leave it.
        var where = new List<BsonExpression> { BsonExpression.Create("$.Status != 'Discontinued'") };
        if (filter.SourceUnitSubtree is not null) where.Insert(0, Query.EQ("SourceUnitLineage[*] ANY", filter.SourceUnitSubtree));
        if (filter.Year is { } y) where.Add(Query.EQ("Year", y));
        if (filter.FieldId is not null) where.Add(Query.EQ("SourceFieldId", filter.FieldId));
        var q = _db.Database.GetCollection(CollectionName).Query();
        foreach (var w in where) q = q.Where(w);
        var rows = q.GroupBy("$.SourceEntryId")
            .Select("{ s: @key, n: COUNT(*), u: COUNT(DISTINCT(*.AdoptingUnitId)) }")
            .ToList()
            .Select(d => new LeaderboardRow(d["s"].AsString, d["n"].AsInt32, d["u"].AsInt32))
            .OrderByDescending(r => r.Replications).ThenBy(r => r.SourceEntryId, StringComparer.Ordinal)
            .Take(limit)
            .ToList();
        return Task.FromResult<IReadOnlyList<LeaderboardRow>>(rows);
    }

    /// <summary>
    /// The ids come from the multikey index per unit (LiteDB's own order of _id is its collation, not
    /// ordinal), are paged in ordinal order like MongoDB's, and only the page's documents are read.
    /// </summary>
    public Task<IReadOnlyList<Replication>> FindAdoptedUnderAsync(IReadOnlyCollection<string> unitIds, string? afterId, int limit,
        CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        if (unitIds.Count == 0) return Task.FromResult<IReadOnlyList<Replication>>([]);
        // A report's scope lists a unit with its predecessors, whose subtrees overlap: one query over
        // the lineage index reads each replication once however many scope units it is under.
        var scope = LiteDbQuery.In("AdoptingUnitLineage[*] ANY", unitIds.Distinct().Select(i => new BsonValue(i)));
        var ids = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var d in _db.Database.GetCollection(CollectionName).Query().Where(scope).Select("{ _id }").ToEnumerable())
            if (afterId is null || string.CompareOrdinal(d["_id"].AsString, afterId) > 0) ids.Add(d["_id"].AsString);
        var page = ids.Take(limit).ToList();
        return Task.FromResult<IReadOnlyList<Replication>>(In("_id", page).OrderBy(r => r.Id, StringComparer.Ordinal).ToList());
    }

    private IReadOnlyList<Replication> In(string field, IReadOnlyCollection<string> ids)
    {
        if (ids.Count == 0) return [];
        var values = new BsonArray(ids.Distinct().Select(i => new BsonValue(i)));
        return Col.Find(Query.In(field, values)).ToList();
    }

    private sealed class VersionMismatch : Exception;
}
