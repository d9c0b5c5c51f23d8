using DanVanKheo.Api.Common;

namespace DanVanKheo.Api.Units;

public enum UnitKind
{
    Province,
    Department,
    District,
    Commune,
    PublicServiceUnit,
    Other,
}

/// <summary>
/// An organisation (đơn vị). <see cref="AncestorIds"/> is the materialised path from the root,
/// so a subtree is one indexed query in either store.
/// </summary>
public sealed class Unit
{
    public string Id { get; set; } = Ids.New();
    public string Code { get; set; } = "";
    public string Name { get; set; } = "";
    public string NameKey { get; set; } = "";
    public UnitKind Kind { get; set; }
    public string? ParentId { get; set; }
    public List<string> AncestorIds { get; set; } = [];
    public DateOnly? ValidFrom { get; set; }
    public DateOnly? ValidTo { get; set; }
    public List<string> PredecessorIds { get; set; } = [];
    public List<string> SuccessorIds { get; set; } = [];
    public int Version { get; set; } = 1;
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }

    /// <summary>Ancestors and the unit itself: what an entry of this unit is filed under.</summary>
    public List<string> Lineage() => [.. AncestorIds, Id];

    public bool IsValidOn(DateOnly date) =>
        (ValidFrom is null || ValidFrom <= date) && (ValidTo is null || date < ValidTo);
}
