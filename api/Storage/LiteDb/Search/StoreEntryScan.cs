using DanVanKheo.Api.Common;
using DanVanKheo.Api.Entries;
using LiteDB;

namespace DanVanKheo.Api.Storage.LiteDb.Search;

/// <summary>
/// Answers an entry search from <c>entry_keys</c> alone, one pass over the collection with a
/// bounded heap: what searches use while the index is being rebuilt or caught up. Slower than
/// the index (seconds at a million entries) but it never waits for start-up work.
/// </summary>
internal static class StoreEntryScan
{
    public static Page<string> Find(ILiteCollection<BsonDocument> keys, EntryFilter f, EntrySort sort, PageRequest page)
    {
        var plan = sort.Plan(page);
        // The heap's root is the worst kept row: the last one in reading order.
        var comparer = Comparer<IReadOnlyList<string>>.Create((a, b) => plan.CompareInReadOrder(b, a));
        var best = new PriorityQueue<string, IReadOnlyList<string>>(plan.Take + 1, comparer);
        long total = 0;
        foreach (var d in keys.FindAll())
        {
            if (!Matches(d, f)) continue;
            total++;
            var row = sort.Effective.Select(k => ValueOf(d, k.Field)).ToList();
            if (!plan.Within(row)) continue;
            best.Enqueue(d["_id"].AsString, row);
            if (best.Count > plan.Take) best.Dequeue();
        }
        var rows = new List<string>(best.Count);
        while (best.Count > 0) rows.Add(best.Dequeue());
        rows.Reverse(); // the heap gives the worst first
        return plan.ToPage(rows, page, page.CountTotal ? total : -1);
    }

    private static string ValueOf(BsonDocument d, EntrySortField field) => field switch
    {
        EntrySortField.Code => d["C"].AsString,
        EntrySortField.Title => d["TK"].AsString,
        EntrySortField.UpdatedAt => d["UK"].AsString,
        EntrySortField.StartDate => d["SK"].AsString,
        EntrySortField.Year => EntrySort.YearValue(d["Y"].AsInt32),
        _ => throw new ArgumentOutOfRangeException(nameof(field)),
    };

    private static bool Matches(BsonDocument d, EntryFilter f)
    {
        foreach (var term in f.SearchTerms)
            if (!MatchesSearch(d, term)) return false;
        var status = d["S"].AsString;
        if (f.UnitId is not null && (f.IncludeSubunits ? !InLineage(d, f.UnitId) : d["U"].AsString != f.UnitId)) return false;
        if (f.FieldId is not null && d["F"].AsString != f.FieldId) return false;
        if (f.Kind is { } kind && d["K"].AsString != kind.ToString()) return false;
        if (f.Statuses.Count > 0 && !f.Statuses.Any(s => s.ToString() == status)) return false;
        if (f.Year is { } year && d["Y"].AsInt32 != year) return false;
        if (!f.Visibility.AllDrafts && status == nameof(EntryStatus.Draft) &&
            (f.Visibility.DraftUnitScope is not { } scope || !InLineage(d, scope))) return false;
        return f.Where is null || Filters.Fold(f.Where, c => Test(d, c), all => all.All(x => x), any => any.Any(x => x));
    }

    private static bool MatchesSearch(BsonDocument d, string term)
    {
        var words = TextFolding.Tokens(term);
        if (words.Count != 1 || words[0] != TextFolding.Fold(term)) return false; // as the index: literal, one word
        return d["T"].AsArray.Any(t => t.AsString.StartsWith(words[0], StringComparison.Ordinal));
    }

    private static bool Test(BsonDocument d, Condition c) => c.Field switch
    {
        EntryQuerying.Search => MatchesSearch(d, (string)c.Value),
        EntryQuerying.Id => Filters.Test(c, d["_id"].AsString),
        EntryQuerying.Code => Filters.Test(c, d["C"].AsString),
        EntryQuerying.Title => Filters.Test(c, EntryFilterValues.FoldedTitle(d["TK"].AsString)),
        EntryQuerying.Year => Filters.Test(c, d["Y"].AsInt32),
        EntryQuerying.Status => Filters.Test(AsText(c), d["S"].AsString),
        EntryQuerying.Kind => Filters.Test(AsText(c), d["K"].AsString),
        EntryQuerying.UnitId => Filters.Test(c, d["U"].AsString),
        EntryQuerying.SubtreeOf => d["L"].AsArray.Any(u => Filters.Test(c, u.AsString)),
        EntryQuerying.FieldId => Filters.Test(c, d["F"].AsString),
        EntryQuerying.UpdatedAt => InBounds(d["UK"].AsString, EntryFilterValues.UpdatedBounds(c.Operator, (DateTime)c.Value)),
        _ => throw new ArgumentOutOfRangeException(nameof(c), c.Field, "Not an entry filter field."),
    };

    private static Condition AsText(Condition c) => c with { Values = c.Values.Select(v => (object)v.ToString()!).ToList() };

    private static bool InBounds(string key, (string? From, string? Before) b) =>
        (b.From is null || string.CompareOrdinal(key, b.From) >= 0) && (b.Before is null || string.CompareOrdinal(key, b.Before) < 0);

    private static bool InLineage(BsonDocument d, string unitId) => d["L"].AsArray.Any(v => v.AsString == unitId);
}
