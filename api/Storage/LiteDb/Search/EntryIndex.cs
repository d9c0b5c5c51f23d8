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

namespace DanVanKheo.Api.Storage.LiteDb.Search;

/// <summary>Field names of the entry index.</summary>
internal static class EntryIndexFields
{
    public const string Id = "id", Words = "w", Prefixes = "p", Unit = "unit", Lineage = "lineage", Field = "field",
        Kind = "kind", Status = "status", Year = "year", Public = "pub";

    public static string SortOf(EntrySortField field) => field switch
    {
        EntrySortField.Code => "s_code",
        EntrySortField.Title => "s_title",
        EntrySortField.UpdatedAt => "s_updated",
        EntrySortField.StartDate => "s_start",
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

    public EntryIndex(LiteDbContext db, string path, string storeId, long committedSequence, ILogger logger, TimeSpan commitInterval)
    {
        _db = db;
        _storeId = storeId;
        _logger = logger;
        System.IO.Directory.CreateDirectory(path);
        _directory = FSDirectory.Open(path);
        (_writer, _searchers, Startup) = Open(path, committedSequence);
        _appliedSequence = Startup.FromSequence;
        _catchUp = Task.Run(() => CatchUp(Startup.Rebuild, Startup.FromSequence));
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
            new StringField(EntryIndexFields.Year, d["Y"].AsInt32.ToString(CultureInfo.InvariantCulture), Field.Store.NO),
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
            var plan = KeysetPlan.For(sort.Direction, page);
            if (Clauses(filter) is not { } clauses) return plan.ToPage(new List<string>(), page, page.CountTotal ? 0 : -1);
            var (hits, total) = _bitsets.Search(searcher.IndexReader, clauses, EntryIndexFields.SortOf(sort.Field),
                plan.ReadAscending, plan.GreaterThan, plan.LessThan, plan.Take, page.CountTotal);
            var ids = new List<string>(hits.Count);
            foreach (var hit in hits) ids.Add(hit.Reader.Document(hit.Doc, IdOnly).Get(EntryIndexFields.Id));
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
        if (f.Year is { } year) Require(EntryIndexFields.Year, year.ToString(CultureInfo.InvariantCulture));
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
