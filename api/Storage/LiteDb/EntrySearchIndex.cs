using DanVanKheo.Api.Common;
using DanVanKheo.Api.Entries;
using LiteDB;

namespace DanVanKheo.Api.Storage.LiteDb;

/// <summary>
/// An in-memory inverted index over entry_keys for the embedded store. LiteDB reads whole
/// documents to filter, count and sort, so a broad search over 200,000 entries took seconds;
/// here the same query is a posting-list lookup plus a pass over the matches. It is built from
/// entry_keys on first use and kept current by every entry write (under the write gate, after
/// the commit). LiteDB's Direct mode gives this process the file alone, so no other writer can
/// make it stale.
/// </summary>
internal sealed class EntrySearchIndex(LiteDbContext db)
{
    private sealed class Row
    {
        public required string Id, Code, Status, UnitId, FieldId, Kind, TitleKey, UpdatedKey, StartKey;
        public required int Year;
        public required string[] Lineage, Tokens;
        /// <summary>" tok1 tok2 …": a word prefix is one vectorised substring search for " prefix".</summary>
        public required string TokenText;
    }

    private readonly ReaderWriterLockSlim _lock = new(LockRecursionPolicy.NoRecursion);
    private readonly List<Row?> _rows = [];
    private readonly Dictionary<string, int> _ordinalById = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<int>> _postings = new(StringComparer.Ordinal);
    private string[] _sortedTokens = [];
    private bool _tokensDirty;
    private volatile bool _built;

    public void EnsureBuilt()
    {
        if (_built) return;
        // Under the write gate: no entry commits while the index is read from the store, so none
        // can fall between the read and the moment writes start being applied here.
        lock (db.WriteGate)
        {
            _lock.EnterWriteLock();
            try
            {
                if (_built) return;
                foreach (var doc in db.EntryKeys.FindAll()) AddUnlocked(doc);
                _built = true;
            }
            finally
            {
                _lock.ExitWriteLock();
            }
        }
    }

