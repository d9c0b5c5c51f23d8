using DanVanKheo.Api.Auth;
using DanVanKheo.Api.Common;

namespace DanVanKheo.Api.Entries;

/// <summary>Loading the entry a use case names by global id, as the caller may see it.</summary>
public static class EntryLookup
{
    public const string TypeName = "Entry";

    /// <summary>
    /// The entry a global id names, if <paramref name="caller"/> may see it; otherwise NOT_FOUND on
    /// <paramref name="field"/> (a draft of another unit is indistinguishable from a missing entry).
    /// </summary>
    public static async Task<Entry> LoadVisibleAsync(this IEntryStore store, string globalId, string field, Caller caller, CancellationToken ct)
    {
        var id = GlobalId.Require(globalId, TypeName, field);
        var entry = (await store.GetByIdsAsync([id], ct)).FirstOrDefault();
        if (entry is null || !EntryAccess.VisibilityFor(caller).CanSee(entry))
            throw new DomainException(ErrorCodes.NotFound, new(Messages.EntryNotFound, globalId), field);
        return entry;
    }
}
