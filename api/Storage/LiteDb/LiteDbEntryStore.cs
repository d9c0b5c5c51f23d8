using DanVanKheo.Api.Audit;
using DanVanKheo.Api.Common;
using DanVanKheo.Api.Entries;
using DanVanKheo.Api.Storage.LiteDb.Search;
using LiteDB;

namespace DanVanKheo.Api.Storage.LiteDb;

public sealed class LiteDbEntryStore(LiteDbContext db) : IEntryStore
{
    private readonly bool _searchIndex = true;

    /// <param name="searchIndex">false: searches always scan the store (tests of that path).</param>
    internal LiteDbEntryStore(LiteDbContext db, bool searchIndex) : this(db) => _searchIndex = searchIndex;

    private ILiteCollection<Entry> Col => db.Entries;
    private ILiteCollection<BsonDocument> Keys => db.EntryKeys;

    public Task<long> ReserveSequenceAsync(int year, int count, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var id = CounterId(year);
        var first = db.InTransaction(() =>
        {
            var doc = db.Counters.FindById(id);
            var last = doc is null ? 0L : doc["Value"].AsInt64;
            db.Counters.Upsert(new BsonDocument { ["_id"] = id, ["Value"] = last + count });
            return last + 1;
        });
        return Task.FromResult(first);
    }

    public Task<bool> RegisterAsync(Entry entry, int expectedVersion, AuditScope? audit, CancellationToken ct = default)
    {
        try
        {
            // Under the write gate: the counter is read and moved on only by a submit that commits.
            var registered = db.InTransaction(() =>
            {
                var stored = Col.FindById(entry.Id);
                if (stored is null || stored.Version != expectedVersion) return false;
                var counterId = CounterId(entry.Year);
                var next = (db.Counters.FindById(counterId) is { } doc ? doc["Value"].AsInt64 : 0L) + 1;
                EntryRules.AssignCode(entry, next);
                if (!Col.Update(entry)) return false;
                db.Counters.Upsert(new BsonDocument { ["_id"] = counterId, ["Value"] = next });
                db.WriteEntryKeys([entry], inserted: false);
                LiteDbAuditStore.Record(db, audit, new AuditTarget(AuditTargetTypes.Entry, entry.Id, entry.UnitId, stored, entry));
                return true;
            });
            return Task.FromResult(registered);
        }
        catch (LiteException e) when (LiteDbContext.IsDuplicateKey(e))
        {
            throw new DuplicateKeyException($"Entry code {entry.Code} already exists.", e);
        }
    }

    public Task<int> WithdrawDraftCodesAsync(CancellationToken ct = default)
    {
        // Drafts are not indexed by status here, so the scan runs once per file; from then on no
        // draft is stored with a code.
        if (db.Counters.FindById(DraftCodesWithdrawnKey) is not null) return Task.FromResult(0);
        var changed = db.InTransaction(() =>
        {
            var drafts = Col.Find(Query.EQ("Status", nameof(EntryStatus.Draft))).Where(EntryRules.WithdrawDraftCode).ToList();
            foreach (var draft in drafts) Col.Update(draft);
            db.WriteEntryKeys(drafts, inserted: false);
            db.Counters.Upsert(new BsonDocument { ["_id"] = DraftCodesWithdrawnKey, ["Value"] = true });
            return drafts.Count;
        });
        return Task.FromResult(changed);
    }

    private const string DraftCodesWithdrawnKey = "draft-codes-withdrawn";

    private static string CounterId(int year) => $"entry-code-{year}";

    public Task InsertAsync(Entry entry, AuditScope? audit, CancellationToken ct = default)
    {
        try
        {
            db.InTransaction(() =>
            {
                Col.Insert(entry);
                db.WriteEntryKeys([entry], inserted: true);
                LiteDbAuditStore.Record(db, audit, new AuditTarget(AuditTargetTypes.Entry, entry.Id, entry.UnitId, null, entry));
                return true;
            });
        }
        catch (LiteException e) when (LiteDbContext.IsDuplicateKey(e))
        {
            throw new DuplicateKeyException($"Entry code {entry.Code} already exists.", e);
        }
        return Task.CompletedTask;
    }

    public Task InsertManyAsync(IReadOnlyList<Entry> entries, CancellationToken ct = default)
    {
        try
        {
            db.InTransaction(() =>
            {
                Col.InsertBulk(entries, batchSize: 5000);
                db.WriteEntryKeys(entries, inserted: true);
                return 0;
            });
        }
        catch (LiteException e) when (LiteDbContext.IsDuplicateKey(e))
        {
            throw new DuplicateKeyException("An entry code already exists.", e);
        }
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<Entry>> GetByIdsAsync(IReadOnlyCollection<string> ids, CancellationToken ct = default)
    {
        if (ids.Count == 0) return Task.FromResult<IReadOnlyList<Entry>>([]);
        return Task.FromResult<IReadOnlyList<Entry>>(Col.Find(LiteDbQuery.In("_id", ids.Distinct().Select(i => new BsonValue(i)))).ToList());
    }

    public Task<Entry?> GetByCodeAsync(string code, CancellationToken ct = default) =>
        Task.FromResult<Entry?>(Col.FindOne(LiteDbQuery.Eq("Code", code.Trim().ToUpperInvariant())));

    public Task<bool> ReplaceAsync(Entry entry, int expectedVersion, AuditScope? audit, CancellationToken ct = default)
    {
        var replaced = db.InTransaction(() =>
        {
            var stored = Col.FindById(entry.Id);
            if (stored is null || stored.Version != expectedVersion) return false;
            if (!Col.Update(entry)) return false;
            db.WriteEntryKeys([entry], inserted: false);
            LiteDbAuditStore.Record(db, audit, new AuditTarget(AuditTargetTypes.Entry, entry.Id, entry.UnitId, stored, entry));
            return true;
        });
        return Task.FromResult(replaced);
    }

    public Task<Page<Entry>> FindAsync(EntryFilter filter, EntrySort sort, PageRequest page, CancellationToken ct = default)
    {
        // The index answers once it holds every committed change; until then (a rebuild or a
        // catch-up after start) the store is scanned instead of making the request wait.
        var ids = (_searchIndex ? db.EntryIndex.TryFind(filter, sort, page) : null) ?? StoreEntryScan.Find(Keys, filter, sort, page);
        if (ids.Items.Count == 0) return Task.FromResult(new Page<Entry>([], ids.HasNextPage, ids.HasPreviousPage, ids.TotalCount));
        var byId = Col.Find(LiteDbQuery.In("_id", ids.Items.Select(i => new BsonValue(i)))).ToDictionary(e => e.Id);
        var items = ids.Items.Select(id => byId.GetValueOrDefault(id)).OfType<Entry>().ToList();
        return Task.FromResult(new Page<Entry>(items, ids.HasNextPage, ids.HasPreviousPage, ids.TotalCount));
    }

    public Task<long> CountAsync(CancellationToken ct = default) => Task.FromResult(Col.LongCount());
}
