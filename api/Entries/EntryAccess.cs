using DanVanKheo.Api.Auth;

namespace DanVanKheo.Api.Entries;

/// <summary>Who may see and change which entries.</summary>
public static class EntryAccess
{
    public static EntryVisibility VisibilityFor(Caller caller) =>
        caller.IsAdmin || caller.IsAuditor ? EntryVisibility.Everything
        : caller.IsEditor ? new EntryVisibility(false, caller.UnitId)
        : EntryVisibility.Public;

    public static bool CanEdit(Caller caller, Entry entry) => caller.CanActForUnit(entry.UnitLineage);

    /// <summary>Personal data of individual exemplars is for the unit's editors, admins and auditors only.</summary>
    public static bool CanSeePersonalData(Caller caller, Entry entry) =>
        caller.IsAdmin || caller.IsAuditor || caller.CanActForUnit(entry.UnitLineage);
}
