using DanVanKheo.Api.Common;

namespace DanVanKheo.Api.Councils;

/// <summary>Loading the council a use case names by global id; NOT_FOUND on the input field otherwise.</summary>
public static class CouncilLookup
{
    public const string TypeName = "Council";

    public static async Task<Council> LoadAsync(this ICouncilStore store, string globalId, string field, CancellationToken ct)
    {
        var id = GlobalId.Require(globalId, TypeName, field);
        return (await store.GetByIdsAsync([id], ct)).FirstOrDefault()
               ?? throw new DomainException(ErrorCodes.NotFound, new(Messages.CouncilIdNotFound, globalId), field);
    }
}
