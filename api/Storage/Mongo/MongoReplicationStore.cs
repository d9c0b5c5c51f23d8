using DanVanKheo.Api.Common;
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

    public MongoReplicationStore(IMongoDatabase database)
    {
        RegisterClassMaps();
        _database = database;
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

    public async Task InsertAsync(Replication replication, CancellationToken ct = default)
    {
        await Ready();
        await ReplicationMongoErrors.TranslateAsync(() => Collection.InsertOneAsync(replication, cancellationToken: ct));
    }

    public async Task InsertManyAsync(IReadOnlyList<Replication> replications, CancellationToken ct = default)
    {
        if (replications.Count == 0) return;
        await Ready();
        await ReplicationMongoErrors.TranslateAsync(() => Collection.InsertManyAsync(replications, new InsertManyOptions { IsOrdered = true }, ct));
    }

    public async Task<bool> ReplaceAllAsync(IReadOnlyList<Replication> replications, CancellationToken ct = default)
    {
        await Ready();
        using var session = await _database.Client.StartSessionAsync(cancellationToken: ct);
        try
        {
            return await ReplicationMongoErrors.TranslateAsync(() => session.WithTransactionAsync(async (s, token) =>
            {
                foreach (var r in replications)
                {
                    var result = await Collection.ReplaceOneAsync(s, F.Eq(x => x.Id, r.Id) & F.Eq(x => x.Version, r.Version - 1), r, cancellationToken: token);
                    if (result.MatchedCount == 0) throw new VersionMismatch();
                }
                return true;
            }, cancellationToken: ct));
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
