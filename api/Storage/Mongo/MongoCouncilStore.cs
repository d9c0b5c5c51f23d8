using DanVanKheo.Api.Audit;
using DanVanKheo.Api.Common;
using DanVanKheo.Api.Councils;
using DanVanKheo.Api.Rounds;
using MongoDB.Driver;
using SortDirection = DanVanKheo.Api.Common.SortDirection;

namespace DanVanKheo.Api.Storage.Mongo;

public sealed class MongoCouncilStore(MongoContext db) : ICouncilStore
{
    private IMongoCollection<Council> Col => db.Councils;

    private static FilterDefinition<Council> VersionFilter(string id, int version) =>
        Builders<Council>.Filter.Eq(c => c.Id, id) & Builders<Council>.Filter.Eq(c => c.Version, version);

    public Task InsertAsync(Council council, AuditScope? audit, CancellationToken ct = default) =>
        db.WriteAsync(audit, () => [RoundAudit.Council(null, council)], (s, token) => Col.InsertOneAsync(s, council, cancellationToken: token), ct);

    public async Task<IReadOnlyList<Council>> GetByIdsAsync(IReadOnlyCollection<string> ids, CancellationToken ct = default) =>
        ids.Count == 0 ? [] : await Col.Find(Builders<Council>.Filter.In(c => c.Id, ids.Distinct())).ToListAsync(ct);

    public Task<bool> ReplaceAsync(Council council, int expectedVersion, AuditScope? audit, CancellationToken ct = default)
    {
        Council? stored = null;
        return db.WriteAsync(audit, () => [RoundAudit.Council(stored, council)], async (s, token) =>
        {
            stored = await Col.Find(s, VersionFilter(council.Id, expectedVersion)).FirstOrDefaultAsync(token);
            return stored is not null &&
                   (await Col.ReplaceOneAsync(s, VersionFilter(council.Id, expectedVersion), council, cancellationToken: token)).MatchedCount == 1;
        }, ct);
    }

    public Task<Page<Council>> FindAsync(string? unitId, PageRequest page, CancellationToken ct = default)
    {
        var filter = unitId is null ? Builders<Council>.Filter.Empty : Builders<Council>.Filter.Eq(c => c.UnitId, unitId);
        return MongoQuery.PageByIdAsync(Col, filter, SortDirection.Asc, page, ct);
    }
}
