using DanVanKheo.Api.Common;
using DanVanKheo.Api.Entries;

namespace DanVanKheo.Api.Rounds;

public enum NominationStatus
{
    Active,
    Withdrawn,
}

/// <summary>An entry put forward into a round by its unit (đề nghị).</summary>
public sealed class Nomination
{
    public string Id { get; set; } = Ids.New();
    public string RoundId { get; set; } = "";
    public string EntryId { get; set; } = "";
    /// <summary>The nominating unit: the entry's unit.</summary>
    public string UnitId { get; set; } = "";
    public List<string> UnitLineage { get; set; } = [];
    public string Justification { get; set; } = "";
    public NominationStatus Status { get; set; }

    /// <summary>
    /// "roundId|entryId" while active, so the store's unique index allows one active nomination
    /// per entry per round; a withdrawn one moves aside (suffix |nominationId) so it can be nominated again.
    /// </summary>
    public string UniqueKey { get; set; } = "";

    public string NominatedBy { get; set; } = "";
    public DateTime NominatedAt { get; set; }
    public string? WithdrawnBy { get; set; }
    public DateTime? WithdrawnAt { get; set; }
    public int Version { get; set; } = 1;

    public static string ActiveKey(string roundId, string entryId) => roundId + "|" + entryId;
}

/// <summary>A recognition (công nhận / khen thưởng) conferred on an entry by a published round.</summary>
public sealed class Recognition
{
    public string Id { get; set; } = Ids.New();
    public string RoundId { get; set; } = "";
    public string EntryId { get; set; } = "";
    public string NominationId { get; set; } = "";
    public string RoundName { get; set; } = "";
    public int Year { get; set; }
    public EntryLevel Level { get; set; }
    public string Form { get; set; } = "";
    public string? Issuer { get; set; }
    public string DecisionNumber { get; set; } = "";
    public DateOnly DecisionDate { get; set; }
    public int Rank { get; set; }
    public DateTime RecognizedAt { get; set; }
}
