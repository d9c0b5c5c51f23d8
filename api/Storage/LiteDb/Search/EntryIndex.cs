using System.Collections.Frozen;
using System.Globalization;
using DanVanKheo.Api.Common;
using DanVanKheo.Api.Entries;
using LiteDB;
using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Store;
using Lucene.Net.Util;
using Lock = System.Threading.Lock;
using LuceneDirectory = Lucene.Net.Store.Directory;
using LuceneDocument = Lucene.Net.Documents.Document;
using Query = Lucene.Net.Search.Query;

namespace DanVanKheo.Api.Storage.LiteDb.Search;

/// <summary>Field names of the entry index.</summary>
internal static class EntryIndexFields
{
    public const string Id = "id", Words = "w", Prefixes = "p", Unit = "unit", Lineage = "lineage", Field = "field",
        Kind = "kind", Status = "status", Year = "year", Public = "pub", Code = "code", FoldedTitle = "tf";

    /// <summary>The shape of the documents; an index of another shape is rebuilt at start.</summary>
    public const string Format = "2";

    public static string SortOf(EntrySortField field) => field switch
    {
        EntrySortField.Code => "s_code",
        EntrySortField.Title => "s_title",
        EntrySortField.UpdatedAt => "s_updated",
        EntrySortField.StartDate => "s_start",
        EntrySortField.Year => "s_year",
        _ => throw new ArgumentOutOfRangeException(nameof(field)),
    };
}

/// <summary>How the index came up at start, for logs and tests.</summary>
internal sealed record EntryIndexStartup(bool Rebuild, long FromSequence, string Reason);

/// <summary>
/// The embedded store's entry search: a Lucene index in a directory beside the LiteDB file,
/// fed from <c>entry_keys</c>. The LiteDB commit is the truth: every entry write stamps its keys
/// with a change sequence (<c>Q</c>) in its own transaction and is applied here after the commit;
/// a Lucene commit records the sequence it holds, so after a crash only the later changes are
/// re-read. A missing, corrupt or foreign index is rebuilt in the background, in chunks and
/// without the write gate; until the index has caught up <see cref="TryFind"/> answers null
/// and the caller reads the store instead of waiting.
/// </summary>
internal sealed class EntryIndex : IDisposable
{
    private const int ChunkSize = 5000;
    public static readonly TimeSpan DefaultCommitInterval = TimeSpan.FromSeconds(2);

    private static readonly FieldType TokensType = Frozen(new FieldType
    {
        IsIndexed = true, IsTokenized = true, OmitNorms = true, IndexOptions = IndexOptions.DOCS_ONLY,
    });

    private readonly LiteDbContext _db;
    private readonly string _storeId;
    private readonly ILogger _logger;
    private readonly VietnameseFoldingAnalyzer _analyzer = new();
    private readonly BitsetSearch _bitsets = new();
    private readonly LuceneDirectory _directory;
    private readonly IndexWriter _writer;
    private readonly SearcherManager _searchers;
    private readonly Lock _refreshLock = new();
    private readonly Lock _commitLock = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Timer _commitTimer;
    private Task _catchUp = Task.CompletedTask;

    /// <summary>Bumped by every applied change; the searcher is reopened when it lags behind.</summary>
    private long _appliedGeneration, _visibleGeneration, _committedGeneration;
    /// <summary>The highest change sequence applied (once ready, every lower one is applied too).</summary>
    private long _appliedSequence, _committedSequence = -1;
    private volatile bool _ready;

    public EntryIndexStartup Startup { get; }

    /// <summary>True once the index holds every committed change (searches use it from then on).</summary>
    public bool IsReady => _ready;

