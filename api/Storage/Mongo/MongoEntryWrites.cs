using DanVanKheo.Api.Entries;
using DanVanKheo.Api.Reports;
using MongoDB.Bson;
using MongoDB.Driver;

namespace DanVanKheo.Api.Storage.Mongo;

/// <summary>
/// The only code that writes the entries collection. Each write also applies the entry's
/// contribution to the report summary (<see cref="MongoCollections.ReportSummary"/>) in the same
/// transaction: the summary can never miss a change or count one that was rolled back. A test
/// (<c>Only_the_entry_writes_helper_writes_the_entries_collection</c>) keeps every other file from
/// writing entries directly.
/// </summary>
public static class MongoEntryWrites
{
    public static async Task InsertAsync(MongoContext db, IClientSessionHandle s, Entry entry, CancellationToken ct)
    {
        await db.Entries.InsertOneAsync(s, entry, cancellationToken: ct);
        await MongoReportSummary.ApplyAsync(db, s, [(null, entry)], ct);
    }

    /// <summary>Inserts a batch (the seed's bulk loads) and its summary rows in one transaction.</summary>
    public static Task InsertManyAsync(MongoContext db, IReadOnlyList<Entry> entries, CancellationToken ct) =>
        db.WriteAsync(null, () => [], async (s, token) =>
        {
            await db.Entries.InsertManyAsync(s, entries, new InsertManyOptions { IsOrdered = true }, token);
            await MongoReportSummary.ApplyAsync(db, s, [.. entries.Select(e => ((Entry?)null, e))], token);
        }, ct);

    /// <summary>
    /// Replaces <paramref name="before"/> (matched on its id and version) by <paramref name="after"/>;
    /// false when the stored version moved, and then neither the entry nor the summary changes.
    /// </summary>
    public static async Task<bool> ReplaceAsync(MongoContext db, IClientSessionHandle s, Entry before, Entry after, CancellationToken ct)
    {
        var filter = MongoEntryStore.VersionFilter(before.Id, before.Version);
        if ((await db.Entries.ReplaceOneAsync(s, filter, after, cancellationToken: ct)).MatchedCount == 0) return false;
        await MongoReportSummary.ApplyAsync(db, s, [(before, after)], ct);
        return true;
    }
}

/// <summary>
/// The report's summary on MongoDB: one document per (year, unit, lineage as filed, drafts or
/// not) holding the <see cref="UnitSummary"/> counters, kept by <c>$inc</c> in every entry write's
/// transaction (see <see cref="MongoEntryWrites"/>). A report reads a few documents by index
/// instead of aggregating the entries. A database whose summary was never built (entries loaded
/// by an older version) is summarised once at start by <see cref="BuildIfMissingAsync"/>.
/// </summary>
public static class MongoReportSummary
{
    private const string StateId = "report-summary";

    /// <summary>Adds each change's after-state and takes out its before-state, one upsert per summary row touched.</summary>
    public static async Task ApplyAsync(MongoContext db, IClientSessionHandle s, IReadOnlyList<(Entry? Before, Entry? After)> changes, CancellationToken ct)
    {
        var deltas = new Dictionary<string, UnitSummary>(StringComparer.Ordinal);
        foreach (var (before, after) in changes)
        {
            if (before is not null) Accumulate(deltas, ReportRules.GroupOf(before), -1);
            if (after is not null) Accumulate(deltas, ReportRules.GroupOf(after), 1);
        }
        var updates = deltas.Values.Where(d => !IsZero(d)).Select(Upsert).ToList();
        if (updates.Count > 0)
            await db.ReportSummary.BulkWriteAsync(s, updates, new BulkWriteOptions { IsOrdered = true }, ct);
    }

    private static void Accumulate(Dictionary<string, UnitSummary> deltas, EntryGroup g, int sign)
    {
        var empty = UnitSummary.EmptyFor(g);
        if (!deltas.TryGetValue(empty.Key, out var delta)) deltas[empty.Key] = delta = empty;
        delta.Add(g, sign);
    }

    /// <summary>A title or text edit moves no counter: nothing to write, so no contention on the row.</summary>
    private static bool IsZero(UnitSummary d) =>
        d is { Count: 0, HouseholdsReached: 0, PeopleReached: 0, MoneyMobilizedVnd: 0, LandDonatedM2: 0, Workdays: 0 } &&
        d.ByField.Count + d.ByKind.Count + d.ByLevel.Count + d.ByStatus.Count + d.ByNovelty.Count + d.RecognizedByLevel.Count == 0;

    /// <summary>Tally names: each tally is a sub-document whose keys are field ids or enum names (no dots, no '$').</summary>
    private static IEnumerable<(string Name, SortedDictionary<string, long> Tally)> Tallies(UnitSummary u) =>
    [
        (nameof(UnitSummary.ByField), u.ByField), (nameof(UnitSummary.ByKind), u.ByKind), (nameof(UnitSummary.ByLevel), u.ByLevel),
        (nameof(UnitSummary.ByStatus), u.ByStatus), (nameof(UnitSummary.ByNovelty), u.ByNovelty),
        (nameof(UnitSummary.RecognizedByLevel), u.RecognizedByLevel),
    ];

