using DanVanKheo.Api.Audit;
using DanVanKheo.Api.Common;
using DanVanKheo.Api.Entries;
using DanVanKheo.Api.Replications;
using MongoDB.Bson;
using MongoDB.Bson.Serialization;
using MongoDB.Bson.Serialization.Serializers;
using MongoDB.Driver;

namespace DanVanKheo.Api.Storage.Mongo;

/// <summary>
/// Replications in MongoDB. Class maps are registered here (idempotently); indexes are created on
/// first use, so the adapter can be built (and its filters rendered) without a server.
/// Multi-document replaces use a transaction: the deployment must be a replica set.
/// </summary>
public sealed class MongoReplicationStore : IReplicationStore
{
    public const string CollectionName = "replications";
    private readonly IMongoDatabase _database;
    private readonly Lazy<Task> _indexes;
    private readonly MongoAuditStore? _audit;
    private readonly IMongoCollection<Entry> _entries;

    /// <param name="audit">The audit writer of the same database (from DI); without it writes are not audited.</param>
    public MongoReplicationStore(IMongoDatabase database, MongoAuditStore? audit = null)
    {
        RegisterClassMaps();
        MongoMappings.Register();
        _database = database;
        _audit = audit;
        _entries = database.GetCollection<Entry>("entries");
        Collection = database.GetCollection<Replication>(CollectionName);
        _indexes = new Lazy<Task>(() => Collection.Indexes.CreateManyAsync(IndexModels()));
    }

    public IMongoCollection<Replication> Collection { get; }

    public static void RegisterClassMaps()
    {
        BsonClassMap.TryRegisterClassMap<ReplicationOutcome>(cm =>
        {
            cm.AutoMap();
            cm.SetIgnoreExtraElements(true);
        });
        BsonClassMap.TryRegisterClassMap<Replication>(cm =>
        {
            cm.AutoMap();
            cm.SetIgnoreExtraElements(true);
            cm.MapIdMember(r => r.Id);
            cm.MapMember(r => r.Status).SetSerializer(new EnumSerializer<ReplicationStatus>(BsonType.String));
            cm.MapMember(r => r.PlannedOn).SetSerializer(ReplicationMongoDates.Serializer);
            cm.MapMember(r => r.StartedOn).SetSerializer(ReplicationMongoDates.Nullable);
            cm.MapMember(r => r.SustainedOn).SetSerializer(ReplicationMongoDates.Nullable);
            cm.MapMember(r => r.DiscontinuedOn).SetSerializer(ReplicationMongoDates.Nullable);
        });
    }

    public static IReadOnlyList<CreateIndexModel<Replication>> IndexModels()
    {
        var k = Builders<Replication>.IndexKeys;
        return
        [
            new(k.Ascending(r => r.ActiveKey), new CreateIndexOptions { Name = "ux_active", Unique = true }),
            new(k.Ascending(r => r.DerivedKey), new CreateIndexOptions { Name = "ux_derived", Unique = true }),
            new(k.Ascending(r => r.SourceEntryId), new CreateIndexOptions { Name = "ix_source" }),
            new(k.Ascending(r => r.Path), new CreateIndexOptions { Name = "ix_path" }),
            new(k.Ascending(r => r.AdoptingUnitLineage), new CreateIndexOptions { Name = "ix_adopting_lineage" }),
            new(k.Ascending(r => r.SourceUnitLineage).Ascending(r => r.Year), new CreateIndexOptions { Name = "ix_source_lineage_year" }),
        ];
    }

    private static FilterDefinitionBuilder<Replication> F => Builders<Replication>.Filter;

    public static FilterDefinition<Replication> DescendantsFilter(string entryId) => F.AnyEq(r => r.Path, entryId);

    public static FilterDefinition<Replication> DerivedFilter(IEnumerable<string> entryIds) => F.In(r => r.DerivedKey, entryIds);

    public static FilterDefinition<Replication> AdoptedUnderFilter(IEnumerable<string> unitIds) => F.AnyIn(r => r.AdoptingUnitLineage, unitIds);

    public static FilterDefinition<Replication> FindFilter(ReplicationFilter filter)
    {
        var parts = new List<FilterDefinition<Replication>>();
        if (filter.SourceEntryId is not null) parts.Add(F.Eq(r => r.SourceEntryId, filter.SourceEntryId));
        if (filter.AdoptingUnitSubtree is not null) parts.Add(F.AnyEq(r => r.AdoptingUnitLineage, filter.AdoptingUnitSubtree));
        if (filter.Status is { } s) parts.Add(F.Eq(r => r.Status, s));
        return parts.Count == 0 ? F.Empty : F.And(parts);
    }