    /// <param name="catchUpGate">when set, the catch-up waits for it (tests watch a rebuild in progress).</param>
    public EntryIndex(LiteDbContext db, string path, string storeId, long committedSequence, ILogger logger, TimeSpan commitInterval, Task? catchUpGate = null)
    {
        _db = db;
        _storeId = storeId;
        _logger = logger;
        System.IO.Directory.CreateDirectory(path);
        _directory = FSDirectory.Open(path);
        (_writer, _searchers, Startup) = Open(path, committedSequence);
        _appliedSequence = Startup.FromSequence;
        _catchUp = Task.Run(() =>
        {
            try
            {
                catchUpGate?.Wait(_stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            CatchUp(Startup.Rebuild, Startup.FromSequence);
        });
        _commitTimer = new Timer(_ => CommitQuietly(), null, commitInterval, commitInterval);
    }

    private (IndexWriter, SearcherManager, EntryIndexStartup) Open(string path, long committedSequence)
    {
        if (DirectoryReader.IndexExists(_directory))
        {
            IndexWriter? writer = null;
            try
            {
                writer = new IndexWriter(_directory, Config(OpenMode.APPEND));
                var data = writer.CommitData;
                if (data.TryGetValue("store", out var store) && store == _storeId &&
                    data.TryGetValue("format", out var format) && format == EntryIndexFields.Format &&
                    data.TryGetValue("seq", out var seqText) && long.TryParse(seqText, NumberStyles.None, CultureInfo.InvariantCulture, out var seq) &&
                    seq <= committedSequence)
                    return (writer, new SearcherManager(writer, true, null), new EntryIndexStartup(false, seq, "caught up from its last commit"));
                writer.DeleteAll();
                return (writer, new SearcherManager(writer, true, null), new EntryIndexStartup(true, 0, "the index belongs to another store or state"));
            }
            catch (Exception e) when (e is IOException or InvalidOperationException or ArgumentException or FormatException)
            {
                _logger.LogWarning(e, "The search index at {Path} cannot be read; rebuilding it", path);
                try
                {
                    writer?.Rollback();
                }
                catch (Exception) when (writer is not null)
                {
                    // Already broken; the files go next.
                }
                foreach (var file in System.IO.Directory.GetFiles(path)) File.Delete(file);
                var fresh = new IndexWriter(_directory, Config(OpenMode.CREATE));
                return (fresh, new SearcherManager(fresh, true, null), new EntryIndexStartup(true, 0, "the index was corrupt"));
            }
        }
        var created = new IndexWriter(_directory, Config(OpenMode.CREATE));
        return (created, new SearcherManager(created, true, null), new EntryIndexStartup(true, 0, "no index yet"));
    }

    private IndexWriterConfig Config(OpenMode mode) => new(LuceneVersion.LUCENE_48, _analyzer)
    {
        OpenMode = mode,
        RAMBufferSizeMB = 32,
    };

    private static FieldType Frozen(FieldType type)
    {
        type.Freeze();
        return type;
    }

    /// <summary>
    /// Reads what the index misses from the store: every entry key when rebuilding (in id
    /// order), then every change past <paramref name="fromSequence"/> (in sequence order),
    /// chunk by chunk until none is left. Writes go on meanwhile and are applied as they commit;
    /// a chunk read before a write may re-apply an older state, but the change itself is read
    /// again later, as its sequence is higher than anything read before it.
    /// </summary>
    private void CatchUp(bool rebuild, long fromSequence)
    {
        var ct = _stop.Token;
        try
        {
            var started = DateTime.UtcNow;
            long applied = 0;
            if (rebuild)
            {
                fromSequence = _db.CommittedChangeSequence;
                var lastId = "";
                while (!ct.IsCancellationRequested)
                {
                    var chunk = _db.EntryKeys.Find(LiteDbQuery.Gt("_id", lastId), 0, ChunkSize).ToList();
                    if (chunk.Count == 0) break;
                    Write(chunk);
                    applied += chunk.Count;
                    lastId = chunk[^1]["_id"].AsString;
                }
            }
            var last = fromSequence;
            while (!ct.IsCancellationRequested)
            {
                var chunk = _db.EntryKeys.Query().Where(LiteDbQuery.Gt("Q", last)).OrderBy("$.Q").Limit(ChunkSize).ToList();
                if (chunk.Count == 0) break;
                Write(chunk);
                applied += chunk.Count;
                last = chunk[^1]["Q"].AsInt64;
            }
            if (ct.IsCancellationRequested) return;
            Raise(ref _appliedSequence, last);
            _ready = true;
            Commit();
            _logger.LogInformation("Search index ready ({Reason}): {Count} entries applied in {Seconds:0.0} s",
                Startup.Reason, applied, (DateTime.UtcNow - started).TotalSeconds);
        }
        catch (Exception e) when (ct.IsCancellationRequested || e is ObjectDisposedException)
        {
            // Closing: what was applied is committed next time, the rest is read again at start.
        }
        catch (Exception e)
        {
            _logger.LogError(e, "Catching up the search index failed; searches read the store until the next start");
        }
    }

    private void Write(IReadOnlyList<BsonDocument> keys)
    {
        foreach (var key in keys) _writer.UpdateDocument(new Term(EntryIndexFields.Id, key["_id"].AsString), ToDocument(key));
        Interlocked.Increment(ref _appliedGeneration);
    }

    /// <summary>Applies committed entry keys (called after the LiteDB commit, in commit order).</summary>
    public void Apply(IReadOnlyList<BsonDocument> keys)
    {
        if (keys.Count == 0) return;
        try
        {
            Write(keys);
            Raise(ref _appliedSequence, keys.Max(k => k["Q"].AsInt64));
        }
        catch (Exception e)
        {
            // The store has the change: the request succeeded. Searches read the store until a catch-up has it.
            _logger.LogError(e, "Applying entry changes to the search index failed; catching up from the store");
            _ready = false;
            if (_catchUp.IsCompleted && !_stop.IsCancellationRequested)
            {
                var from = Volatile.Read(ref _committedSequence);
                _catchUp = Task.Run(() => CatchUp(false, Math.Max(0, from)));
            }
        }
    }

    private static void Raise(ref long target, long value)
    {
        var current = Volatile.Read(ref target);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current) return;
            current = seen;
        }
    }

