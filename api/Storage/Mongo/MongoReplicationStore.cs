using DanVanKheo.Api.Audit;
using DanVanKheo.Api.Common;
using DanVanKheo.Api.Entries;
using DanVanKheo.Api.Replications;
using MongoDB.Bson;
using MongoDB.Driver;

namespace DanVanKheo.Api.Storage.Mongo;

/// <summary>Replications in MongoDB; every change (with its linked entry) is one transaction with its audit event.</summary>
public sealed class MongoReplicationStore(MongoContext db) : IReplicationStore
{
    private const string DuplicateMessage = "An active replication of this model by this unit exists, or the derived entry is linked already.";

    public IMongoCollection<Replication> Collection => db.Replications;

    private static FilterDefinitionBuilder<Replication> F => Builders<Replication>.Filter;

    public static FilterDefinition<Replication> DescendantsFilter(string entryId) => F.AnyEq(r => r.Path, entryId);

    public static FilterDefinition<Replication> DerivedFilter(IEnumerable<string> entryIds) => F.In(r => r.DerivedKey, entryIds);

    public static FilterDefinition<Replication> AdoptedUnderFilter(IEnumerable<string> unitIds, string? afterId = null) =>
        afterId is null ? F.AnyIn(r => r.AdoptingUnitLineage, unitIds) : F.AnyIn(r => r.AdoptingUnitLineage, unitIds) & F.Gt(r => r.Id, afterId);

    public static FilterDefinition<Replication> FindFilter(ReplicationFilter filter)
    {
        var parts = new List<FilterDefinition<Replication>>();
        if (filter.SourceEntryId is not null) parts.Add(F.Eq(r => r.SourceEntryId, filter.SourceEntryId));
        if (filter.AdoptingUnitSubtree is not null) parts.Add(F.AnyEq(r => r.AdoptingUnitLineage, filter.AdoptingUnitSubtree));
        if (filter.Status is { } s) parts.Add(F.Eq(r => r.Status, s));
        return parts.Count == 0 ? F.Empty : F.And(parts);
    }

    /// <summary>$match → $group by source entry → $sort → $limit: the ranking never leaves the server (distinct units are counted from the kept rows).</summary>
    public static BsonDocument[] LeaderboardPipeline(LeaderboardFilter filter, int limit)
    {
        var match = new BsonDocument("Status", new BsonDocument("$ne", nameof(ReplicationStatus.Discontinued)));
        if (filter.SourceUnitSubtree is not null) match["SourceUnitLineage"] = filter.SourceUnitSubtree;
        if (filter.Year is { } y) match["Year"] = y;
        if (filter.FieldId is not null) match["SourceFieldId"] = filter.FieldId;
        return
        [
            new("$match", match),
            new("$group", new BsonDocument
            {
                ["_id"] = "$SourceEntryId",
                ["n"] = new BsonDocument("$sum", 1),
                ["units"] = new BsonDocument("$addToSet", "$AdoptingUnitId"),
            }),
            new("$sort", new BsonDocument { ["n"] = -1, ["_id"] = 1 }),
            new("$limit", limit),
        ];
    }

    private static AuditTarget Target(Replication? before, Replication after) =>
        new(AuditTargetTypes.Replication, after.Id, after.AdoptingUnitId, before, after);

    private static AuditTarget EntryTarget((Entry Before, Entry After) l) =>
        new(AuditTargetTypes.Entry, l.After.Id, l.After.UnitId, l.Before, l.After);

    /// <summary>Applies the linked entry's change to the entry as stored in the transaction's snapshot and writes it.</summary>
    private async Task<(Entry Before, Entry After)?> WriteLinkAsync(LinkedEntryChange? linked, IClientSessionHandle s, CancellationToken ct)
    {
        if (linked is null) return null;
        var entry = await db.Entries.Find(s, Builders<Entry>.Filter.Eq(e => e.Id, linked.EntryId)).FirstOrDefaultAsync(ct);
        if (entry is null) return null;
        var before = MongoQuery.Clone(entry);
        if (!linked.Apply(entry)) return null;
        if (!await MongoEntryWrites.ReplaceAsync(db, s, before, entry, ct))
            throw new ConcurrencyConflictException(new(Messages.EntryChangedMeanwhileReloadRetry, EntryRules.Label(entry)));
        return (before, entry);
    }

