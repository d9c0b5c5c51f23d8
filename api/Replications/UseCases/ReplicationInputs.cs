using DanVanKheo.Api.Common;

namespace DanVanKheo.Api.Replications;

public sealed class RecordReplicationInput
{
    public string SourceEntryId { get; set; } = "";
    public string AdoptingUnitId { get; set; } = "";
    public string? DerivedEntryId { get; set; }
    public DateOnly? PlannedOn { get; set; }
    public string? AdaptationNotes { get; set; }
    public ReplicationOutcome? Outcome { get; set; }
}

/// <summary>A partial update (<see cref="PartialInput"/>): only the fields sent change.</summary>
public sealed class UpdateReplicationInput : PartialInput
{
    public string Id { get; set; } = "";
    public int Version { get; set; }
    public string? DerivedEntryId { get; set; }
    public string? AdaptationNotes { get; set; }
    public ReplicationOutcome? Outcome { get; set; }
}

public sealed class ChangeReplicationStatusInput
{
    public string Id { get; set; } = "";
    public int Version { get; set; }
    public ReplicationStatus Status { get; set; }
    public DateOnly? On { get; set; }
    public string? Reason { get; set; }
}
