using DanVanKheo.Api.Common;

namespace DanVanKheo.Api.Entries;

/// <summary>The content fields of an entry, shared by the create and the update input (ids are global ids).</summary>
public interface IEntryContentInput
{
    string Title { get; set; }
    string? Summary { get; set; }
    EntryKind Kind { get; set; }
    ExemplarType? ExemplarType { get; set; }
    ExemplarPerson? Person { get; set; }
    string FieldId { get; set; }
    EntryLevel Level { get; set; }
    DateOnly? StartDate { get; set; }
    EntryNovelty? Novelty { get; set; }
    string? ReplicatedFromEntryId { get; set; }
    EntryResults? Results { get; set; }
    List<EvidenceLink>? Evidence { get; set; }
    List<string>? Tags { get; set; }
}

/// <summary>The content of an entry as a caller sends it (ids are global ids).</summary>
public class EntryContentInput : IEntryContentInput
{
    public string Title { get; set; } = "";
    public string? Summary { get; set; }
    public EntryKind Kind { get; set; }
    public ExemplarType? ExemplarType { get; set; }
    public ExemplarPerson? Person { get; set; }
    public string FieldId { get; set; } = "";
    public EntryLevel Level { get; set; }
    public DateOnly? StartDate { get; set; }
    public EntryNovelty? Novelty { get; set; }
    public string? ReplicatedFromEntryId { get; set; }
    public EntryResults? Results { get; set; }
    public List<EvidenceLink>? Evidence { get; set; }
    public List<string>? Tags { get; set; }
}

public sealed class CreateEntryInput : EntryContentInput
{
    public string UnitId { get; set; } = "";
}

/// <summary>A partial update (<see cref="PartialInput"/>): only the fields sent change.</summary>
public sealed class UpdateEntryInput : PartialInput, IEntryContentInput
{
    public string Title { get; set; } = "";
    public string? Summary { get; set; }
    public EntryKind Kind { get; set; }
    public ExemplarType? ExemplarType { get; set; }
    public ExemplarPerson? Person { get; set; }
    public string FieldId { get; set; } = "";
    public EntryLevel Level { get; set; }
    public DateOnly? StartDate { get; set; }
    public EntryNovelty? Novelty { get; set; }
    public string? ReplicatedFromEntryId { get; set; }
    public EntryResults? Results { get; set; }
    public List<EvidenceLink>? Evidence { get; set; }
    public List<string>? Tags { get; set; }
    public string Id { get; set; } = "";
    public int Version { get; set; }
}

public sealed class EntryVersionInput
{
    public string Id { get; set; } = "";
    public int Version { get; set; }
    public string? Reason { get; set; }
}
