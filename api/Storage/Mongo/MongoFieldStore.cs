using DanVanKheo.Api.Fields;
using MongoDB.Driver;

namespace DanVanKheo.Api.Storage.Mongo;

public sealed class MongoFieldStore(MongoContext db) : IFieldStore
{
    private IMongoCollection<Field> Col => db.Fields;

    internal static IReadOnlyList<CreateIndexModel<Field>> IndexModels() =>
    [
        new(Builders<Field>.IndexKeys.Ascending(f => f.Code), new CreateIndexOptions { Name = "ux_code", Unique = true }),
    ];

    public async Task<IReadOnlyList<Field>> ListAsync(CancellationToken ct = default)
    {
        var all = await Col.Find(Builders<Field>.Filter.Empty).ToListAsync(ct);
        return all.OrderBy(f => f.SortOrder).ThenBy(f => f.Code, StringComparer.Ordinal).ToList();
    }

    public async Task<IReadOnlyList<Field>> GetByIdsAsync(IReadOnlyCollection<string> ids, CancellationToken ct = default)
    {
        if (ids.Count == 0) return [];
        return await Col.Find(Builders<Field>.Filter.In(f => f.Id, ids.Distinct())).ToListAsync(ct);
    }

    public async Task EnsureStandardAsync(CancellationToken ct = default)
    {
        var standardIds = Field.Standard.Select(f => f.Id).ToList();
        var existing = await Col.Find(Builders<Field>.Filter.In(f => f.Id, standardIds))
            .Project(f => f.Id).ToListAsync(ct);
        var missing = Field.Standard.Where(f => !existing.Contains(f.Id)).ToList();
        if (missing.Count == 0) return;
        try
        {
            await Col.InsertManyAsync(missing, new InsertManyOptions { IsOrdered = false }, ct);
        }
        catch (MongoBulkWriteException e) when (MongoContext.IsDuplicateKey(e))
        {
            // Another instance starting at the same moment may have inserted them first; only a
            // standard code taken by some other field is a real conflict.
            var nowThere = await Col.CountDocumentsAsync(Builders<Field>.Filter.In(f => f.Id, standardIds), cancellationToken: ct);
            if (nowThere != standardIds.Count)
                throw MongoContext.Duplicate("A standard field code is taken by another field.", e);
        }
    }

    public async Task InsertAsync(Field field, CancellationToken ct = default)
    {
        try
        {
            await Col.InsertOneAsync(field, cancellationToken: ct);
        }
        catch (MongoException e) when (MongoContext.IsDuplicateKey(e))
        {
            throw MongoContext.Duplicate($"Field code {field.Code} is already taken.", e);
        }
    }
}