    private static LuceneDocument ToDocument(BsonDocument d)
    {
        var status = d["S"].AsString;
        var words = string.Join(' ', d["T"].AsArray.Select(v => v.AsString));
        var doc = new LuceneDocument
        {
            new StringField(EntryIndexFields.Id, d["_id"].AsString, Field.Store.YES),
            new Field(EntryIndexFields.Words, words, TokensType),
            new Field(EntryIndexFields.Prefixes, words, TokensType),
            new StringField(EntryIndexFields.Unit, d["U"].AsString, Field.Store.NO),
            new StringField(EntryIndexFields.Field, d["F"].AsString, Field.Store.NO),
            new StringField(EntryIndexFields.Kind, d["K"].AsString, Field.Store.NO),
            new StringField(EntryIndexFields.Status, status, Field.Store.NO),
            new StringField(EntryIndexFields.Year, EntrySort.YearValue(d["Y"].AsInt32), Field.Store.NO),
            new StringField(EntryIndexFields.Code, d["C"].AsString, Field.Store.NO),
            new StringField(EntryIndexFields.FoldedTitle, EntryFilterValues.FoldedTitle(d["TK"].AsString), Field.Store.NO),
            new SortedDocValuesField(EntryIndexFields.SortOf(EntrySortField.Year), new BytesRef(EntrySort.YearValue(d["Y"].AsInt32))),
            new SortedDocValuesField(EntryIndexFields.SortOf(EntrySortField.Code), new BytesRef(d["C"].AsString)),
            new SortedDocValuesField(EntryIndexFields.SortOf(EntrySortField.Title), new BytesRef(d["TK"].AsString)),
            new SortedDocValuesField(EntryIndexFields.SortOf(EntrySortField.UpdatedAt), new BytesRef(d["UK"].AsString)),
            new SortedDocValuesField(EntryIndexFields.SortOf(EntrySortField.StartDate), new BytesRef(d["SK"].AsString)),
        };
        if (status != nameof(EntryStatus.Draft)) doc.Add(new StringField(EntryIndexFields.Public, "1", Field.Store.NO));
        foreach (var unit in d["L"].AsArray) doc.Add(new StringField(EntryIndexFields.Lineage, unit.AsString, Field.Store.NO));
        return doc;
    }

