using DanVanKheo.Api.Common;

namespace DanVanKheo.Api.Units;

/// <summary>Loading the units a use case names by global id; NOT_FOUND on the input field otherwise.</summary>
public static class UnitLookup
{
    public const string TypeName = "Unit";

    public static async Task<Unit> LoadAsync(this IUnitStore store, string globalId, string field, CancellationToken ct)
    {
        var id = GlobalId.Require(globalId, TypeName, field);
        return (await store.GetByIdsAsync([id], ct)).FirstOrDefault()
               ?? throw new DomainException(ErrorCodes.NotFound, new(Messages.UnitNotFound, globalId), field);
    }

    public static async Task<Unit?> LoadOptionalAsync(this IUnitStore store, string? globalId, string field, CancellationToken ct) =>
        globalId is null ? null : await store.LoadAsync(globalId, field, ct);

    public static async Task<IReadOnlyList<Unit>> LoadManyAsync(this IUnitStore store, IReadOnlyList<string> globalIds, string field, CancellationToken ct)
    {
        var result = new List<Unit>();
        foreach (var id in globalIds.Distinct()) result.Add(await store.LoadAsync(id, field, ct));
        return result;
    }
}
