namespace DanVanKheo.Api.Units;

/// <summary>The editable fields of a unit, as a caller sends them (ids are global ids).</summary>
public class UnitContentInput
{
    public string Code { get; set; } = "";
    public string Name { get; set; } = "";
    public UnitKind Kind { get; set; }
    public string? ParentId { get; set; }
    public DateOnly? ValidFrom { get; set; }
    public DateOnly? ValidTo { get; set; }
}

public sealed class CreateUnitInput : UnitContentInput;

public sealed class UpdateUnitInput : UnitContentInput
{
    public string Id { get; set; } = "";
    public int Version { get; set; }
}

public sealed class RecordUnitSuccessionInput
{
    public List<string> PredecessorIds { get; set; } = [];
    public List<string> SuccessorIds { get; set; } = [];
    public DateOnly EffectiveDate { get; set; }
}