    /// <summary>One keyset page of entry ids in display order, or null while the index is catching up.</summary>
    public Page<string>? TryFind(EntryFilter filter, EntrySort sort, PageRequest page)
    {
        if (!_ready) return null;
        RefreshIfStale();
        var searcher = _searchers.Acquire();
        try
        {
            var plan = sort.Plan(page);
            List<string> ids;
            long total;
            if (filter.Where is null && sort.Effective.Count == 1)
            {
                // The plain lists and searches (no where tree, one unique sort key): per-segment bitsets
                // and a walk in sort-key order (BitsetSearch), which costs the page, not the matches.
                if (Clauses(filter) is not { } clauses) return plan.ToPage(new List<string>(), page, page.CountTotal ? 0 : -1);
                var ascending = plan.ReadDirections[0] == SortDirection.Asc;
                var (lower, upper) = ascending ? (plan.Start?[0], plan.End?[0]) : (plan.End?[0], plan.Start?[0]);
                var (hits, count) = _bitsets.Search(searcher.IndexReader, clauses, EntryIndexFields.SortOf(sort.Effective[0].Field),
                    ascending, lower, upper, plan.Take, page.CountTotal);
                ids = new List<string>(hits.Count);
                foreach (var hit in hits) ids.Add(hit.Reader.Document(hit.Doc, IdOnly).Get(EntryIndexFields.Id));
                total = count;
            }
            else
            {
                if (BuildQuery(filter) is not { } query) return plan.ToPage(new List<string>(), page, page.CountTotal ? 0 : -1);
                var read = plan.ReadDirections;
                var order = new Sort(sort.Effective
                    .Select((k, i) => new SortField(EntryIndexFields.SortOf(k.Field), SortFieldType.STRING, read[i] == SortDirection.Desc))
                    .ToArray());
                // The start bound is Lucene's search-after on every key (the last key is unique, so no
                // tie needs the doc id); the far bound, present only when both cursors are given, ends
                // the page at the first hit past it.
                var after = plan.Start is null ? null
                    : new FieldDoc(int.MaxValue, float.NaN, plan.Start.Select(v => (object)new BytesRef(v)).ToArray());
                var top = searcher.SearchAfter(after, query, null, plan.Take, order, false, false);
                ids = new List<string>(top.ScoreDocs.Length);
                foreach (var hit in top.ScoreDocs)
                {
                    if (plan.End is not null && hit is FieldDoc fields &&
                        plan.CompareInReadOrder(fields.Fields.Select(v => ((BytesRef)v).Utf8ToString()).ToList(), plan.End) >= 0) break;
                    ids.Add(searcher.Doc(hit.Doc, IdOnly).Get(EntryIndexFields.Id));
                }
                // Search-after still counts every match.
                total = page.CountTotal ? top.TotalHits : -1;
            }
            return plan.ToPage(ids, page, total);
        }
        finally
        {
            _searchers.Release(searcher);
        }
    }

    private static readonly FrozenSet<string> IdOnly = new HashSet<string> { EntryIndexFields.Id }.ToFrozenSet();

    /// <summary>The number of entries the index holds (after the last applied change), for tests.</summary>
    internal int DocumentCount()
    {
        RefreshIfStale();
        var searcher = _searchers.Acquire();
        try
        {
            return searcher.IndexReader.NumDocs;
        }
        finally
        {
            _searchers.Release(searcher);
        }
    }

    /// <summary>Waits until the index has caught up, for tests and benches.</summary>
    internal bool WaitUntilReady(TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        while (!_ready && DateTime.UtcNow < until) Thread.Sleep(10);
        return _ready;
    }

    /// <summary>The filter as required clauses (none: every entry); null when it can match nothing.</summary>
    private List<SearchClause>? Clauses(EntryFilter f)
    {
        var all = new List<SearchClause>();
        void Require(string field, string text) => all.Add(new SearchClause([new SearchTerm(field, text)]));
        foreach (var term in f.SearchTerms)
        {
            if (_analyzer.QueryWord(term) is not { } word) return null;
            all.Add(new SearchClause([word.Length <= VietnameseFoldingAnalyzer.MaxPrefixLength
                ? new SearchTerm(EntryIndexFields.Prefixes, word)
                : new SearchTerm(EntryIndexFields.Words, word, Prefix: true)]));
        }
        if (f.UnitId is not null) Require(f.IncludeSubunits ? EntryIndexFields.Lineage : EntryIndexFields.Unit, f.UnitId);
        if (f.FieldId is not null) Require(EntryIndexFields.Field, f.FieldId);
        if (f.Kind is { } kind) Require(EntryIndexFields.Kind, kind.ToString());
        if (f.Year is { } year) Require(EntryIndexFields.Year, EntrySort.YearValue(year));
        if (f.Statuses.Count > 0)
            all.Add(new SearchClause(f.Statuses.Distinct().Select(s => new SearchTerm(EntryIndexFields.Status, s.ToString())).ToList()));
        if (!f.Visibility.AllDrafts)
        {
            List<SearchTerm> visible = [new SearchTerm(EntryIndexFields.Public, "1")];
            if (f.Visibility.DraftUnitScope is { } scope) visible.Add(new SearchTerm(EntryIndexFields.Lineage, scope));
            all.Add(new SearchClause(visible));
        }
        return all;
    }

