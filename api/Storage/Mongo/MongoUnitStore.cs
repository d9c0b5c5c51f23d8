using System.Text.RegularExpressions;
using DanVanKheo.Api.Audit;
using DanVanKheo.Api.Common;
using DanVanKheo.Api.Units;
using MongoDB.Bson;
using MongoDB.Driver;
using SortDirection = DanVanKheo.Api.Common.SortDirection;

namespace DanVanKheo.Api.Storage.Mongo;

public sealed class MongoUnitStore(MongoContext db) : IUnitStore
{
    private static FilterDefinitionBuilder<Unit> F => Builders<Unit>.Filter;
    private IMongoCollection<Unit> Col => db.Units;
    
    public async Task<IReadOnlyList<Unit>> GetByIdsAsync(IReadOnlyCollection<string> ids, CancellationToken ct = default)
    {
        if (ids.Count == 0) return [];
        return await Col.Find(F.In(u => u.Id, ids.Distinct())).ToListAsync(ct);
    }

    public async Task<Unit?> GetByCodeAsync(string code, CancellationToken ct = default) =>
        await Col.Find(F.Eq(u => u.Code, code.Trim().ToUpperInvariant())).FirstOrDefaultAsync(ct);

    public Task InsertAsync(Unit unit, AuditScope? audit, CancellationToken ct = default) =>
        MongoErrors.TranslateAsync(() => db.WriteAsync(audit,
            () => [new AuditTarget(AuditTargetTypes.Unit, unit.Id, unit.Id, null, unit)],
            (s, token) => Col.InsertOneAsync(s, unit, cancellationToken: token), ct), $"Unit code {unit.Code} is already taken.");

    public Task InsertManyAsync(IReadOnlyList<Unit> units, CancellationToken ct = default) =>
        units.Count == 0 ? Task.CompletedTask
            : MongoErrors.TranslateAsync(() => Col.InsertManyAsync(units, new InsertManyOptions { IsOrdered = true }, ct), "A unit code is already taken.");

    internal static FilterDefinition<Unit> VersionFilter(Unit unit, int storedVersion) =>
        F.And(F.Eq(u => u.Id, unit.Id), F.Eq(u => u.Version, storedVersion));

    /// <summary>All units or none, in one transaction; the event's "before" is read in it.</summary>
    public Task<bool> ReplaceAllAsync(IReadOnlyList<Unit> units, AuditScope? audit, CancellationToken ct = default)
    {
        if (units.Count == 0) return Task.FromResult(true);
        Dictionary<string, Unit> stored = [];
        return MongoErrors.TranslateAsync(() => db.WriteAsync(audit,
            () => [.. units.Select(u => new AuditTarget(AuditTargetTypes.Unit, u.Id, u.Id, stored.GetValueOrDefault(u.Id), u))],
            async (s, token) =>
            {
                stored = (await Col.Find(s, F.In(u => u.Id, units.Select(u => u.Id))).ToListAsync(token)).ToDictionary(u => u.Id);
                if (units.Any(u => !stored.TryGetValue(u.Id, out var x) || x.Version != u.Version - 1)) return false;
                foreach (var unit in units)
                    if ((await Col.ReplaceOneAsync(s, VersionFilter(unit, unit.Version - 1), unit, cancellationToken: token)).MatchedCount == 0)
                        return false;
                return true;
            }, ct), "A unit code is already taken.");
    }

    internal static FilterDefinition<Unit> SubtreeFilter(string unitId) =>
        F.Or(F.Eq(u => u.Id, unitId), F.AnyEq(u => u.AncestorIds, unitId));

    public async Task<IReadOnlyList<Unit>> GetSubtreeAsync(string unitId, CancellationToken ct = default)
    {
        var found = await Col.Find(SubtreeFilter(unitId)).ToListAsync(ct);
        return found.OrderBy(u => u.AncestorIds.Count).ThenBy(u => u.Code, StringComparer.Ordinal).ToList();
    }

    internal static List<FilterDefinition<Unit>> Filters(UnitFilter filter)
    {
        var filters = new List<FilterDefinition<Unit>>();
        if (filter.ParentId is not null) filters.Add(F.Eq(u => u.ParentId, filter.ParentId));
        // Matches a missing field too: nulls are not stored.
        if (filter.RootsOnly) filters.Add(F.Eq(u => u.ParentId, null));
        if (filter.SubtreeOf is not null) filters.Add(SubtreeFilter(filter.SubtreeOf));
        if (filter.DescendantsOf is not null) filters.Add(F.AnyEq(u => u.AncestorIds, filter.DescendantsOf));
        if (filter.Kind is { } kind) filters.Add(F.Eq(u => u.Kind, kind));
        if (filter.ValidOn is { } on)
        {
            DateOnly? day = on;
            filters.Add(F.Or(F.Eq(u => u.ValidFrom, null), F.Lte(u => u.ValidFrom, day)));
            filters.Add(F.Or(F.Eq(u => u.ValidTo, null), F.Gt(u => u.ValidTo, day)));
        }
        foreach (var term in TextFolding.Tokens(filter.Search))
            filters.Add(F.Regex(u => u.NameKey, new BsonRegularExpression(Regex.Escape(term))));
        return filters;
    }

    public Task<Page<Unit>> FindAsync(UnitFilter filter, PageRequest page, CancellationToken ct = default) =>
        MongoQuery.RunAsync(Col, Filters(filter), nameof(Unit.Code), SortDirection.Asc, page, ct);

    public Task<long> CountAsync(CancellationToken ct = default) =>
        Col.EstimatedDocumentCountAsync(cancellationToken: ct);

}