    /// <summary>$match → $group by source entry → $sort → $limit: the ranking never leaves the server.</summary>
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
            new("$project", new BsonDocument { ["n"] = 1, ["u"] = new BsonDocument("$size", "$units") }),
            new("$sort", new BsonDocument { ["n"] = -1, ["_id"] = 1 }),
            new("$limit", limit),
        ];
    }

    private Task Ready() => _indexes.Value;

    private static AuditTarget Target(Replication? before, Replication after) =>
        new(AuditTargetTypes.Replication, after.Id, after.AdoptingUnitId, before, after);

    /// <summary>The linked entry as stored and as changed (null when it needs no change).</summary>
    private async Task<(Entry Before, Entry After)?> LinkAsync(LinkedEntryChange? linked, CancellationToken ct)
    {
        if (linked is null) return null;
        var entry = await _entries.Find(Builders<Entry>.Filter.Eq(e => e.Id, linked.EntryId)).FirstOrDefaultAsync(ct);
        if (entry is null) return null;
        var before = MongoAuditedWrites.Clone(entry);
        return linked.Apply(entry) ? (before, entry) : null;
    }

    private async Task WriteLinkAsync((Entry Before, Entry After)? link, IClientSessionHandle? session, CancellationToken ct)
    {
        if (link is not { } l) return;
        if (session is null && _audit is not null) await _audit.DrainDocumentAsync("entries", l.After.Id, ct);
        if (!await MongoAuditedWrites.ReplaceOneAsync(_entries, l.After.Id, l.Before.Version, l.After, session, null, ct))
            throw new ConcurrencyConflictException($"Entry {l.After.Code} changed meanwhile. Reload it and retry.");
    }

    public async Task InsertAsync(Replication replication, LinkedEntryChange? linked, AuditScope? audit, CancellationToken ct = default)
    {
        await Ready();
        var link = await LinkAsync(linked, ct);
        await ReplicationMongoErrors.TranslateAsync(() => MongoAuditedWrites.WriteAsync(_audit, audit, CollectionName, replication.Id,
            () => [Target(null, replication), .. link is { } l ? [RoundsAuditEntry(l)] : Array.Empty<AuditTarget>()],
            async (session, outbox) =>
            {
                // Without transactions the entry goes first, the replication (carrying the event) last.
                await WriteLinkAsync(link, session, ct);
                await MongoAuditedWrites.InsertOneAsync(Collection, replication, session, outbox, ct);
                return true;
            }, ct));
    }

    private static AuditTarget RoundsAuditEntry((Entry Before, Entry After) l) =>
        new(AuditTargetTypes.Entry, l.After.Id, l.After.UnitId, l.Before, l.After);

    public async Task InsertManyAsync(IReadOnlyList<Replication> replications, CancellationToken ct = default)
    {
        if (replications.Count == 0) return;
        await Ready();
        await ReplicationMongoErrors.TranslateAsync(() => Collection.InsertManyAsync(replications, new InsertManyOptions { IsOrdered = true }, ct));
    }

    public async Task<bool> ReplaceAllAsync(IReadOnlyList<Replication> replications, LinkedEntryChange? linked, AuditScope? audit, CancellationToken ct = default)
    {
        if (replications.Count == 0) return true;
        await Ready();
        var audited = _audit is not null && audit is not null;
        Dictionary<string, Replication> stored = [];
        if (audited)
        {
            stored = (await GetByIdsAsync([.. replications.Select(r => r.Id)], ct)).ToDictionary(r => r.Id);
            if (replications.Any(r => !stored.TryGetValue(r.Id, out var s) || s.Version != r.Version - 1)) return false;
        }
        var link = await LinkAsync(linked, ct);
        AuditTarget[] Targets() =>
            [.. replications.Select(r => Target(stored.GetValueOrDefault(r.Id), r)), .. link is { } l ? [RoundsAuditEntry(l)] : Array.Empty<AuditTarget>()];
        async Task<bool> Write(IClientSessionHandle? s, BsonArray? outbox)
        {
            await WriteLinkAsync(link, s, ct);
            for (var i = 0; i < replications.Count; i++)
            {
                var r = replications[i];
                // Without transactions (outbox set) the event rides in the last replication written.
                if (!await MongoAuditedWrites.ReplaceOneAsync(Collection, r.Id, r.Version - 1, r, s, i == replications.Count - 1 ? outbox : null, ct))
                    throw new VersionMismatch();
            }
            return true;
        }
        try
        {
            // Audited: the audit writer runs the replaces and the event in one transaction (replica set), or, on a
            // standalone server, one by one with the event in the last one's outbox (versions were checked above).
            if (audited)
                return await ReplicationMongoErrors.TranslateAsync(() =>
                    MongoAuditedWrites.WriteAsync(_audit, audit, CollectionName, replications[^1].Id, Targets, Write, ct));
            using var session = await _database.Client.StartSessionAsync(cancellationToken: ct);
            return await ReplicationMongoErrors.TranslateAsync(() => session.WithTransactionAsync((s, _) => Write(s, null), cancellationToken: ct));
        }
        catch (VersionMismatch)
        {
            return false;
        }
    }

    public async Task<IReadOnlyList<Replication>> GetByIdsAsync(IReadOnlyCollection<string> ids, CancellationToken ct = default) =>
        ids.Count == 0 ? [] : await Collection.Find(F.In(r => r.Id, ids.Distinct())).ToListAsync(ct);

    public async Task<IReadOnlyList<Replication>> GetByDerivedEntryIdsAsync(IReadOnlyCollection<string> entryIds, CancellationToken ct = default) =>
        entryIds.Count == 0 ? [] : await Collection.Find(DerivedFilter(entryIds.Distinct())).ToListAsync(ct);

    public async Task<IReadOnlyList<Replication>> GetDescendantsAsync(string entryId, CancellationToken ct = default) =>
        await Collection.Find(DescendantsFilter(entryId)).ToListAsync(ct);

    public async Task<Page<Replication>> FindAsync(ReplicationFilter filter, PageRequest page, CancellationToken ct = default)
    {
        var where = FindFilter(filter);
        var total = await Collection.CountDocumentsAsync(where, cancellationToken: ct);
        var plan = KeysetPlan.For(Common.SortDirection.Asc, page);
        var paged = where;
        if (plan.GreaterThan is not null) paged &= F.Gt(r => r.Id, plan.GreaterThan);
        if (plan.LessThan is not null) paged &= F.Lt(r => r.Id, plan.LessThan);
        var sort = plan.ReadAscending ? Builders<Replication>.Sort.Ascending(r => r.Id) : Builders<Replication>.Sort.Descending(r => r.Id);
        var rows = await Collection.Find(paged).Sort(sort).Limit(plan.Take).ToListAsync(ct);
        return plan.ToPage(rows, page, total);
    }

    public async Task<IReadOnlyList<LeaderboardRow>> MostReplicatedAsync(LeaderboardFilter filter, int limit, CancellationToken ct = default)
    {
        var docs = await _database.GetCollection<BsonDocument>(CollectionName)
            .Aggregate<BsonDocument>(LeaderboardPipeline(filter, limit), cancellationToken: ct).ToListAsync(ct);
        return docs.Select(d => new LeaderboardRow(d["_id"].AsString, d["n"].ToInt32(), d["u"].ToInt32())).ToList();
    }

    public async Task<IReadOnlyList<Replication>> FindAdoptedUnderAsync(IReadOnlyCollection<string> unitIds, CancellationToken ct = default) =>
        unitIds.Count == 0 ? [] : await Collection.Find(AdoptedUnderFilter(unitIds.Distinct())).ToListAsync(ct);

    private sealed class VersionMismatch : Exception;
}

