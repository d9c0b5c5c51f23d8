using DanVanKheo.Api.Common;
using DanVanKheo.Api.Fields;
using LiteDB;

namespace DanVanKheo.Api.Storage.LiteDb;

public sealed class LiteDbFieldStore(LiteDbContext db) : IFieldStore
{
    public Task<IReadOnlyList<Field>> ListAsync(CancellationToken ct = default) =>
        Task.FromResult<IReadOnlyList<Field>>(db.Fields.FindAll().OrderBy(f => f.SortOrder).ThenBy(f => f.Code, StringComparer.Ordinal).ToList());

    public Task<IReadOnlyList<Field>> GetByIdsAsync(IReadOnlyCollection<string> ids, CancellationToken ct = default)
    {
        if (ids.Count == 0) return Task.FromResult<IReadOnlyList<Field>>([]);
        var values = new BsonArray(ids.Distinct().Select(i => new BsonValue(i)));
        return Task.FromResult<IReadOnlyList<Field>>(db.Fields.Find(Query.In("_id", values)).ToList());
    }

    public Task EnsureStandardAsync(CancellationToken ct = default)
    {
        db.InTransaction(() =>
        {
            foreach (var field in Field.Standard)
                if (db.Fields.FindById(field.Id) is null) db.Fields.Insert(field);
            return 0;
        });
        return Task.CompletedTask;
    }

    public Task InsertAsync(Field field, CancellationToken ct = default)
    {
        try
        {
            db.Fields.Insert(field);
        }
        catch (LiteException e) when (LiteDbContext.IsDuplicateKey(e))
        {
            throw new DuplicateKeyException($"Field code {field.Code} is already taken.", e);
        }
        return Task.CompletedTask;
    }
}
