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
    static MongoUnitStore() => MongoMappings.Register();

    private static FilterDefinitionBuilder<Unit> F => Builders<Unit>.Filter;
    private IMongoCollection<Unit> Col => db.Units;
    private IMongoCollection<BsonDocument> Raw => db.Database.GetCollection<BsonDocument>("units");

    internal static IReadOnlyList<CreateIndexModel<Unit>> IndexModels() =>
    [
        new(Builders<Unit>.IndexKeys.Ascending(u => u.Code), new CreateIndexOptions { Name = "ux_code", Unique = true }),
        new(Builders<Unit>.IndexKeys.Ascending(u => u.ParentId), new CreateIndexOptions { Name = "ix_parent" }),
        new(Builders<Unit>.IndexKeys.Ascending(u => u.AncestorIds), new CreateIndexOptions { Name = "ix_ancestors" }),
    ];

    public async Task<IReadOnlyList<Unit>> GetByIdsAsync(IReadOnlyCollection<string> ids, CancellationToken ct = default)
    {
        if (ids.Count == 0) return [];
        return await Col.Find(F.In(u => u.Id, ids.Distinct())).ToListAsync(ct);
    }

    public async Task<Unit?> GetByCodeAsync(string code, CancellationToken ct = default) =>
        await Col.Find(F.Eq(u => u.Code, code.Trim().ToUpperInvariant())).FirstOrDefaultAsync(ct);

    public async Task InsertAsync(Unit unit, AuditScope? audit, CancellationToken ct = default)
    {
        try
        {
            await db.Audit.WriteAsync(audit,
                scope => scope.Event(new AuditTarget(AuditTargetTypes.Unit, unit.Id, unit.Id, null, unit)),
                "units", unit.Id, async (session, outbox) =>
                {
                    if (outbox is null && session is null) await Col.InsertOneAsync(unit, cancellationToken: ct);
                    else if (session is null) await Raw.InsertOneAsync(MongoAuditStore.WithOutbox(unit, outbox), cancellationToken: ct);
                    else await Col.InsertOneAsync(session, unit, cancellationToken: ct);
                    return true;
                }, ct);
        }
        catch (MongoException e) when (MongoContext.IsDuplicateKey(e))
        {
            throw MongoContext.Duplicate($"Unit code {unit.Code} is already taken.", e);
        }
    }

    public async Task InsertManyAsync(IReadOnlyList<Unit> units, CancellationToken ct = default)
    {
        if (units.Count == 0) return;
        try
        {
            await Col.InsertManyAsync(units, new InsertManyOptions { IsOrdered = true }, ct);
        }
        catch (MongoException e) when (MongoContext.IsDuplicateKey(e))
        {
            throw MongoContext.Duplicate("A unit code is already taken.", e);
        }
    }

    internal static FilterDefinition<Unit> VersionFilter(Unit unit, int storedVersion) =>
        F.And(F.Eq(u => u.Id, unit.Id), F.Eq(u => u.Version, storedVersion));

    /// <summary>
    /// In a transaction when the server has them (replica set, sharded cluster: production and
    /// Atlas), retried by the driver on transient write conflicts. A standalone server (a bare
    /// dev container) has no transactions, so there the units are replaced one by one and the
    /// ones already written are put back if a later one fails; that is all-or-nothing for callers
    /// that see the result, but a reader may glimpse the partial state and a crash midway leaves it.
    /// </summary>
    public async Task<bool> ReplaceAllAsync(IReadOnlyList<Unit> units, AuditScope? audit, CancellationToken ct = default)
    {
        if (units.Count == 0) return true;
        try
        {
            if (audit is not null) return await ReplaceAuditedAsync(units, audit, ct);
            return await db.SupportsTransactionsAsync(ct)
                ? await ReplaceInTransactionAsync(units, ct)
                : await ReplaceWithCompensationAsync(units, ct);
        }
        catch (MongoException e) when (MongoContext.IsDuplicateKey(e))
        {
            throw MongoContext.Duplicate("A unit code is already taken.", e);
        }
    }

    /// <summary>
    /// The audited form: the event goes into the same transaction, or without transactions into
    /// the first unit's outbox, written last so it only exists once every other unit is written.
    /// </summary>
    private async Task<bool> ReplaceAuditedAsync(IReadOnlyList<Unit> units, AuditScope audit, CancellationToken ct)
    {
        var stored = (await GetByIdsAsync(units.Select(u => u.Id).ToList(), ct)).ToDictionary(u => u.Id);
        if (units.Any(u => !stored.TryGetValue(u.Id, out var s) || s.Version != u.Version - 1)) return false;
        var primary = units[0];
        try
        {
            return await db.Audit.WriteAsync(audit,
            scope => scope.Event([.. units.Select(u => new AuditTarget(AuditTargetTypes.Unit, u.Id, u.Id, stored[u.Id], u))]),
            "units", primary.Id, async (session, outbox) =>
            {
                if (session is not null)
                {
                    foreach (var unit in units)
                        if ((await Col.ReplaceOneAsync(session, VersionFilter(unit, unit.Version - 1), unit, cancellationToken: ct)).MatchedCount == 0)
                            throw new VersionMismatch();
                    return true;
                }
                if (!await ReplaceWithCompensationAsync([.. units.Skip(1)], ct)) return false;
                var raw = Builders<BsonDocument>.Filter.And(Builders<BsonDocument>.Filter.Eq("_id", primary.Id),
                    Builders<BsonDocument>.Filter.Eq(nameof(Unit.Version), primary.Version - 1));
                if ((await Raw.ReplaceOneAsync(raw, MongoAuditStore.WithOutbox(primary, outbox), cancellationToken: ct)).MatchedCount == 1) return true;
                await RestoreAsync([.. units.Skip(1)], stored);
                return false;
            }, ct);
        }
        catch (VersionMismatch)
        {
            return false;
        }
    }

    private async Task<bool> ReplaceInTransactionAsync(IReadOnlyList<Unit> units, CancellationToken ct)
    {
        using var session = await db.Client.StartSessionAsync(cancellationToken: ct);
        try
        {
            return await session.WithTransactionAsync(async (s, token) =>
            {
                foreach (var unit in units)
                {
                    var result = await Col.ReplaceOneAsync(s, VersionFilter(unit, unit.Version - 1), unit, cancellationToken: token);
                    if (result.MatchedCount == 0) throw new VersionMismatch();
                }
                return true;
            }, cancellationToken: ct);
        }
        catch (VersionMismatch)
        {
            return false;
        }
    }

    private async Task<bool> ReplaceWithCompensationAsync(IReadOnlyList<Unit> units, CancellationToken ct)
    {
        var stored = (await GetByIdsAsync(units.Select(u => u.Id).ToList(), ct)).ToDictionary(u => u.Id);
        if (units.Any(u => !stored.TryGetValue(u.Id, out var s) || s.Version != u.Version - 1)) return false;
        var done = new List<Unit>();
        try
        {
            foreach (var unit in units)
            {
                var result = await Col.ReplaceOneAsync(VersionFilter(unit, unit.Version - 1), unit, cancellationToken: ct);
                if (result.MatchedCount == 0)
                {
                    await RestoreAsync(done, stored);
                    return false;
                }
                done.Add(unit);
            }
            return true;
        }
        catch (Exception) when (done.Count > 0)
        {
            await RestoreAsync(done, stored);
            throw;
        }
    }

    private async Task RestoreAsync(List<Unit> written, Dictionary<string, Unit> originals)
    {
        // Not cancellable: stopping halfway through an undo would leave the very state it repairs.
        foreach (var unit in written)
            await Col.ReplaceOneAsync(VersionFilter(unit, unit.Version), originals[unit.Id], cancellationToken: CancellationToken.None);
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

    private sealed class VersionMismatch : Exception;
}
