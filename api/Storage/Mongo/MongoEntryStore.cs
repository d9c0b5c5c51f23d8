using System.Text.RegularExpressions;
using DanVanKheo.Api.Audit;
using DanVanKheo.Api.Common;
using DanVanKheo.Api.Entries;
using MongoDB.Bson;
using MongoDB.Driver;

namespace DanVanKheo.Api.Storage.Mongo;

public sealed class MongoEntryStore(MongoContext db) : IEntryStore
{
    private static FilterDefinitionBuilder<Entry> F => Builders<Entry>.Filter;
    private IMongoCollection<Entry> Col => db.Entries;

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
        catch (MongoException e) when (MongoErrors.IsDuplicateKey(e))
        {
            // Two first-ever upserts raced and one lost the insert; the counter exists now.
            counter = await db.Counters.FindOneAndUpdateAsync(filter, update, options, ct);
        }
        return counter["Value"].ToInt64() - count + 1;
    }

    private static FilterDefinition<BsonDocument> CounterFilter(int year) => Builders<BsonDocument>.Filter.Eq("_id", $"entry-code-{year}");

    public async Task<bool> RegisterAsync(Entry entry, int expectedVersion, AuditScope? audit, CancellationToken ct = default)
    {
        // The year's counter exists before the transaction, so inside it the counter is only
        // incremented: two submits then conflict on one document and one of them reruns.
        try
        {
            await db.Counters.UpdateOneAsync(CounterFilter(entry.Year), Builders<BsonDocument>.Update.SetOnInsert("Value", 0L),
                new UpdateOptions { IsUpsert = true }, ct);
        }
        catch (MongoException e) when (MongoErrors.IsDuplicateKey(e))
        {
            // Another first submit of the year created it.
        }
        Entry? stored = null;
        return await MongoErrors.TranslateAsync(() => db.WriteAsync(audit,
            () => [new AuditTarget(AuditTargetTypes.Entry, entry.Id, entry.UnitId, stored, entry)],
            async (s, token) =>
            {
                stored = await Col.Find(s, VersionFilter(entry.Id, expectedVersion)).FirstOrDefaultAsync(token);
                if (stored is null) return false;
                var counter = await db.Counters.FindOneAndUpdateAsync(s, CounterFilter(entry.Year),
                    Builders<BsonDocument>.Update.Inc("Value", 1L),
                    new FindOneAndUpdateOptions<BsonDocument> { ReturnDocument = ReturnDocument.After }, token);
                EntryRules.AssignCode(entry, counter["Value"].ToInt64());
                return (await Col.ReplaceOneAsync(s, VersionFilter(entry.Id, expectedVersion), entry, cancellationToken: token)).MatchedCount == 1;
            }, ct), $"Entry code {entry.Code} already exists.");
    }

    public async Task<int> WithdrawDraftCodesAsync(CancellationToken ct = default)
    {
        // Public codes sort below the draft keys' "~": the drafts that still hold one.
        var drafts = await Col.Find(F.And(F.Eq(e => e.Status, EntryStatus.Draft), F.Lt(e => e.Code, EntryRules.DraftKeyPrefix))).ToListAsync(ct);
        var changed = 0;
        foreach (var draft in drafts)
        {
            var version = draft.Version;
            if (!EntryRules.WithdrawDraftCode(draft)) continue;
            // Version-checked: a draft edited meanwhile keeps its content (and is migrated at the next start).
            if ((await Col.ReplaceOneAsync(VersionFilter(draft.Id, version), draft, cancellationToken: ct)).MatchedCount == 1) changed++;
        }
        return changed;
    }

    public Task InsertAsync(Entry entry, AuditScope? audit, CancellationToken ct = default) =>
        MongoErrors.TranslateAsync(() => db.WriteAsync(audit,
            () => [new AuditTarget(AuditTargetTypes.Entry, entry.Id, entry.UnitId, null, entry)],
            (s, token) => Col.InsertOneAsync(s, entry, cancellationToken: token), ct), $"Entry code {entry.Code} already exists.");

    public Task InsertManyAsync(IReadOnlyList<Entry> entries, CancellationToken ct = default) =>
        entries.Count == 0 ? Task.CompletedTask
            : MongoErrors.TranslateAsync(() => Col.InsertManyAsync(entries, new InsertManyOptions { IsOrdered = true }, ct), "An entry code already exists.");

    public async Task<IReadOnlyList<Entry>> GetByIdsAsync(IReadOnlyCollection<string> ids, CancellationToken ct = default)
    {
        if (ids.Count == 0) return [];
        return await Col.Find(F.In(e => e.Id, ids.Distinct())).ToListAsync(ct);
    }

    public async Task<Entry?> GetByCodeAsync(string code, CancellationToken ct = default) =>
        await Col.Find(F.Eq(e => e.Code, code.Trim().ToUpperInvariant())).FirstOrDefaultAsync(ct);

    internal static FilterDefinition<Entry> VersionFilter(string id, int expectedVersion) =>
        F.And(F.Eq(e => e.Id, id), F.Eq(e => e.Version, expectedVersion));

    public Task<bool> ReplaceAsync(Entry entry, int expectedVersion, AuditScope? audit, CancellationToken ct = default)
    {
        Entry? stored = null;
        return MongoErrors.TranslateAsync(() => db.WriteAsync(audit,
            () => [new AuditTarget(AuditTargetTypes.Entry, entry.Id, entry.UnitId, stored, entry)],
            async (s, token) =>
            {
                // The state being replaced, for the event's "before", read in the same snapshot the replace checks.
                stored = await Col.Find(s, VersionFilter(entry.Id, expectedVersion)).FirstOrDefaultAsync(token);
                if (stored is null) return false;
                return (await Col.ReplaceOneAsync(s, VersionFilter(entry.Id, expectedVersion), entry, cancellationToken: token)).MatchedCount == 1;
            }, ct), $"Entry code {entry.Code} already exists.");
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