    internal static UpdateOneModel<BsonDocument> Upsert(UnitSummary d)
    {
        var inc = new BsonDocument
        {
            [nameof(UnitSummary.Count)] = d.Count,
            [nameof(UnitSummary.HouseholdsReached)] = d.HouseholdsReached,
            [nameof(UnitSummary.PeopleReached)] = d.PeopleReached,
            [nameof(UnitSummary.MoneyMobilizedVnd)] = d.MoneyMobilizedVnd,
            [nameof(UnitSummary.LandDonatedM2)] = d.LandDonatedM2,
            [nameof(UnitSummary.Workdays)] = d.Workdays,
        };
        foreach (var (name, tally) in Tallies(d))
            foreach (var (key, n) in tally)
                inc[$"{name}.{CheckKey(key)}"] = n;
        var update = new BsonDocument
        {
            ["$setOnInsert"] = new BsonDocument
            {
                [nameof(UnitSummary.Year)] = d.Year,
                [nameof(UnitSummary.UnitId)] = d.UnitId,
                [nameof(UnitSummary.UnitLineage)] = new BsonArray(d.UnitLineage),
                [nameof(UnitSummary.Drafts)] = d.Drafts,
            },
            ["$inc"] = inc,
        };
        return new UpdateOneModel<BsonDocument>(new BsonDocument("_id", d.Key), update) { IsUpsert = true };
    }

    private static string CheckKey(string key) =>
        key.Contains('.') || key.StartsWith('$')
            ? throw new InvalidOperationException($"'{key}' cannot be a summary counter name.")
            : key;

    /// <summary>The rows of a report's scope (visibility applied), in key order; rows emptied by changes are left out.</summary>
    public static async Task<IReadOnlyList<UnitSummary>> ReadAsync(MongoContext db, ReportScope scope, CancellationToken ct)
    {
        var f = Builders<BsonDocument>.Filter;
        var ids = scope.UnitIds.Distinct().ToList();
        var filter = f.Eq(nameof(UnitSummary.Year), scope.Year) &
                     (scope.IncludeSubunits ? f.In(nameof(UnitSummary.UnitLineage), ids) : f.In(nameof(UnitSummary.UnitId), ids));
        var rows = await db.ReportSummary.Find(filter).ToListAsync(ct);
        return ReportRules.Canonical(rows.Select(ToSummary).Where(u => ReportRules.InScope(u, scope)));
    }

    public static UnitSummary ToSummary(BsonDocument d)
    {
        static SortedDictionary<string, long> T(BsonDocument d, string name)
        {
            var tally = new SortedDictionary<string, long>(StringComparer.Ordinal);
            if (d.GetValue(name, BsonNull.Value) is BsonDocument sub)
                foreach (var e in sub)
                    if (e.Value.ToInt64() != 0) tally[e.Name] = e.Value.ToInt64();
            return tally;
        }
        return new UnitSummary
        {
            Year = d[nameof(UnitSummary.Year)].ToInt32(),
            UnitId = d[nameof(UnitSummary.UnitId)].AsString,
            UnitLineage = d[nameof(UnitSummary.UnitLineage)].AsBsonArray.Select(v => v.AsString).ToList(),
            Drafts = d[nameof(UnitSummary.Drafts)].ToBoolean(),
            Count = d.GetValue(nameof(UnitSummary.Count), 0).ToInt64(),
            HouseholdsReached = d.GetValue(nameof(UnitSummary.HouseholdsReached), 0).ToInt64(),
            PeopleReached = d.GetValue(nameof(UnitSummary.PeopleReached), 0).ToInt64(),
            MoneyMobilizedVnd = d.GetValue(nameof(UnitSummary.MoneyMobilizedVnd), 0).ToInt64(),
            LandDonatedM2 = d.GetValue(nameof(UnitSummary.LandDonatedM2), 0.0).ToDouble(),
            Workdays = d.GetValue(nameof(UnitSummary.Workdays), 0).ToInt64(),
            ByField = T(d, nameof(UnitSummary.ByField)),
            ByKind = T(d, nameof(UnitSummary.ByKind)),
            ByLevel = T(d, nameof(UnitSummary.ByLevel)),
            ByStatus = T(d, nameof(UnitSummary.ByStatus)),
            ByNovelty = T(d, nameof(UnitSummary.ByNovelty)),
            RecognizedByLevel = T(d, nameof(UnitSummary.RecognizedByLevel)),
        };
    }

    /// <summary>
    /// Summarises every entry once when the summary was never built (a database filled by an
    /// older version): in one transaction that re-checks the marker, empties the rows, reads the
    /// entries and writes the rows and the marker, so a concurrent entry write or a second
    /// instance doing the same conflicts and reruns instead of counting twice. Returns whether it built.
    /// </summary>
    public static async Task<bool> BuildIfMissingAsync(MongoContext db, CancellationToken ct = default)
    {
        var marker = Builders<BsonDocument>.Filter.Eq("_id", StateId);
        if (await db.Counters.Find(marker).AnyAsync(ct)) return false;
        var built = false;
        await db.WriteAsync(null, () => [], async (s, token) =>
        {
            built = false;
            if (await db.Counters.Find(s, marker).AnyAsync(token)) return;
            await db.ReportSummary.DeleteManyAsync(s, Builders<BsonDocument>.Filter.Empty, cancellationToken: token);
            var deltas = new Dictionary<string, UnitSummary>(StringComparer.Ordinal);
            using (var cursor = await db.Entries.Find(s, Builders<Entry>.Filter.Empty).ToCursorAsync(token))
                while (await cursor.MoveNextAsync(token))
                    foreach (var e in cursor.Current)
                        Accumulate(deltas, ReportRules.GroupOf(e), 1);
            var rows = deltas.Values.Where(d => d.Count > 0).Select(Upsert).ToList();
            if (rows.Count > 0) await db.ReportSummary.BulkWriteAsync(s, rows, new BulkWriteOptions { IsOrdered = true }, token);
            await db.Counters.InsertOneAsync(s, new BsonDocument("_id", StateId), cancellationToken: token);
            built = true;
        }, ct);
        return built;
    }
}