/// <summary>DateOnly as "yyyy-MM-dd" strings, as the embedded store keeps them (sortable, readable).</summary>
public static class ReplicationMongoDates
{
    public static readonly IBsonSerializer<DateOnly> Serializer = new DateOnlySerializer(BsonType.String);
    public static readonly IBsonSerializer<DateOnly?> Nullable = new NullableSerializer<DateOnly>(Serializer);
}

public static class ReplicationMongoErrors
{
    public static bool IsDuplicateKey(Exception e) => e switch
    {
        MongoWriteException w => w.WriteError?.Category == ServerErrorCategory.DuplicateKey,
        MongoBulkWriteException b => b.WriteErrors.Any(x => x.Category == ServerErrorCategory.DuplicateKey),
        MongoCommandException c => c.Code == 11000,
        _ => false,
    };

    public static async Task TranslateAsync(Func<Task> work)
    {
        try
        {
            await work();
        }
        catch (Exception e) when (IsDuplicateKey(e))
        {
            throw new DuplicateKeyException(e.Message, e);
        }
    }

    public static async Task<T> TranslateAsync<T>(Func<Task<T>> work)
    {
        try
        {
            return await work();
        }
        catch (Exception e) when (IsDuplicateKey(e))
        {
            throw new DuplicateKeyException(e.Message, e);
        }
    }
}
