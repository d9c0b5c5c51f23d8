using System.Globalization;
using DanVanKheo.Api.Audit;
using DanVanKheo.Api.Common;
using DanVanKheo.Api.Entries;
using DanVanKheo.Api.Fields;
using DanVanKheo.Api.Units;
using LiteDB;

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

    public LiteDbContext(string path)
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
    }

    public static BsonMapper CreateMapper()
    {
        var mapper = new BsonMapper { EnumAsInteger = false, SerializeNullValues = false, TrimWhitespace = false, EmptyStringToNull = false };
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

    /// <summary>The in-memory search index over <see cref="EntryKeys"/>; one per file.</summary>
    internal EntrySearchIndex EntrySearch => _entrySearch ??= new EntrySearchIndex(this);
    private EntrySearchIndex? _entrySearch;

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
        // Entry queries run on an in-memory inverted index (EntrySearchIndex) built from the slim
        // entry_keys copy: LiteDB reads whole documents to filter, count and sort, which took
        // seconds for a broad search over 200,000 entries, and each secondary index (the search
        // tokens above all) cost as much per insert as the document itself.
        foreach (var old in new[] { "ix_tokens", "ix_lineage", "ix_field", "ix_status", "ix_unit", "ix_year", "ux_title_key", "ux_start_key" })
        {
            Entries.DropIndex(old);
            EntryKeys.DropIndex(old);
        }
        EntryKeys.DropIndex("ux_code");
        EntryKeys.DropIndex("ux_updated_key");
        if (EntryKeys.LongCount() != Entries.LongCount()) RebuildEntryKeys();
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
                EntryKeys.InsertBulk(batch.Select(EntryKeyDocument.From));
            return 0;
        });
        _entrySearch?.Reset();
    }

    /// <summary>Runs <paramref name="work"/> in one LiteDB transaction (bound to this thread).</summary>
    public T InTransaction<T>(Func<T> work)
    {
        lock (WriteGate) return InTransactionUnlocked(work);
    }

    private T InTransactionUnlocked<T>(Func<T> work)
    {
        Database.BeginTrans();
        _afterCommit = [];
        try
        {
            var result = work();
            Database.Commit();
            foreach (var action in _afterCommit) action();
            return result;
        }
        catch
        {
            Database.Rollback();
            throw;
        }
        finally
        {
            _afterCommit = null;
        }
    }

    [ThreadStatic]
    private static List<Action>? _afterCommit;

    /// <summary>
    /// Runs <paramref name="action"/> once the current transaction has committed (still under the
    /// write gate), or never if it rolls back: in-memory state follows only what was stored.
    /// </summary>
    public void AfterCommit(Action action)
    {
        if (_afterCommit is null) throw new InvalidOperationException("AfterCommit needs an open InTransaction.");
        _afterCommit.Add(action);
    }

    public static bool IsDuplicateKey(LiteException e) => e.ErrorCode == LiteException.INDEX_DUPLICATE_KEY;

    public void Dispose() => Database.Dispose();
}
