using System.Text.RegularExpressions;
using DanVanKheo.Api.Audit;
using DanVanKheo.Api.Common;
using DanVanKheo.Api.Entries;
using MongoDB.Bson;
using MongoDB.Driver;

namespace DanVanKheo.Api.Storage.Mongo;

public sealed class MongoEntryStore(MongoContext db) : IEntryStore
{
    static MongoEntryStore() => MongoMappings.Register();

    private static FilterDefinitionBuilder<Entry> F => Builders<Entry>.Filter;
    private IMongoCollection<Entry> Col => db.Entries;
    private IMongoCollection<BsonDocument> Raw => db.Database.GetCollection<BsonDocument>("entries");

    internal static IReadOnlyList<CreateIndexModel<Entry>> IndexModels()
    {
        var k = Builders<Entry>.IndexKeys;
        return
        [
            new(k.Ascending(e => e.Code), new CreateIndexOptions { Name = "ux_code", Unique = true }),
            new(k.Ascending(e => e.SearchTokens), new CreateIndexOptions { Name = "ix_tokens" }),
            new(k.Ascending(e => e.UnitId), new CreateIndexOptions { Name = "ix_unit" }),
            new(k.Ascending(e => e.UnitLineage), new CreateIndexOptions { Name = "ix_lineage" }),
            new(k.Ascending(e => e.FieldId), new CreateIndexOptions { Name = "ix_field" }),
            new(k.Ascending(e => e.Status), new CreateIndexOptions { Name = "ix_status" }),
            new(k.Ascending(e => e.Year), new CreateIndexOptions { Name = "ix_year" }),
            new(k.Ascending(e => e.TitleKey), new CreateIndexOptions { Name = "ux_title_key", Unique = true }),
            new(k.Ascending(e => e.UpdatedKey), new CreateIndexOptions { Name = "ux_updated_key", Unique = true }),
            new(k.Ascending(e => e.StartKey), new CreateIndexOptions { Name = "ux_start_key", Unique = true }),
        ];
    }

    public async Task<long> ReserveSequenceAsync(int year, int count, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var filter = Builders<BsonDocument>.Filter.Eq("_id", $"entry-code-{year}");
        var update = Builders<BsonDocument>.Update.Inc("Value", (long)count);
        var options = new FindOneAndUpdateOptions<BsonDocument> { IsUpsert = true, ReturnDocument = ReturnDocument.After };
        BsonDocument counter;
        try
        {
            counter = await db.Counters.FindOneAndUpdateAsync(filter, update, options, ct);
        }
        catch (MongoException e) when (MongoContext.IsDuplicateKey(e))
        {
            // Two first-ever upserts raced and one lost the insert; the counter exists now.
            counter = await db.Counters.FindOneAndUpdateAsync(filter, update, options, ct);
        }
        return counter["Value"].ToInt64() - count + 1;
    }

    public async Task InsertAsync(Entry entry, AuditScope? audit, CancellationToken ct = default)
    {
        try
        {
            await db.Audit.WriteAsync(audit,
                scope => scope.Event(new AuditTarget(AuditTargetTypes.Entry, entry.Id, entry.UnitId, null, entry)),
                "entries", entry.Id, async (session, outbox) =>
                {
                    if (outbox is null && session is null) await Col.InsertOneAsync(entry, cancellationToken: ct);
                    else if (session is null) await Raw.InsertOneAsync(MongoAuditStore.WithOutbox(entry, outbox), cancellationToken: ct);
                    else await Col.InsertOneAsync(session, entry, cancellationToken: ct);
                    return true;
                }, ct);
        }
        catch (MongoException e) when (MongoContext.IsDuplicateKey(e))
        {
            throw MongoContext.Duplicate($"Entry code {entry.Code} already exists.", e);
        }
    }

    public async Task InsertManyAsync(IReadOnlyList<Entry> entries, CancellationToken ct = default)
    {
        if (entries.Count == 0) return;
        try
        {
            await Col.InsertManyAsync(entries, new InsertManyOptions { IsOrdered = true }, ct);
        }
        catch (MongoException e) when (MongoContext.IsDuplicateKey(e))
        {
            throw MongoContext.Duplicate("An entry code already exists.", e);
        }
    }

    public async Task<IReadOnlyList<Entry>> GetByIdsAsync(IReadOnlyCollection<string> ids, CancellationToken ct = default)
    {
        if (ids.Count == 0) return [];
        return await Col.Find(F.In(e => e.Id, ids.Distinct())).ToListAsync(ct);
    }

    public async Task<Entry?> GetByCodeAsync(string code, CancellationToken ct = default) =>
        await Col.Find(F.Eq(e => e.Code, code.Trim().ToUpperInvariant())).FirstOrDefaultAsync(ct);

    internal static FilterDefinition<BsonDocument> RawVersionFilter(string id, int expectedVersion) =>
        Builders<BsonDocument>.Filter.And(Builders<BsonDocument>.Filter.Eq("_id", id), Builders<BsonDocument>.Filter.Eq(nameof(Entry.Version), expectedVersion));

