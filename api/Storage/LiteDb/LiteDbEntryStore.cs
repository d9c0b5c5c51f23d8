using DanVanKheo.Api.Audit;
using DanVanKheo.Api.Common;
using DanVanKheo.Api.Entries;
using LiteDB;

namespace DanVanKheo.Api.Storage.LiteDb;

public sealed class LiteDbEntryStore(LiteDbContext db) : IEntryStore
{
    private ILiteCollection<Entry> Col => db.Entries;
    private ILiteCollection<BsonDocument> Keys => db.EntryKeys;

    public Task<long> ReserveSequenceAsync(int year, int count, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var id = $"entry-code-{year}";
        var first = db.InTransaction(() =>
        {
            var doc = db.Counters.FindById(id);
            var last = doc is null ? 0L : doc["Value"].AsInt64;
            db.Counters.Upsert(new BsonDocument { ["_id"] = id, ["Value"] = last + count });
            return last + 1;
        });
        return Task.FromResult(first);
    }

    public Task InsertAsync(Entry entry, AuditScope? audit, CancellationToken ct = default)
    {
        try
        {
            db.InTransaction(() =>
            {
                var key = EntryKeyDocument.From(entry);
                Col.Insert(entry);
                Keys.Insert(key);
                LiteDbAuditStore.Record(db, audit, new AuditTarget(AuditTargetTypes.Entry, entry.Id, entry.UnitId, null, entry));
                db.AfterCommit(() => db.EntrySearch.Apply([key]));
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
                var keys = entries.Select(EntryKeyDocument.From).ToList();
                Col.InsertBulk(entries, batchSize: 5000);
                Keys.InsertBulk(keys, batchSize: 5000);
                db.AfterCommit(() => db.EntrySearch.Apply(keys));
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
        var values = new BsonArray(ids.Distinct().Select(i => new BsonValue(i)));
        return Task.FromResult<IReadOnlyList<Entry>>(Col.Find(Query.In("_id", values)).ToList());
    }

    public Task<Entry?> GetByCodeAsync(string code, CancellationToken ct = default) =>
        Task.FromResult<Entry?>(Col.FindOne(Query.EQ("Code", code.Trim().ToUpperInvariant())));

    public Task<bool> ReplaceAsync(Entry entry, int expectedVersion, AuditScope? audit, CancellationToken ct = default)
    {
        var replaced = db.InTransaction(() =>
        {
            var stored = Col.FindById(entry.Id);
            if (stored is null || stored.Version != expectedVersion) return false;
            if (!Col.Update(entry)) return false;
            var key = EntryKeyDocument.From(entry);
            Keys.Upsert(key);
            db.AfterCommit(() => db.EntrySearch.Apply([key]));
            LiteDbAuditStore.Record(db, audit, new AuditTarget(AuditTargetTypes.Entry, entry.Id, entry.UnitId, stored, entry));
            return true;
        });
        return Task.FromResult(replaced);
    }

    public Task<Page<Entry>> FindAsync(EntryFilter filter, EntrySort sort, PageRequest page, CancellationToken ct = default)
    {
        var (pageIds, hasNext, hasPrevious, total) = db.EntrySearch.Find(filter, sort, page);
        if (pageIds.Count == 0) return Task.FromResult(new Page<Entry>([], hasNext, hasPrevious, total));
        var byId = Col.Find(Query.In("_id", new BsonArray(pageIds.Select(i => new BsonValue(i))))).ToDictionary(e => e.Id);
        var items = pageIds.Select(id => byId.GetValueOrDefault(id)).OfType<Entry>().ToList();
        return Task.FromResult(new Page<Entry>(items, hasNext, hasPrevious, total));
    }

    public Task<long> CountAsync(CancellationToken ct = default) => Task.FromResult(Col.LongCount());
}
