using System.Text.RegularExpressions;
using DanVanKheo.Api.Audit;
using DanVanKheo.Api.Common;
using DanVanKheo.Api.Entries;
using MongoDB.Bson;
using MongoDB.Driver;
using SortDirection = DanVanKheo.Api.Common.SortDirection;

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
                return await MongoEntryWrites.ReplaceAsync(db, s, stored, entry, token);
            }, ct), $"Entry code {entry.Code} already exists.");
    }

    public async Task<int> WithdrawDraftCodesAsync(CancellationToken ct = default)
    {
        // Public codes sort below the draft keys' "~": the drafts that still hold one.
        var drafts = await Col.Find(F.And(F.Eq(e => e.Status, EntryStatus.Draft), F.Lt(e => e.Code, EntryRules.DraftKeyPrefix))).ToListAsync(ct);
        var changed = 0;
        foreach (var draft in drafts)
        {
            // Version-checked, through the summary-keeping writes: a draft edited meanwhile keeps its
            // content (and is migrated at the next start).
            var written = await db.WriteAsync(null, () => [], async (s, token) =>
            {
                var before = await Col.Find(s, VersionFilter(draft.Id, draft.Version)).FirstOrDefaultAsync(token);
                var after = await Col.Find(s, VersionFilter(draft.Id, draft.Version)).FirstOrDefaultAsync(token);
                if (before is null || after is null || !EntryRules.WithdrawDraftCode(after)) return false;
                return await MongoEntryWrites.ReplaceAsync(db, s, before, after, token);
            }, ct);
            if (written) changed++;
        }
        return changed;
    }

    public Task InsertAsync(Entry entry, AuditScope? audit, CancellationToken ct = default) =>
        MongoErrors.TranslateAsync(() => db.WriteAsync(audit,
            () => [new AuditTarget(AuditTargetTypes.Entry, entry.Id, entry.UnitId, null, entry)],
            (s, token) => MongoEntryWrites.InsertAsync(db, s, entry, token), ct), $"Entry code {entry.Code} already exists.");

    public Task InsertManyAsync(IReadOnlyList<Entry> entries, CancellationToken ct = default) =>
        entries.Count == 0 ? Task.CompletedTask
            : MongoErrors.TranslateAsync(() => MongoEntryWrites.InsertManyAsync(db, entries, ct), "An entry code already exists.");

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
                return await MongoEntryWrites.ReplaceAsync(db, s, stored, entry, token);
            }, ct), $"Entry code {entry.Code} already exists.");
    }

    public async Task<Page<Entry>> FindAsync(EntryFilter filter, EntrySort sort, PageRequest page, CancellationToken ct = default)
    {
        var filters = Filters(filter);
        // An unfiltered count comes from collection metadata instead of scanning every document.
        var total = !page.CountTotal ? -1 : filters.Count == 0
            ? await Col.EstimatedDocumentCountAsync(cancellationToken: ct)
            : await Col.CountDocumentsAsync(MongoQuery.And(filters), cancellationToken: ct);
        var plan = sort.Plan(page);
        var rows = await Col.Find(Filter(filter, sort, page)).Sort(Sort(sort, page)).Limit(plan.Take).ToListAsync(ct);
        return plan.ToPage(rows, page, total);
    }

    public Task<long> CountAsync(CancellationToken ct = default) =>
        Col.EstimatedDocumentCountAsync(cancellationToken: ct);

    internal static string SortKey(EntrySortField field) => field switch
    {
        EntrySortField.Code => nameof(Entry.Code),
        EntrySortField.Title => nameof(Entry.TitleKey),
        EntrySortField.UpdatedAt => nameof(Entry.UpdatedKey),
        EntrySortField.StartDate => nameof(Entry.StartKey),
        EntrySortField.Year => nameof(Entry.Year),
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
        if (f.Where is not null) filters.Add(Common.Filters.Fold(f.Where, Leaf, All, Any));
        if (!f.Visibility.AllDrafts)
        {
            var published = F.Ne(e => e.Status, EntryStatus.Draft);
            filters.Add(f.Visibility.DraftUnitScope is { } scope
                ? F.Or(published, F.AnyEq(e => e.UnitLineage, scope))
                : published);
        }
        return filters;
    }

    private static FilterDefinition<Entry> All(IReadOnlyList<FilterDefinition<Entry>> parts) =>
        parts.Count == 0 ? F.Empty : parts.Count == 1 ? parts[0] : F.And(parts);

    private static FilterDefinition<Entry> Any(IReadOnlyList<FilterDefinition<Entry>> parts) =>
        parts.Count == 0 ? F.In(e => e.Id, Array.Empty<string>()) : parts.Count == 1 ? parts[0] : F.Or(parts);

    private static FilterDefinition<Entry> Op(string field, string op, BsonValue value) =>
        new BsonDocument(field, new BsonDocument(op, value));

    /// <summary>
    /// One condition as a filter on an indexed field (docs/mongodb.md): equality and ranges on the
    /// field, text prefixes as anchored regexes, titles on the folded title key, instants on the
    /// updated key.
    /// </summary>
    private static FilterDefinition<Entry> Leaf(Condition c)
    {
        switch (c.Field)
        {
            case EntryQuerying.Search:
                return F.Regex(e => e.SearchTokens, PrefixRegex((string)c.Value));
            case EntryQuerying.UpdatedAt:
                var (from, before) = EntryFilterValues.UpdatedBounds(c.Operator, (DateTime)c.Value);
                return from is not null ? F.Gte(e => e.UpdatedKey, from) : F.Lt(e => e.UpdatedKey, before);
            case EntryQuerying.Title:
                // The title key is the collation key, \u0001, the folded title, \u0001, the code: a match
                // must lie within the middle part (EntryRules.TitleKeyOf).
                var text = Regex.Escape((string)c.Value);
                return F.Regex(e => e.TitleKey, new BsonRegularExpression(c.Operator == FilterOperator.StartsWith
                    ? "^[^\u0001]*\u0001" + text
                    : "^[^\u0001]*\u0001[^\u0001]*" + text));
        }
        var field = c.Field switch
        {
            EntryQuerying.Id => "_id",
            EntryQuerying.Code => nameof(Entry.Code),
            EntryQuerying.Year => nameof(Entry.Year),
            EntryQuerying.Status => nameof(Entry.Status),
            EntryQuerying.Kind => nameof(Entry.Kind),
            EntryQuerying.UnitId => nameof(Entry.UnitId),
            EntryQuerying.SubtreeOf => nameof(Entry.UnitLineage),
            EntryQuerying.FieldId => nameof(Entry.FieldId),
            _ => throw new ArgumentOutOfRangeException(nameof(c), c.Field, "Not an entry filter field."),
        };
        var values = c.Values.Select(v => v is int i ? (BsonValue)new BsonInt32(i) : new BsonString(v.ToString()!)).ToList();
        return c.Operator switch
        {
            FilterOperator.Eq => new BsonDocument(field, values[0]),
            FilterOperator.Neq => Op(field, "$ne", values[0]),
            FilterOperator.In => Op(field, "$in", new BsonArray(values)),
            FilterOperator.Nin => Op(field, "$nin", new BsonArray(values)),
            FilterOperator.Gt => Op(field, "$gt", values[0]),
            FilterOperator.Gte => Op(field, "$gte", values[0]),
            FilterOperator.Lt => Op(field, "$lt", values[0]),
            FilterOperator.Lte => Op(field, "$lte", values[0]),
            FilterOperator.StartsWith => new BsonDocument(field, PrefixRegex(values[0].AsString)),
            FilterOperator.Contains => new BsonDocument(field, new BsonRegularExpression(Regex.Escape(values[0].AsString))),
            _ => throw new ArgumentOutOfRangeException(nameof(c)),
        };
    }

    private static BsonValue SortValue(EntrySortField field, string value) =>
        field == EntrySortField.Year ? new BsonInt32(int.Parse(value, System.Globalization.CultureInfo.InvariantCulture)) : new BsonString(value);

    /// <summary>
    /// Rows strictly past <paramref name="bound"/> in reading order (<paramref name="after"/>) or
    /// strictly before it: the lexicographic expansion k1 &gt; b1 or (k1 = b1 and k2 &gt; b2) or …
    /// </summary>
    private static FilterDefinition<Entry> Beyond(EntrySort sort, TupleKeysetPlan plan, IReadOnlyList<string> bound, bool after)
    {
        var read = plan.ReadDirections;
        var branches = new List<FilterDefinition<Entry>>();
        for (var i = 0; i < sort.Effective.Count; i++)
        {
            var parts = new List<FilterDefinition<Entry>>();
            for (var j = 0; j < i; j++)
                parts.Add(new BsonDocument(SortKey(sort.Effective[j].Field), SortValue(sort.Effective[j].Field, bound[j])));
            var upward = (read[i] == SortDirection.Asc) == after;
            parts.Add(Op(SortKey(sort.Effective[i].Field), upward ? "$gt" : "$lt", SortValue(sort.Effective[i].Field, bound[i])));
            branches.Add(All(parts));
        }
        return Any(branches);
    }

    /// <summary>The whole query document of one page, as sent to the server.</summary>
    internal static FilterDefinition<Entry> Filter(EntryFilter f, EntrySort sort, PageRequest page)
    {
        var plan = sort.Plan(page);
        var all = Filters(f);
        if (plan.Start is not null) all.Add(Beyond(sort, plan, plan.Start, after: true));
        if (plan.End is not null) all.Add(Beyond(sort, plan, plan.End, after: false));
        return MongoQuery.And(all);
    }

    internal static FilterDefinition<Entry> Filter(EntryFilter f) => MongoQuery.And(Filters(f));

    internal static SortDefinition<Entry> Sort(EntrySort sort, PageRequest page)
    {
        var read = sort.Plan(page).ReadDirections;
        return Builders<Entry>.Sort.Combine(sort.Effective.Select((k, i) => read[i] == SortDirection.Asc
            ? Builders<Entry>.Sort.Ascending(SortKey(k.Field))
            : Builders<Entry>.Sort.Descending(SortKey(k.Field))));
    }
}