    internal static FilterDefinition<Entry> VersionFilter(string id, int expectedVersion) =>
        F.And(F.Eq(e => e.Id, id), F.Eq(e => e.Version, expectedVersion));

    public async Task<bool> ReplaceAsync(Entry entry, int expectedVersion, AuditScope? audit, CancellationToken ct = default)
    {
        try
        {
            // The state being replaced, for the audit event's "before" (the version filter below guarantees it is still current).
            var stored = audit is null ? null : (await GetByIdsAsync([entry.Id], ct)).FirstOrDefault();
            if (audit is not null && stored?.Version != expectedVersion) return false;
            return await db.Audit.WriteAsync(audit,
                scope => scope.Event(new AuditTarget(AuditTargetTypes.Entry, entry.Id, entry.UnitId, stored, entry)),
                "entries", entry.Id, async (session, outbox) =>
                {
                    var filter = VersionFilter(entry.Id, expectedVersion);
                    ReplaceOneResult result;
                    if (outbox is not null)
                        result = await Raw.ReplaceOneAsync(RawVersionFilter(entry.Id, expectedVersion), MongoAuditStore.WithOutbox(entry, outbox), cancellationToken: ct);
                    else if (session is null) result = await Col.ReplaceOneAsync(filter, entry, cancellationToken: ct);
                    else result = await Col.ReplaceOneAsync(session, filter, entry, cancellationToken: ct);
                    return result.MatchedCount == 1;
                }, ct);
        }
        catch (MongoException e) when (MongoContext.IsDuplicateKey(e))
        {
            throw MongoContext.Duplicate($"Entry code {entry.Code} already exists.", e);
        }
    }

    public Task<Page<Entry>> FindAsync(EntryFilter filter, EntrySort sort, PageRequest page, CancellationToken ct = default) =>
        MongoQuery.RunAsync(Col, Filters(filter), SortKey(sort.Field), sort.Direction, page, ct);

    public Task<long> CountAsync(CancellationToken ct = default) =>
        Col.EstimatedDocumentCountAsync(cancellationToken: ct);

    internal static string SortKey(EntrySortField field) => field switch
    {
        EntrySortField.Code => nameof(Entry.Code),
        EntrySortField.Title => nameof(Entry.TitleKey),
        EntrySortField.UpdatedAt => nameof(Entry.UpdatedKey),
        EntrySortField.StartDate => nameof(Entry.StartKey),
        _ => throw new ArgumentOutOfRangeException(nameof(field)),
    };

    /// <summary>
    /// An anchored, case-sensitive prefix regex: the only regex shape the server turns into
    /// index bounds on the multikey token index (tokens are stored folded, so no 'i' flag).
    /// </summary>
    internal static BsonRegularExpression PrefixRegex(string term) => new("^" + Regex.Escape(term));

    internal static List<FilterDefinition<Entry>> Filters(EntryFilter f)
    {
        var filters = new List<FilterDefinition<Entry>>();
        foreach (var term in f.SearchTerms.OrderByDescending(t => t.Length))
            filters.Add(F.Regex(e => e.SearchTokens, PrefixRegex(term)));
        if (f.UnitId is not null)
            filters.Add(f.IncludeSubunits ? F.AnyEq(e => e.UnitLineage, f.UnitId) : F.Eq(e => e.UnitId, f.UnitId));
        if (f.FieldId is not null) filters.Add(F.Eq(e => e.FieldId, f.FieldId));
        if (f.Kind is { } kind) filters.Add(F.Eq(e => e.Kind, kind));
        if (f.Statuses.Count == 1) filters.Add(F.Eq(e => e.Status, f.Statuses[0]));
        else if (f.Statuses.Count > 1) filters.Add(F.In(e => e.Status, f.Statuses.Distinct()));
        if (f.Year is { } year) filters.Add(F.Eq(e => e.Year, year));
        if (!f.Visibility.AllDrafts)
        {
            var published = F.Ne(e => e.Status, EntryStatus.Draft);
            filters.Add(f.Visibility.DraftUnitScope is { } scope
                ? F.Or(published, F.AnyEq(e => e.UnitLineage, scope))
                : published);
        }
        return filters;
    }

    /// <summary>The whole query document of one page, as sent to the server.</summary>
    internal static FilterDefinition<Entry> Filter(EntryFilter f, EntrySort sort, PageRequest page) =>
        MongoQuery.Paged(Filters(f), KeysetPlan.For(sort.Direction, page), SortKey(sort.Field));

    internal static FilterDefinition<Entry> Filter(EntryFilter f) => MongoQuery.And(Filters(f));

    internal static SortDefinition<Entry> Sort(EntrySort sort, PageRequest page) =>
        MongoQuery.Sort<Entry>(KeysetPlan.For(sort.Direction, page), SortKey(sort.Field));
}
