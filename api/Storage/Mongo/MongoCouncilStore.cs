using DanVanKheo.Api.Audit;
using DanVanKheo.Api.Common;
using DanVanKheo.Api.Councils;
using DanVanKheo.Api.Rounds;
using MongoDB.Driver;
using SortDirection = DanVanKheo.Api.Common.SortDirection;

namespace DanVanKheo.Api.Storage.Mongo;

public sealed class MongoCouncilStore : ICouncilStore
{
    private readonly IMongoCollection<Council> _col;
    private readonly Lazy<Task> _indexes;
    private readonly MongoAuditStore? _audit;

    /// <param name="audit">The audit writer of the same database (from DI); without it writes are not audited.</param>
    public MongoCouncilStore(IMongoDatabase database, MongoAuditStore? audit = null)
    {
        _audit = audit;
        MongoRoundMappings.Register();
        _col = database.GetCollection<Council>("councils");
        _indexes = new Lazy<Task>(() => _col.Indexes.CreateManyAsync(IndexModels()));
    }

    internal static IEnumerable<CreateIndexModel<Council>> IndexModels() =>
        [new(Builders<Council>.IndexKeys.Ascending(c => c.UnitId), new CreateIndexOptions { Name = "ix_unit" })];

    public async Task InsertAsync(Council council, AuditScope? audit, CancellationToken ct = default)
    {
        await _indexes.Value;
        await MongoAuditedWrites.InsertAsync(_audit, audit, _col, council.Id, council, () => [RoundAudit.Council(null, council)], ct);
    }

    public async Task<IReadOnlyList<Council>> GetByIdsAsync(IReadOnlyCollection<string> ids, CancellationToken ct = default) =>
        ids.Count == 0 ? [] : await _col.Find(Builders<Council>.Filter.In(c => c.Id, ids.Distinct())).ToListAsync(ct);

    public async Task<bool> ReplaceAsync(Council council, int expectedVersion, AuditScope? audit, CancellationToken ct = default)
    {
        Council? stored = null;
        if (_audit is not null && audit is not null)
        {
            stored = (await GetByIdsAsync([council.Id], ct)).FirstOrDefault();
            if (stored?.Version != expectedVersion) return false;
        }
        return await MongoAuditedWrites.ReplaceAsync(_audit, audit, _col, council.Id, expectedVersion, council, () => [RoundAudit.Council(stored, council)], ct);
    }


    public async Task<Page<Council>> FindAsync(string? unitId, PageRequest page, CancellationToken ct = default)
    {
        await _indexes.Value;
        var filter = unitId is null ? Builders<Council>.Filter.Empty : Builders<Council>.Filter.Eq(c => c.UnitId, unitId);
        return await MongoRoundMappings.PageByIdAsync(_col, filter, SortDirection.Asc, page, ct);
    }
}