    private Query? BuildQuery(EntryFilter f)
    {
        var all = new BooleanQuery();
        foreach (var term in f.SearchTerms)
        {
            if (_analyzer.QueryWord(term) is not { } word) return null;
            all.Add(word.Length <= VietnameseFoldingAnalyzer.MaxPrefixLength
                ? new TermQuery(new Term(EntryIndexFields.Prefixes, word))
                : new PrefixQuery(new Term(EntryIndexFields.Words, word)), Occur.MUST);
        }
        if (f.UnitId is not null)
            all.Add(new TermQuery(new Term(f.IncludeSubunits ? EntryIndexFields.Lineage : EntryIndexFields.Unit, f.UnitId)), Occur.MUST);
        if (f.FieldId is not null) all.Add(new TermQuery(new Term(EntryIndexFields.Field, f.FieldId)), Occur.MUST);
        if (f.Kind is { } kind) all.Add(new TermQuery(new Term(EntryIndexFields.Kind, kind.ToString())), Occur.MUST);
        if (f.Year is { } year) all.Add(new TermQuery(new Term(EntryIndexFields.Year, EntrySort.YearValue(year))), Occur.MUST);
        if (f.Statuses.Count > 0)
        {
            var any = new BooleanQuery();
            foreach (var status in f.Statuses.Distinct()) any.Add(new TermQuery(new Term(EntryIndexFields.Status, status.ToString())), Occur.SHOULD);
            all.Add(any, Occur.MUST);
        }
        if (!f.Visibility.AllDrafts)
        {
            var visible = new BooleanQuery { { new TermQuery(new Term(EntryIndexFields.Public, "1")), Occur.SHOULD } };
            if (f.Visibility.DraftUnitScope is { } scope) visible.Add(new TermQuery(new Term(EntryIndexFields.Lineage, scope)), Occur.SHOULD);
            all.Add(visible, Occur.MUST);
        }
        if (f.Where is not null) all.Add(Filters.Fold(f.Where, Leaf, All, Any), Occur.MUST);
        return all.Clauses.Count == 0 ? new MatchAllDocsQuery() : new ConstantScoreQuery(all);
    }

    private static Query All(IReadOnlyList<Query> parts)
    {
        if (parts.Count == 0) return new MatchAllDocsQuery();
        var q = new BooleanQuery();
        foreach (var p in parts) q.Add(p, Occur.MUST);
        return q;
    }

    /// <summary>Without MUST clauses a boolean query matches documents that match a SHOULD; with none it matches nothing.</summary>
    private static Query Any(IReadOnlyList<Query> parts)
    {
        var q = new BooleanQuery();
        foreach (var p in parts) q.Add(p, Occur.SHOULD);
        return q;
    }

    private static Query Not(Query query) => new BooleanQuery { { new MatchAllDocsQuery(), Occur.MUST }, { query, Occur.MUST_NOT } };

