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
        var plan = KeysetPlan.For(sort.Direction, page);
        var keyName = sort.Field switch
        {
            EntrySortField.Code => "C",
            EntrySortField.Title => "TK",
            EntrySortField.UpdatedAt => "UK",
            EntrySortField.StartDate => "SK",
            _ => throw new ArgumentOutOfRangeException(nameof(sort)),
        };
        // The heap's root is the worst kept row: the largest key when reading ascending.
        var comparer = plan.ReadAscending
            ? Comparer<string>.Create((a, b) => string.CompareOrdinal(b, a))
            : Comparer<string>.Create(string.CompareOrdinal);
        var best = new PriorityQueue<string, string>(plan.Take + 1, comparer);
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        long total = 0;
        foreach (var d in keys.FindAll())
        {
            if (!Matches(d, f)) continue;
            total++;
            var key = d[keyName].AsString;
            if (plan.GreaterThan is { } gt && string.CompareOrdinal(key, gt) <= 0) continue;
            if (plan.LessThan is { } lt && string.CompareOrdinal(key, lt) >= 0) continue;
            best.Enqueue(key, key);
            ids[key] = d["_id"].AsString;
            if (best.Count > plan.Take) ids.Remove(best.Dequeue());
        }
        var rows = new List<string>(best.Count);
        while (best.Count > 0) rows.Add(ids[best.Dequeue()]);
        rows.Reverse(); // the heap gives the worst first
        return plan.ToPage(rows, page, page.CountTotal ? total : -1);
    }

    private static bool Matches(BsonDocument d, EntryFilter f)
    {
        var tokens = d["T"].AsArray;
        foreach (var term in f.SearchTerms)
        {
            var words = TextFolding.Tokens(term);
            if (words.Count != 1 || words[0] != TextFolding.Fold(term)) return false; // as the index: literal, one word
            if (!tokens.Any(t => t.AsString.StartsWith(words[0], StringComparison.Ordinal))) return false;
        }
        var status = d["S"].AsString;
        if (f.UnitId is not null && (f.IncludeSubunits ? !InLineage(d, f.UnitId) : d["U"].AsString != f.UnitId)) return false;
        if (f.FieldId is not null && d["F"].AsString != f.FieldId) return false;
        if (f.Kind is { } kind && d["K"].AsString != kind.ToString()) return false;
        if (f.Statuses.Count > 0 && !f.Statuses.Any(s => s.ToString() == status)) return false;
        if (f.Year is { } year && d["Y"].AsInt32 != year) return false;
        if (!f.Visibility.AllDrafts && status == nameof(EntryStatus.Draft) &&
            (f.Visibility.DraftUnitScope is not { } scope || !InLineage(d, scope))) return false;
        return true;
    }

    private static bool InLineage(BsonDocument d, string unitId) => d["L"].AsArray.Any(v => v.AsString == unitId);
}
