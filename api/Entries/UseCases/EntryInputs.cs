namespace DanVanKheo.Api.Entries;

/// <summary>The content of an entry as a caller sends it (ids are global ids).</summary>
public class EntryContentInput
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

public sealed class UpdateEntryInput : EntryContentInput
{
    public string Id { get; set; } = "";
    public int Version { get; set; }
}

public sealed class EntryVersionInput
{
    public string Id { get; set; } = "";
    public int Version { get; set; }
    public string? Reason { get; set; }
}