    public Task InsertAsync(Replication replication, LinkedEntryChange? linked, AuditScope? audit, CancellationToken ct = default)
    {
        (Entry Before, Entry After)? link = null;
        return MongoErrors.TranslateAsync(() => db.WriteAsync(audit,
            () => [Target(null, replication), .. link is { } l ? [EntryTarget(l)] : Array.Empty<AuditTarget>()],
            async (s, token) =>
            {
                link = await WriteLinkAsync(linked, s, token);
                await Collection.InsertOneAsync(s, replication, cancellationToken: token);
            }, ct), DuplicateMessage);
    }

    public Task InsertManyAsync(IReadOnlyList<Replication> replications, CancellationToken ct = default) =>
        replications.Count == 0 ? Task.CompletedTask
            : MongoErrors.TranslateAsync(() => Collection.InsertManyAsync(replications, new InsertManyOptions { IsOrdered = true }, ct), DuplicateMessage);

    public Task<bool> ReplaceAllAsync(IReadOnlyList<Replication> replications, LinkedEntryChange? linked, AuditScope? audit, CancellationToken ct = default)
    {
        if (replications.Count == 0) return Task.FromResult(true);
        Dictionary<string, Replication> stored = [];
        (Entry Before, Entry After)? link = null;
        return MongoErrors.TranslateAsync(() => db.WriteAsync(audit,
            () => [.. replications.Select(r => Target(stored.GetValueOrDefault(r.Id), r)), .. link is { } l ? [EntryTarget(l)] : Array.Empty<AuditTarget>()],
            async (s, token) =>
            {
                stored = (await Collection.Find(s, F.In(r => r.Id, replications.Select(r => r.Id))).ToListAsync(token)).ToDictionary(r => r.Id);
                if (replications.Any(r => !stored.TryGetValue(r.Id, out var x) || x.Version != r.Version - 1)) return false;
                link = await WriteLinkAsync(linked, s, token);
                foreach (var r in replications)
                    if ((await Collection.ReplaceOneAsync(s, F.Eq(x => x.Id, r.Id) & F.Eq(x => x.Version, r.Version - 1), r, cancellationToken: token)).MatchedCount == 0)
                        return false;
                return true;
            }, ct), DuplicateMessage);
    }

    public async Task<IReadOnlyList<Replication>> GetByIdsAsync(IReadOnlyCollection<string> ids, CancellationToken ct = default) =>
        ids.Count == 0 ? [] : await Collection.Find(F.In(r => r.Id, ids.Distinct())).ToListAsync(ct);

    public async Task<IReadOnlyList<Replication>> GetByDerivedEntryIdsAsync(IReadOnlyCollection<string> entryIds, CancellationToken ct = default) =>
        entryIds.Count == 0 ? [] : await Collection.Find(DerivedFilter(entryIds.Distinct())).ToListAsync(ct);

    public async Task<IReadOnlyList<Replication>> GetDescendantsAsync(string entryId, CancellationToken ct = default) =>
        await Collection.Find(DescendantsFilter(entryId)).ToListAsync(ct);

    public Task<Page<Replication>> FindAsync(ReplicationFilter filter, PageRequest page, CancellationToken ct = default) =>
        MongoQuery.PageByIdAsync(Collection, FindFilter(filter), Common.SortDirection.Asc, page, ct);

    public async Task<IReadOnlyList<LeaderboardRow>> MostReplicatedAsync(LeaderboardFilter filter, int limit, CancellationToken ct = default)
    {
        var docs = await db.Collection<BsonDocument>(MongoCollections.Replications)
            .Aggregate<BsonDocument>(LeaderboardPipeline(filter, limit), cancellationToken: ct).ToListAsync(ct);
        return docs.Select(d => new LeaderboardRow(d["_id"].AsString, d["n"].ToInt32(), d["units"].AsBsonArray.Count)).ToList();
    }

    /// <summary>One page of a subtree's replications, walked along ix_adopting_lineage_id {AdoptingUnitLineage, _id}.</summary>
    public async Task<IReadOnlyList<Replication>> FindAdoptedUnderAsync(IReadOnlyCollection<string> unitIds, string? afterId, int limit,
        CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        if (unitIds.Count == 0) return [];
        return await Collection.Find(AdoptedUnderFilter(unitIds.Distinct(), afterId)).SortBy(r => r.Id).Limit(limit).ToListAsync(ct);
    }
}