    /// <summary>One condition as a Lucene query: terms for equality, prefix and wildcard queries for text, ranges for order.</summary>
    private Query Leaf(Condition c)
    {
        switch (c.Field)
        {
            case EntryQuerying.Search:
                return _analyzer.QueryWord((string)c.Value) is not { } word ? new BooleanQuery()
                    : word.Length <= VietnameseFoldingAnalyzer.MaxPrefixLength
                        ? new TermQuery(new Term(EntryIndexFields.Prefixes, word))
                        : new PrefixQuery(new Term(EntryIndexFields.Words, word));
            case EntryQuerying.UpdatedAt:
                var (from, before) = EntryFilterValues.UpdatedBounds(c.Operator, (DateTime)c.Value);
                return new ConstantScoreQuery(FieldCacheRangeFilter.NewStringRange(EntryIndexFields.SortOf(EntrySortField.UpdatedAt),
                    from, before, from is not null, false));
        }
        var field = c.Field switch
        {
            EntryQuerying.Id => EntryIndexFields.Id,
            EntryQuerying.Code => EntryIndexFields.Code,
            EntryQuerying.Title => EntryIndexFields.FoldedTitle,
            EntryQuerying.Year => EntryIndexFields.Year,
            EntryQuerying.Status => EntryIndexFields.Status,
            EntryQuerying.Kind => EntryIndexFields.Kind,
            EntryQuerying.UnitId => EntryIndexFields.Unit,
            EntryQuerying.SubtreeOf => EntryIndexFields.Lineage,
            EntryQuerying.FieldId => EntryIndexFields.Field,
            _ => throw new ArgumentOutOfRangeException(nameof(c), c.Field, "Not an entry filter field."),
        };
        var values = c.Values.Select(v => v is int year ? EntrySort.YearValue(year) : v.ToString()!).ToList();
        Query Term(string v) => new TermQuery(new Term(field, v));
        return c.Operator switch
        {
            FilterOperator.Eq => Term(values[0]),
            FilterOperator.Neq => Not(Term(values[0])),
            FilterOperator.In => Any(values.Select(Term).ToList()),
            FilterOperator.Nin => Not(Any(values.Select(Term).ToList())),
            FilterOperator.Gt => TermRangeQuery.NewStringRange(field, values[0], null, false, false),
            FilterOperator.Gte => TermRangeQuery.NewStringRange(field, values[0], null, true, false),
            FilterOperator.Lt => TermRangeQuery.NewStringRange(field, null, values[0], false, false),
            FilterOperator.Lte => TermRangeQuery.NewStringRange(field, null, values[0], false, true),
            FilterOperator.StartsWith => new PrefixQuery(new Term(field, values[0])),
            FilterOperator.Contains => new WildcardQuery(new Term(field, "*" + EscapeWildcard(values[0]) + "*")),
            _ => throw new ArgumentOutOfRangeException(nameof(c)),
        };
    }

    private static string EscapeWildcard(string text) =>
        text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("*", "\\*", StringComparison.Ordinal).Replace("?", "\\?", StringComparison.Ordinal);

    private void RefreshIfStale()
    {
        var applied = Volatile.Read(ref _appliedGeneration);
        if (applied == Volatile.Read(ref _visibleGeneration)) return;
        lock (_refreshLock)
        {
            if (applied <= _visibleGeneration) return;
            var generation = Volatile.Read(ref _appliedGeneration);
            _searchers.MaybeRefreshBlocking();
            Volatile.Write(ref _visibleGeneration, generation);
        }
    }

    /// <summary>
    /// Makes what the index holds durable, with the change sequence up to which it holds
    /// everything. Nothing is committed while catching up: a crash then starts over from the
    /// previous commit (or, for a rebuild, from nothing), which is never ahead of the store.
    /// </summary>
    public void Commit()
    {
        lock (_commitLock)
        {
            if (!_ready) return;
            var sequence = Volatile.Read(ref _appliedSequence);
            var generation = Volatile.Read(ref _appliedGeneration);
            if (generation == _committedGeneration && sequence == _committedSequence) return;
            _writer.SetCommitData(new Dictionary<string, string>
            {
                ["store"] = _storeId,
                ["format"] = EntryIndexFields.Format,
                ["seq"] = sequence.ToString(CultureInfo.InvariantCulture),
            });
            _writer.Commit();
            _committedGeneration = generation;
            Volatile.Write(ref _committedSequence, sequence);
        }
    }

    private void CommitQuietly()
    {
        try
        {
            if (!_stop.IsCancellationRequested) Commit();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            _logger.LogWarning(e, "Committing the search index failed; the next commit or start catches up");
        }
    }

    /// <summary>Closes without committing what was applied since the last commit, as a crash would (tests).</summary>
    internal void Abandon()
    {
        if (_closed) return;
        _closed = true;
        Stop();
        _searchers.Dispose();
        _writer.Rollback();
        _directory.Dispose();
    }

    private void Stop()
    {
        _stop.Cancel();
        _commitTimer.Dispose();
        try
        {
            _catchUp.Wait(TimeSpan.FromSeconds(30));
        }
        catch (AggregateException)
        {
            // Logged by the catch-up itself.
        }
    }

    private bool _closed;

    public void Dispose()
    {
        if (_closed) return;
        _closed = true;
        Stop();
        try
        {
            Commit();
        }
        finally
        {
            _searchers.Dispose();
            _writer.Dispose();
            _directory.Dispose();
            _analyzer.Dispose();
        }
    }
}
