using DanVanKheo.Api.Common;

namespace DanVanKheo.Api.Units;

/// <summary>The editable fields of a unit, shared by the create and the update input.</summary>
public interface IUnitContentInput
{
    string Code { get; set; }
    string Name { get; set; }
    UnitKind Kind { get; set; }
    string? ParentId { get; set; }
    DateOnly? ValidFrom { get; set; }
    DateOnly? ValidTo { get; set; }
}

/// <summary>The editable fields of a unit, as a caller sends them (ids are global ids).</summary>
public class UnitContentInput : IUnitContentInput
{
    public string Code { get; set; } = "";
    public string Name { get; set; } = "";
    public UnitKind Kind { get; set; }
    public string? ParentId { get; set; }
    public DateOnly? ValidFrom { get; set; }
    public DateOnly? ValidTo { get; set; }
}

public sealed class CreateUnitInput : UnitContentInput;

/// <summary>A partial update (<see cref="PartialInput"/>): only the fields sent change.</summary>
public sealed class UpdateUnitInput : PartialInput, IUnitContentInput
{
    public string Code { get; set; } = "";
    public string Name { get; set; } = "";
    public UnitKind Kind { get; set; }
    public string? ParentId { get; set; }
    public DateOnly? ValidFrom { get; set; }
    public DateOnly? ValidTo { get; set; }
    public string Id { get; set; } = "";
    public int Version { get; set; }
}

public sealed class RecordUnitSuccessionInput
{
    public List<string> PredecessorIds { get; set; } = [];
    public List<string> SuccessorIds { get; set; } = [];
    public DateOnly EffectiveDate { get; set; }
}
