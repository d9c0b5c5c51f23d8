using DanVanKheo.Api.Auth;

namespace DanVanKheo.Api.Entries;

/// <summary>Which entries a caller may see, as a store filter (who may change them is declared in Auth/Policies).</summary>
public static class EntryAccess
{
    public static EntryVisibility VisibilityFor(Caller caller) =>
        caller.IsAdmin || caller.IsAuditor ? EntryVisibility.Everything
        : caller.IsEditor ? new EntryVisibility(false, caller.UnitId)
        : EntryVisibility.Public;
}