    /// <summary>Applies written entry keys (call after the commit).</summary>
    public void Apply(IEnumerable<BsonDocument> keys)
    {
        if (!_built) return; // the first query builds from the store, which already has them
        _lock.EnterWriteLock();
        try
        {
            foreach (var doc in keys)
            {
                // An updated entry keeps its slot, so a long-running process does not grow a row per edit.
                if (_ordinalById.TryGetValue(doc["_id"].AsString, out var ordinal))
                {
                    RemoveUnlocked(ordinal);
                    AddUnlocked(doc, ordinal);
                }
                else AddUnlocked(doc);
            }
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>Forgets everything: the next query rebuilds from entry_keys.</summary>
    public void Reset()
    {
        _lock.EnterWriteLock();
        try
        {
            _rows.Clear();
            _ordinalById.Clear();
            _postings.Clear();
            _sortedTokens = [];
            _built = false;
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    private void AddUnlocked(BsonDocument d, int? slot = null)
    {
        var row = new Row
        {
            Id = d["_id"].AsString, Code = d["C"].AsString, Status = d["S"].AsString, UnitId = d["U"].AsString,
            FieldId = d["F"].AsString, Kind = d["K"].AsString, Year = d["Y"].AsInt32,
            TitleKey = d["TK"].AsString, UpdatedKey = d["UK"].AsString, StartKey = d["SK"].AsString,
            Lineage = d["L"].AsArray.Select(v => v.AsString).ToArray(),
            Tokens = d["T"].AsArray.Select(v => v.AsString).Distinct(StringComparer.Ordinal).ToArray(),
            TokenText = " " + string.Join(' ', d["T"].AsArray.Select(v => v.AsString)),
        };
        var ordinal = slot ?? _rows.Count;
        if (slot is null) _rows.Add(row);
        else _rows[ordinal] = row;
        _ordinalById[row.Id] = ordinal;
        foreach (var token in row.Tokens)
        {
            if (!_postings.TryGetValue(token, out var list))
            {
                _postings[token] = list = [];
                _tokensDirty = true;
            }
            list.Add(ordinal);
        }
    }

    private void RemoveUnlocked(int ordinal)
    {
        var row = _rows[ordinal]!;
        _rows[ordinal] = null;
        _ordinalById.Remove(row.Id);
        foreach (var token in row.Tokens)
            if (_postings.TryGetValue(token, out var list))
            {
                list.Remove(ordinal);
                if (list.Count == 0)
                {
                    _postings.Remove(token);
                    _tokensDirty = true;
                }
            }
    }

    /// <summary>Rows held, for tests: one per entry, however often entries change.</summary>
    internal int RowCount
    {
        get
        {
            _lock.EnterReadLock();
            try
            {
                return _rows.Count;
            }
            finally
            {
                _lock.ExitReadLock();
            }
        }
    }

    /// <summary>The ids of one keyset page (in display order) and, if asked, the total number of matches.</summary>
    public (List<string> Ids, bool HasNext, bool HasPrevious, long Total) Find(EntryFilter f, EntrySort sort, PageRequest page)
    {
        EnsureBuilt();
        RefreshTokensIfDirty();
        _lock.EnterReadLock();
        try
        {
            var matches = new List<Row>();
            var needles = f.SearchTerms.Select(t => " " + t).ToArray();
            foreach (var row in Candidates(f.SearchTerms))
                if (Matches(row, f, needles)) matches.Add(row);

            Func<Row, string> key = sort.Field switch
            {
                EntrySortField.Code => r => r.Code,
                EntrySortField.Title => r => r.TitleKey,
                EntrySortField.UpdatedAt => r => r.UpdatedKey,
                EntrySortField.StartDate => r => r.StartKey,
                _ => throw new ArgumentOutOfRangeException(nameof(sort)),
            };
            var plan = KeysetPlan.For(sort.Direction, page);
            IEnumerable<Row> bounded = matches;
            if (plan.GreaterThan is { } gt) bounded = bounded.Where(r => string.CompareOrdinal(key(r), gt) > 0);
            if (plan.LessThan is { } lt) bounded = bounded.Where(r => string.CompareOrdinal(key(r), lt) < 0);
            var ordered = plan.ReadAscending
                ? bounded.OrderBy(key, StringComparer.Ordinal)
                : bounded.OrderByDescending(key, StringComparer.Ordinal);
            var rows = ordered.Take(plan.Take).Select(r => r.Id).ToList();
            var result = plan.ToPage(rows, page, page.CountTotal ? matches.Count : -1);
            return ([.. result.Items], result.HasNextPage, result.HasPreviousPage, result.TotalCount);
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    private void RefreshTokensIfDirty()
    {
        if (!_tokensDirty) return;
        _lock.EnterWriteLock();
        try
        {
            if (!_tokensDirty) return;
            _sortedTokens = [.. _postings.Keys.Order(StringComparer.Ordinal)];
            _tokensDirty = false;
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>
    /// Rows that can match: for a search, the postings of the most selective term's prefix
    /// (the other terms are checked per row); otherwise every row.
    /// </summary>
    private IEnumerable<Row> Candidates(IReadOnlyList<string> terms)
    {
        if (terms.Count == 0) return _rows.OfType<Row>();
        List<int>[]? best = null;
        var bestSize = long.MaxValue;
        foreach (var term in terms)
        {
            var lists = PrefixPostings(term);
            long size = lists.Sum(l => (long)l.Count);
            if (size < bestSize)
            {
                best = lists;
                bestSize = size;
            }
        }
        if (best is null || bestSize == 0) return [];
        var seen = new HashSet<int>();
        return best.SelectMany(l => l).Where(seen.Add).Select(o => _rows[o]).OfType<Row>();
    }

    private List<int>[] PrefixPostings(string prefix)
    {
        var tokens = _sortedTokens;
        var lo = Array.BinarySearch(tokens, prefix, StringComparer.Ordinal);
        if (lo < 0) lo = ~lo;
        var result = new List<List<int>>();
        for (var i = lo; i < tokens.Length && tokens[i].StartsWith(prefix, StringComparison.Ordinal); i++)
            if (_postings.TryGetValue(tokens[i], out var list)) result.Add(list);
        return [.. result];
    }

    private static bool Matches(Row r, EntryFilter f, string[] needles)
    {
        foreach (var needle in needles)
            if (!r.TokenText.Contains(needle, StringComparison.Ordinal)) return false;
        if (f.UnitId is not null && (f.IncludeSubunits ? !r.Lineage.Contains(f.UnitId) : r.UnitId != f.UnitId)) return false;
        if (f.FieldId is not null && r.FieldId != f.FieldId) return false;
        if (f.Kind is { } kind && r.Kind != kind.ToString()) return false;
        if (f.Statuses.Count > 0 && !f.Statuses.Any(s => s.ToString() == r.Status)) return false;
        if (f.Year is { } year && r.Year != year) return false;
        if (!f.Visibility.AllDrafts && r.Status == nameof(EntryStatus.Draft) &&
            (f.Visibility.DraftUnitScope is not { } scope || !r.Lineage.Contains(scope))) return false;
        return true;
    }
}
