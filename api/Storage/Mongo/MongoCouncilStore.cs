using DanVanKheo.Api.Common;
using DanVanKheo.Api.Councils;
using MongoDB.Driver;
using SortDirection = DanVanKheo.Api.Common.SortDirection;

namespace DanVanKheo.Api.Storage.Mongo;

public sealed class MongoCouncilStore : ICouncilStore
{
    private readonly IMongoCollection<Council> _col;
    private readonly Lazy<Task> _indexes;

    public MongoCouncilStore(IMongoDatabase database)
    {
        MongoRoundMappings.Register();
        _col = database.GetCollection<Council>("councils");
        _indexes = new Lazy<Task>(() => _col.Indexes.CreateManyAsync(IndexModels()));
    }

    internal static IEnumerable<CreateIndexModel<Council>> IndexModels() =>
        [new(Builders<Council>.IndexKeys.Ascending(c => c.UnitId), new CreateIndexOptions { Name = "ix_unit" })];

    public async Task InsertAsync(Council council, CancellationToken ct = default)
    {
        await _indexes.Value;
        await _col.InsertOneAsync(council, cancellationToken: ct);
    }

    public async Task<IReadOnlyList<Council>> GetByIdsAsync(IReadOnlyCollection<string> ids, CancellationToken ct = default) =>
        ids.Count == 0 ? [] : await _col.Find(Builders<Council>.Filter.In(c => c.Id, ids.Distinct())).ToListAsync(ct);

    public async Task<bool> ReplaceAsync(Council council, int expectedVersion, CancellationToken ct = default)
    {
        var filter = Builders<Council>.Filter.Eq(c => c.Id, council.Id) & Builders<Council>.Filter.Eq(c => c.Version, expectedVersion);
        return (await _col.ReplaceOneAsync(filter, council, cancellationToken: ct)).MatchedCount == 1;
    }

    public async Task<Page<Council>> FindAsync(string? unitId, PageRequest page, CancellationToken ct = default)
    {
        await _indexes.Value;
        var filter = unitId is null ? Builders<Council>.Filter.Empty : Builders<Council>.Filter.Eq(c => c.UnitId, unitId);
        return await MongoRoundMappings.PageByIdAsync(_col, filter, SortDirection.Asc, page, ct);
    }
}
