using System.Globalization;
using DanVanKheo.Api.Audit;
using DanVanKheo.Api.Common;
using DanVanKheo.Api.Units;
using LiteDB;

namespace DanVanKheo.Api.Storage.LiteDb;

public sealed class LiteDbUnitStore(LiteDbContext db) : IUnitStore
{
    private ILiteCollection<Unit> Col => db.Units;

    /// <summary>
    /// Served from a per-file snapshot of all units (a few thousand even nationally): lineage and
    /// reach load thousands of units by id, which LiteDB answers one index seek and one document
    /// read at a time. Callers get copies, so changing one never changes the snapshot.
    /// </summary>
    public Task<IReadOnlyList<Unit>> GetByIdsAsync(IReadOnlyCollection<string> ids, CancellationToken ct = default)
    {
        if (ids.Count == 0) return Task.FromResult<IReadOnlyList<Unit>>([]);
        var snapshot = db.UnitSnapshot;
        return Task.FromResult<IReadOnlyList<Unit>>(ids.Distinct().Select(snapshot.Get).OfType<Unit>().ToList());
    }

    public Task<Unit?> GetByCodeAsync(string code, CancellationToken ct = default) =>
        Task.FromResult<Unit?>(Col.FindOne(Query.EQ("Code", code.Trim().ToUpperInvariant())));

    public Task InsertAsync(Unit unit, AuditScope? audit, CancellationToken ct = default)
    {
        try
        {
            db.InTransaction(() =>
            {
                Col.Insert(unit);
                LiteDbAuditStore.Record(db, audit, new AuditTarget(AuditTargetTypes.Unit, unit.Id, unit.Id, null, unit));
                db.AfterCommit(() => db.UnitSnapshot.Apply([unit]));
                return true;
            });
        }
        catch (LiteException e) when (LiteDbContext.IsDuplicateKey(e))
        {
            throw new DuplicateKeyException($"Unit code {unit.Code} is already taken.", e);
        }
        return Task.CompletedTask;
    }

    public Task InsertManyAsync(IReadOnlyList<Unit> units, CancellationToken ct = default)
    {
        try
        {
            db.InTransaction(() =>
            {
                db.AfterCommit(() => db.UnitSnapshot.Apply(units));
                return Col.InsertBulk(units);
            });
        }
        catch (LiteException e) when (LiteDbContext.IsDuplicateKey(e))
        {
            throw new DuplicateKeyException("A unit code is already taken.", e);
        }
        return Task.CompletedTask;
    }

    public Task<bool> ReplaceAllAsync(IReadOnlyList<Unit> units, AuditScope? audit, CancellationToken ct = default)
    {
        try
        {
            return Task.FromResult(db.InTransaction(() =>
            {
                var targets = new List<AuditTarget>(units.Count);
                foreach (var unit in units)
                {
                    var stored = Col.FindById(unit.Id);
                    if (stored is null || stored.Version != unit.Version - 1)
                        throw new VersionMismatch();
                    Col.Update(unit);
                    targets.Add(new AuditTarget(AuditTargetTypes.Unit, unit.Id, unit.Id, stored, unit));
                }
                LiteDbAuditStore.Record(db, audit, [.. targets]);
                db.AfterCommit(() => db.UnitSnapshot.Apply(units));
                return true;
            }));
        }
        catch (VersionMismatch)
        {
            return Task.FromResult(false);
        }
        catch (LiteException e) when (LiteDbContext.IsDuplicateKey(e))
        {
            throw new DuplicateKeyException("A unit code is already taken.", e);
        }
    }

    public Task<IReadOnlyList<Unit>> GetSubtreeAsync(string unitId, CancellationToken ct = default)
    {
        var result = Col.Find(Query.Or(Query.EQ("_id", unitId), Query.EQ("AncestorIds[*] ANY", unitId)))
            .OrderBy(u => u.AncestorIds.Count).ThenBy(u => u.Code, StringComparer.Ordinal).ToList();
        return Task.FromResult<IReadOnlyList<Unit>>(result);
    }

    public Task<Page<Unit>> FindAsync(UnitFilter filter, PageRequest page, CancellationToken ct = default)
    {
        var filters = new List<BsonExpression>();
        if (filter.ParentId is not null) filters.Add(Query.EQ("ParentId", filter.ParentId));
        if (filter.RootsOnly) filters.Add(BsonExpression.Create("$.ParentId = null"));
        if (filter.SubtreeOf is not null)
            filters.Add(Query.Or(Query.EQ("_id", filter.SubtreeOf), Query.EQ("AncestorIds[*] ANY", filter.SubtreeOf)));
        if (filter.DescendantsOf is not null) filters.Add(Query.EQ("AncestorIds[*] ANY", filter.DescendantsOf));
        if (filter.Kind is { } kind) filters.Add(Query.EQ("Kind", kind.ToString()));
        if (filter.ValidOn is { } on)
        {
            var day = new BsonValue(on.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            filters.Add(BsonExpression.Create("($.ValidFrom = null OR $.ValidFrom <= @0) AND ($.ValidTo = null OR $.ValidTo > @0)", day));
        }
        foreach (var term in TextFolding.Tokens(filter.Search))
            filters.Add(Query.Contains("NameKey", term));
        return Task.FromResult(LiteDbQuery.Run(Col, filters, "$.Code", SortDirection.Asc, page));
    }

    public Task<long> CountAsync(CancellationToken ct = default) => Task.FromResult(Col.LongCount());

    private sealed class VersionMismatch : Exception;
}
