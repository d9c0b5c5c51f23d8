using System.Globalization;
using DanVanKheo.Api.Audit;
using DanVanKheo.Api.Common;
using DanVanKheo.Api.Entries;
using DanVanKheo.Api.Fields;
using DanVanKheo.Api.Units;
using DanVanKheo.Api.Storage.LiteDb.Search;
using LiteDB;
using Microsoft.Extensions.Logging.Abstractions;

namespace DanVanKheo.Api.Storage.LiteDb;

/// <summary>
/// The embedded store: one LiteDB file opened once per process (Direct mode, so LiteDB's own
/// locks serialise writers and every commit is journaled before it returns). Strings compare
/// ordinally, as in MongoDB, so both stores order sort keys and enforce unique codes alike.
/// </summary>
public sealed class LiteDbContext : IDisposable
{
    public LiteDatabase Database { get; }

    /// <summary>
    /// Serialises read-check-write sequences (version checks, counters). LiteDB takes its
    /// collection lock only at the first write, so two transactions could otherwise read the
    /// same version; Direct mode keeps the file to this one process, so a process lock suffices.
    /// </summary>
    public Lock WriteGate { get; } = new();

    public LiteDbContext(string path, ILogger? logger = null) : this(path, logger, EntryIndex.DefaultCommitInterval)
    {
    }

