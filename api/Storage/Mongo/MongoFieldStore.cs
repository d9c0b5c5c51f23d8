using DanVanKheo.Api.Common;
using DanVanKheo.Api.Fields;
using MongoDB.Driver;

namespace DanVanKheo.Api.Storage.Mongo;

public sealed class MongoFieldStore(MongoContext db) : IFieldStore
{
    private IMongoCollection<Field> Col => db.Fields;

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
        // One by one rather than one unordered batch: each insert stands alone, so a field another
        // instance inserted at the same moment is skipped without relying on a batch going on past an error.
        foreach (var field in Field.Standard)
        {
            if (await Col.Find(Builders<Field>.Filter.Eq(f => f.Id, field.Id)).AnyAsync(ct)) continue;
            try
            {
                await Col.InsertOneAsync(field, cancellationToken: ct);
            }
            catch (MongoException e) when (MongoErrors.IsDuplicateKey(e))
            {
                if (!await Col.Find(Builders<Field>.Filter.Eq(f => f.Id, field.Id)).AnyAsync(ct))
                    throw new DuplicateKeyException($"The standard field code {field.Code} is taken by another field.", e);
            }
        }
    }

    public Task InsertAsync(Field field, CancellationToken ct = default) =>
        MongoErrors.TranslateAsync(() => Col.InsertOneAsync(field, cancellationToken: ct), $"Field code {field.Code} is already taken.");
}
