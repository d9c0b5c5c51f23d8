using DanVanKheo.Api.Common;

namespace DanVanKheo.Api.Replications;

public enum ReplicationStatus
{
    Planned,
    Implementing,
    Sustained,
    Discontinued,
}

/// <summary>What the adopting unit achieved with the replicated model.</summary>
public sealed class ReplicationOutcome
{
    public long? PeopleReached { get; set; }
    public long? HouseholdsReached { get; set; }
    public long? MoneyMobilizedVnd { get; set; }
    public string? OtherResults { get; set; }
}

/// <summary>
/// A replication (nhân rộng): <see cref="AdoptingUnitId"/> adopts the model
/// <see cref="SourceEntryId"/> of another unit, optionally as its own <see cref="DerivedEntryId"/>.
/// <see cref="Path"/> is the materialised chain of entries from the original model down to the
/// source (inclusive), so a model's whole descendant tree is one indexed query.
/// </summary>
public sealed class Replication
{
    /// <summary>The API's type name, in global ids.</summary>
    public const string TypeName = "Replication";

    public string Id { get; set; } = Ids.New();
    public string SourceEntryId { get; set; } = "";
    /// <summary>Denormalised from the source entry: owning unit, its lineage and field (leaderboards filter on them).</summary>
    public string SourceUnitId { get; set; } = "";
    public List<string> SourceUnitLineage { get; set; } = [];
    public string SourceFieldId { get; set; } = "";
    public string AdoptingUnitId { get; set; } = "";
    /// <summary>The adopting unit's ancestors and itself when the replication was recorded.</summary>
    public List<string> AdoptingUnitLineage { get; set; } = [];
    public string? DerivedEntryId { get; set; }
    /// <summary>Entries from the original model to the source, inclusive: generation = Path.Count.</summary>
    public List<string> Path { get; set; } = [];
    public ReplicationStatus Status { get; set; }
    /// <summary>The year the replication was planned; leaderboards count by it.</summary>
    public int Year { get; set; }
    public DateOnly PlannedOn { get; set; }
    public DateOnly? StartedOn { get; set; }
    public DateOnly? SustainedOn { get; set; }
    public DateOnly? DiscontinuedOn { get; set; }
    public string? DiscontinuedReason { get; set; }
    public string AdaptationNotes { get; set; } = "";
    public ReplicationOutcome Outcome { get; set; } = new();

    /// <summary>
    /// Unique key enforcing one active replication per (source entry, adopting unit): the pair while
    /// active, the pair plus this id once DISCONTINUED (so history can repeat).
    /// </summary>
    public string ActiveKey { get; set; } = "";
    /// <summary>Unique key: a derived entry is linked to at most one replication.</summary>
    public string DerivedKey { get; set; } = "";

    public int Version { get; set; } = 1;
    public string CreatedBy { get; set; } = "";
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }

    public int Generation => Path.Count;
    public bool IsActive => Status != ReplicationStatus.Discontinued;
}

public static class ReplicationErrorCodes
{
    /// <summary>Same code the entry rules use: a unit cannot replicate its own entry.</summary>
    public const string SelfReplication = "SELF_REPLICATION";
    public const string DuplicateReplication = "DUPLICATE_REPLICATION";
    public const string DerivedEntryWrongUnit = "DERIVED_ENTRY_WRONG_UNIT";
    public const string DerivedEntryInUse = "DERIVED_ENTRY_IN_USE";
    public const string DerivedEntrySourceMismatch = "DERIVED_ENTRY_SOURCE_MISMATCH";
    public const string DerivedEntryLocked = "DERIVED_ENTRY_LOCKED";
    public const string Cycle = "REPLICATION_CYCLE";
    public const string SourceNotRegistered = "SOURCE_NOT_REGISTERED";
    public const string InvalidTransition = "INVALID_STATUS_TRANSITION";
}