    /// <param name="indexCommitInterval">how often the search index commits (tests: never, to play a crash).</param>
    /// <param name="indexCatchUpGate">when set, the search index's catch-up waits for it (tests).</param>
    internal LiteDbContext(string path, ILogger? logger, TimeSpan indexCommitInterval, Task? indexCatchUpGate = null)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(dir)) Directory.CreateDirectory(dir);
        var ordinal = new Collation(CultureInfo.InvariantCulture.LCID, CompareOptions.Ordinal);
        var connection = new ConnectionString { Filename = path, Connection = ConnectionType.Direct };
        // The collation is fixed when a file is created, and LiteDB refuses to open a file whose
        // collation differs from the one asked for; so it is asked for only for a new file, and
        // files made before it was set (LiteDB's default ignores case and control characters)
        // are rebuilt once.
        if (!File.Exists(path) || new FileInfo(path).Length == 0) connection.Collation = ordinal;
        Database = new LiteDatabase(connection, CreateMapper())
        {
            UtcDate = true,
        };
        if (Database.Collation.SortOptions != CompareOptions.Ordinal)
            Database.Rebuild(new LiteDB.Engine.RebuildOptions { Collation = ordinal });
        EnsureIndexes();
        _changeSequence = _committedChangeSequence = LastChangeSequence();
        StoreId = EnsureStoreId();
        EntryIndex = new EntryIndex(this, SearchDirectoryOf(path), StoreId, _committedChangeSequence, logger ?? NullLogger.Instance, indexCommitInterval, indexCatchUpGate);
    }

    /// <summary>Where the entry search index of the LiteDB file at <paramref name="path"/> lives.</summary>
    public static string SearchDirectoryOf(string path) => Path.GetFullPath(path) + ".search";

    /// <summary>A random id given to the file once, so an index made for another file is never trusted.</summary>
    public string StoreId { get; }

    private static object? NewWithoutDrawingAnId(Type type)
    {
        if (type.IsAbstract || type.GetConstructor(Type.EmptyTypes) is null) return null;
        using (Ids.Use(static () => "(read from the document)")) return Activator.CreateInstance(type);
    }

    public static BsonMapper CreateMapper()
    {
        // Reading a document must not draw an id: the id initializers (Ids.New()) would otherwise consume
        // the seed generator's id stream on every read, and the same seed would give different data.
        var mapper = new BsonMapper(NewWithoutDrawingAnId)
        {
            EnumAsInteger = false, SerializeNullValues = false, TrimWhitespace = false, EmptyStringToNull = false,
        };
        mapper.RegisterType<DateOnly>(
            d => new BsonValue(d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
            b => DateOnly.ParseExact(b.AsString, "yyyy-MM-dd", CultureInfo.InvariantCulture));
        mapper.RegisterType<DateOnly?>(
            d => d is { } v ? new BsonValue(v.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)) : BsonValue.Null,
            b => b.IsNull ? null : DateOnly.ParseExact(b.AsString, "yyyy-MM-dd", CultureInfo.InvariantCulture));
        mapper.Entity<Unit>().Id(u => u.Id, autoId: false);
        mapper.Entity<Field>().Id(f => f.Id, autoId: false);
        mapper.Entity<Entry>().Id(e => e.Id, autoId: false);
        mapper.Entity<AuditEvent>().Id(e => e.Id, autoId: false);
        return mapper;
    }

    public ILiteCollection<Unit> Units => Database.GetCollection<Unit>("units");
    public ILiteCollection<Field> Fields => Database.GetCollection<Field>("fields");
    public ILiteCollection<Entry> Entries => Database.GetCollection<Entry>("entries");
    public ILiteCollection<BsonDocument> Counters => Database.GetCollection("counters");
    /// <summary>One small document per entry with what queries filter and sort on (see <see cref="EntryKeyDocument"/>).</summary>
    public ILiteCollection<BsonDocument> EntryKeys => Database.GetCollection("entry_keys");

    /// <summary>The Lucene index over <see cref="EntryKeys"/>; one per file.</summary>
    internal EntryIndex EntryIndex { get; }

    /// <summary>All units of the file in memory, for reads by id; one per file.</summary>
    internal UnitSnapshot UnitSnapshot => _unitSnapshot ??= new UnitSnapshot(this);
    private UnitSnapshot? _unitSnapshot;
    public ILiteCollection<AuditEvent> AuditEvents => Database.GetCollection<AuditEvent>("audit");
    /// <summary>The last sequence and hash of each audit stream: read and moved on under the write gate.</summary>
    public ILiteCollection<BsonDocument> AuditHeads => Database.GetCollection("audit_heads");
    /// <summary>Audit event ids numbered in commit order (the live-update feed, <see cref="LiteDbAuditFeed"/>).</summary>
    public ILiteCollection<BsonDocument> AuditFeed => Database.GetCollection("audit_feed");

    /// <summary>Raised after a transaction that appended audit events has committed.</summary>
    public event Action? AuditCommitted;

    internal void RaiseAuditCommitted() => AuditCommitted?.Invoke();

    private void EnsureIndexes()
    {
        Units.EnsureIndex("ux_code", "$.Code", unique: true);
        Units.EnsureIndex("ix_parent", "$.ParentId");
        Units.EnsureIndex("ix_ancestors", "$.AncestorIds[*]");
        Fields.EnsureIndex("ux_code", "$.Code", unique: true);
        Entries.EnsureIndex("ux_code", "$.Code", unique: true);
        // The report summary reads entries changed since its watermark.
        Entries.EnsureIndex("ux_updated_key", "$.UpdatedKey", unique: true);
        // Entry queries run on a Lucene index (Search/EntryIndex) fed from the slim entry_keys
        // copy: LiteDB reads whole documents to filter, count and sort, which took seconds for a
        // broad search over 200,000 entries, and each secondary index (the search tokens above
        // all) cost as much per insert as the document itself.
        foreach (var old in new[] { "ix_tokens", "ix_lineage", "ix_field", "ix_status", "ix_unit", "ix_year", "ux_title_key", "ux_start_key" })
        {
            Entries.DropIndex(old);
            EntryKeys.DropIndex(old);
        }
        EntryKeys.DropIndex("ux_code");
        EntryKeys.DropIndex("ux_updated_key");
        // The change sequence: the search index catches up from it after a crash.
        EntryKeys.EnsureIndex("ix_seq", "$.Q");
        // Counting both collections reads every index node (seconds at a million entries), so it is
        // done once per file: keys are written in the entry's transaction ever since.
        if (Counters.FindById(EntryKeysCheckedKey) is null)
        {
            if (EntryKeys.LongCount() != Entries.LongCount()) RebuildEntryKeys();
            InTransaction(() => Counters.Upsert(new BsonDocument { ["_id"] = EntryKeysCheckedKey, ["Value"] = true }));
        }
        AuditEvents.EnsureIndex("ux_order", "$.OrderKey", unique: true);
        AuditEvents.EnsureIndex("ix_stream", "$.Stream");
        AuditEvents.EnsureIndex("ix_targets", "$.TargetIds[*]");
        AuditEvents.EnsureIndex("ix_actor", "$.ActorId");
        AuditEvents.EnsureIndex("ix_unit", "$.UnitId");
    }

    /// <summary>Re-derives entry_keys from entries (a file from before they existed, or one that drifted).</summary>
    private void RebuildEntryKeys()
    {
        InTransaction(() =>
        {
            EntryKeys.DeleteAll();
            foreach (var batch in Entries.FindAll().Chunk(5000))
                EntryKeys.InsertBulk(batch.Select(e => EntryKeyDocument.From(e, ++_changeSequence)));
            return 0;
        });
    }

    private long LastChangeSequence()
    {
        var last = EntryKeys.Query().OrderByDescending(BsonExpression.Create("$.Q")).Limit(1).FirstOrDefault();
        return last is not null && last["Q"].IsNumber ? last["Q"].AsInt64 : 0;
    }

    private string EnsureStoreId()
    {
        if (Counters.FindById(StoreIdKey) is { } existing) return existing["Value"].AsString;
        var id = Guid.NewGuid().ToString("N");
        InTransaction(() => Counters.Insert(new BsonDocument { ["_id"] = StoreIdKey, ["Value"] = id }));
        return id;
    }

    private const string StoreIdKey = "store-id";
    private const string EntryKeysCheckedKey = "entry-keys-checked";

    /// <summary>The sequence of the last entry change that committed: every lower one committed before it.</summary>
    public long CommittedChangeSequence => Volatile.Read(ref _committedChangeSequence);

    private long _changeSequence, _committedChangeSequence;

    /// <summary>
    /// Writes the search keys of changed entries inside the current transaction, each stamped with
    /// the next change sequence, and applies them to the search index once it commits.
    /// </summary>
    internal void WriteEntryKeys(IReadOnlyCollection<Entry> entries, bool inserted)
    {
        if (entries.Count == 0) return;
        var transaction = Current;
        var keys = entries.Select(e => EntryKeyDocument.From(e, ++_changeSequence)).ToList();
        if (inserted) EntryKeys.InsertBulk(keys, batchSize: 5000);
        else EntryKeys.Upsert(keys);
        transaction.AfterCommit(() => EntryIndex.Apply(keys));
    }

    /// <summary>
    /// Runs <paramref name="work"/> in a LiteDB transaction, all or nothing, and returns its
    /// result or rethrows its exception. Concurrent callers are group-committed: whoever gets the
    /// write gate runs every waiting caller's work in one transaction (in arrival order, each on
    /// the state the earlier ones left) and commits once, so a burst of writes pays one commit.
    /// A work that throws is taken out and the others run again without it, so it fails alone.
    /// Work must therefore be repeatable (it reads and writes the store, and defers anything
    /// else to <see cref="AfterCommit"/>). Called from inside a work, it joins that transaction.
    /// </summary>
    public T InTransaction<T>(Func<T> work)
    {
        if (WriteGate.IsHeldByCurrentThread && _current is not null) return work();
        var pending = new PendingWork(() => work(), ExecutionContext.Capture());
        _pending.Enqueue(pending);
        lock (WriteGate)
        {
            while (!pending.Done) RunBatch();
        }
        pending.Failure?.Throw();
        return (T)pending.Result!;
    }

    /// <summary>How many works one transaction takes at most (1: no group commit, for benches).</summary>
    internal int MaxBatch { get; set; } = 64;

    private readonly System.Collections.Concurrent.ConcurrentQueue<PendingWork> _pending = new();

    /// <summary>Works waiting for the write gate (tests).</summary>
    internal int PendingWorks => _pending.Count;

    /// <summary>Transactions committed so far (tests and benches: how many works shared one).</summary>
    internal long Commits => Volatile.Read(ref _commits);

    private long _commits;

    private void RunBatch()
    {
        var batch = new List<PendingWork>();
        while (batch.Count < MaxBatch && _pending.TryDequeue(out var next)) batch.Add(next);
        while (batch.Count > 0)
        {
            var transactions = new LiteDbTransaction[batch.Count];
            var results = new object?[batch.Count];
            var failed = -1;
            System.Runtime.ExceptionServices.ExceptionDispatchInfo? failure = null;
            try
            {
                Database.BeginTrans();
                for (var i = 0; i < batch.Count && failed < 0; i++)
                {
                    _current = transactions[i] = new LiteDbTransaction();
                    try
                    {
                        results[i] = batch[i].Run();
                    }
                    catch (Exception e)
                    {
                        failed = i;
                        failure = System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e);
                    }
                }
                if (failed < 0) Database.Commit();
            }
            catch (Exception e)
            {
                // The transaction itself failed: nothing was stored, and every work of the batch says so.
                try
                {
                    RollBack();
                }
                catch (LiteException)
                {
                    // Nothing is left to roll back.
                }
                var commitFailure = System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e);
                foreach (var work in batch) work.Fail(commitFailure);
                return;
            }
            finally
            {
                _current = null;
            }
            if (failed >= 0)
            {
                RollBack();
                batch[failed].Fail(failure!);
                batch.RemoveAt(failed);
                continue;
            }
            Interlocked.Increment(ref _commits);
            Volatile.Write(ref _committedChangeSequence, _changeSequence);
            for (var i = 0; i < batch.Count; i++)
            {
                try
                {
                    transactions[i].Committed();
                    batch[i].Complete(results[i]);
                }
                catch (Exception e)
                {
                    batch[i].Fail(System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e));
                }
            }
            return;
        }
    }

    private void RollBack()
    {
        Database.Rollback();
        _changeSequence = _committedChangeSequence;
    }

    /// <summary>One caller's work, run by whichever caller holds the gate, in the caller's execution context.</summary>
    private sealed class PendingWork(Func<object?> work, ExecutionContext? context)
    {
        private volatile bool _done;

        public bool Done => _done;
        public object? Result { get; private set; }
        public System.Runtime.ExceptionServices.ExceptionDispatchInfo? Failure { get; private set; }

        public object? Run()
        {
            if (context is null) return work();
            object? result = null;
            ExecutionContext.Run(context, _ => result = work(), null);
            return result;
        }

        public void Complete(object? result)
        {
            Result = result;
            _done = true;
        }

        public void Fail(System.Runtime.ExceptionServices.ExceptionDispatchInfo failure)
        {
            Failure = failure;
            _done = true;
        }
    }

    /// <summary>The open transaction; only read and set under <see cref="WriteGate"/>, by the thread that holds it.</summary>
    private LiteDbTransaction? _current;

    private LiteDbTransaction Current =>
        WriteGate.IsHeldByCurrentThread && _current is { } t ? t
            : throw new InvalidOperationException("This needs an open InTransaction on the calling thread.");

    /// <summary>
    /// Runs <paramref name="action"/> once the current transaction has committed (still under the
    /// write gate), or never if it rolls back: in-memory state follows only what was stored.
    /// </summary>
    public void AfterCommit(Action action) => Current.AfterCommit(action);

    /// <summary>What one transaction does once it has committed.</summary>
    private sealed class LiteDbTransaction
    {
        private List<Action>? _afterCommit;

        public void AfterCommit(Action action) => (_afterCommit ??= []).Add(action);

        public void Committed()
        {
            if (_afterCommit is null) return;
            foreach (var action in _afterCommit) action();
        }
    }

    public static bool IsDuplicateKey(LiteException e) => e.ErrorCode == LiteException.INDEX_DUPLICATE_KEY;

    public void Dispose()
    {
        try
        {
            EntryIndex?.Dispose();
        }
        finally
        {
            Database.Dispose();
        }
    }

    /// <summary>Closes the file as a crash would leave the search index: its uncommitted changes lost (tests).</summary>
    internal void DisposeAbandoningSearchIndex()
    {
        try
        {
            EntryIndex.Abandon();
        }
        finally
        {
            Database.Dispose();
        }
    }
}
