using DanVanKheo.Api.Common;

namespace DanVanKheo.Api.Entries;

public enum EntryKind
{
    Model,
    Exemplar,
}

public enum ExemplarType
{
    Collective,
    Individual,
}

public enum EntryLevel
{
    Commune,
    District,
    Province,
    National,
}

public enum EntryStatus
{
    Draft,
    Registered,
    Recognized,
    Discontinued,
}

public enum EntryNovelty
{
    New,
    Continuing,
    Replicated,
}

public sealed class EntryResults
{
    public long? HouseholdsReached { get; set; }
    public long? PeopleReached { get; set; }
    public long? MoneyMobilizedVnd { get; set; }
    public double? LandDonatedM2 { get; set; }
    public long? Workdays { get; set; }
    public string? Outcomes { get; set; }
}

public sealed class EvidenceLink
{
    public string Title { get; set; } = "";
    public string Url { get; set; } = "";
}

/// <summary>Personal data of an individual exemplar: never shown to the anonymous public.</summary>
public sealed class ExemplarPerson
{
    public string FullName { get; set; } = "";
    public string? Position { get; set; }
    public string? Phone { get; set; }
    public string? Address { get; set; }
    public DateOnly? BirthDate { get; set; }
}

/// <summary>A registered model (mô hình) or exemplar (điển hình) of one unit.</summary>
public sealed class Entry
{
    public string Id { get; set; } = Ids.New();
    public string Code { get; set; } = "";
    public int Year { get; set; }
    public string Title { get; set; } = "";
    public string Summary { get; set; } = "";
    public EntryKind Kind { get; set; }
    public ExemplarType? ExemplarType { get; set; }
    public ExemplarPerson? Person { get; set; }
    public string FieldId { get; set; } = "";
    public string UnitId { get; set; } = "";
    /// <summary>The unit's ancestors and itself as they were at registration; subtree filters use it.</summary>
    public List<string> UnitLineage { get; set; } = [];
    public string UnitNameAtRegistration { get; set; } = "";
    public EntryLevel Level { get; set; }
    public DateOnly? StartDate { get; set; }
    public EntryStatus Status { get; set; }
    public EntryNovelty Novelty { get; set; }
    public string? ReplicatedFromEntryId { get; set; }
    public EntryResults Results { get; set; } = new();
    public List<EvidenceLink> Evidence { get; set; } = [];
    public List<string> Tags { get; set; } = [];
    public string? DiscontinuedReason { get; set; }

    public List<string> SearchTokens { get; set; } = [];
    public string TitleKey { get; set; } = "";
    public string UpdatedKey { get; set; } = "";
    public string StartKey { get; set; } = "";

    public int Version { get; set; } = 1;
    public string CreatedBy { get; set; } = "";
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public DateTime? SubmittedAt { get; set; }
    public DateTime? DiscontinuedAt { get; set; }
}
