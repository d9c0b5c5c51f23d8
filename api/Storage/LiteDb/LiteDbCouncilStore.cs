using DanVanKheo.Api.Audit;
using DanVanKheo.Api.Common;
using DanVanKheo.Api.Councils;
using DanVanKheo.Api.Rounds;
using LiteDB;

namespace DanVanKheo.Api.Storage.LiteDb;

public sealed class LiteDbCouncilStore : ICouncilStore
{
    private readonly LiteDbContext _db;

    public LiteDbCouncilStore(LiteDbContext db)
    {
        // Stores are built lazily, possibly on two threads at once: LiteDB's mapper and collection list
        // are not safe to change concurrently, so building one takes the write gate.
        lock (db.WriteGate)
        {
            _db = db;
            db.Database.Mapper.Entity<Council>().Id(c => c.Id, autoId: false);
            Col.EnsureIndex("ix_unit", "$.UnitId");
        }
    }

    private ILiteCollection<Council> Col => _db.Database.GetCollection<Council>("councils");

    public Task InsertAsync(Council council, AuditScope? audit, CancellationToken ct = default)
    {
        _db.InTransaction(() =>
        {
            Col.Insert(council);
            LiteDbAuditStore.Record(_db, audit, RoundAudit.Council(null, council));
            return true;
        });
        return Task.CompletedTask;
    }


    public Task<IReadOnlyList<Council>> GetByIdsAsync(IReadOnlyCollection<string> ids, CancellationToken ct = default)
    {
        if (ids.Count == 0) return Task.FromResult<IReadOnlyList<Council>>([]);
        var values = new BsonArray(ids.Distinct().Select(i => new BsonValue(i)));
        return Task.FromResult<IReadOnlyList<Council>>(Col.Find(Query.In("_id", values)).ToList());
    }

    public Task<bool> ReplaceAsync(Council council, int expectedVersion, AuditScope? audit, CancellationToken ct = default) =>
        Task.FromResult(_db.InTransaction(() =>
        {
            var stored = Col.FindById(council.Id);
            if (stored is null || stored.Version != expectedVersion || !Col.Update(council)) return false;
            LiteDbAuditStore.Record(_db, audit, RoundAudit.Council(stored, council));
            return true;
        }));

    public Task<Page<Council>> FindAsync(string? unitId, PageRequest page, CancellationToken ct = default)
    {
        var filters = new List<BsonExpression>();
        if (unitId is not null) filters.Add(Query.EQ("UnitId", unitId));
        return Task.FromResult(LiteDbQuery.Run(Col, filters, "$._id", SortDirection.Asc, page));
    }
}
