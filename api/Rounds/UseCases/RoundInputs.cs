namespace DanVanKheo.Api.Rounds;

using DanVanKheo.Api.Common;
using DanVanKheo.Api.Entries;

/// <summary>A round's content; an update reads which fields were sent (<see cref="PartialInput"/>), a create needs none of that.</summary>
public class RoundContentInput : PartialInput
{
    public string? Name { get; set; }
    public EntryLevel? Level { get; set; }
    public int? Year { get; set; }
    public string? CouncilId { get; set; }
    public string? ScopeUnitId { get; set; }
    public List<Criterion>? Rubric { get; set; }
    public ApprovalRule? Rule { get; set; }
    public List<TieBreakKey>? TieBreak { get; set; }
    public int? MaxRecognitions { get; set; }
    public RecognitionSpec? Recognition { get; set; }
    public DateTime? NominationsCloseAt { get; set; }
    public DateTime? VotingClosesAt { get; set; }
}

public sealed class CreateRoundInput : RoundContentInput;

public sealed class UpdateRoundInput : RoundContentInput
{
    public string Id { get; set; } = "";
    public int Version { get; set; }
}

public sealed class RoundStepInput
{
    public string Id { get; set; } = "";
    public int Version { get; set; }
    public string? DecisionNumber { get; set; }
    public DateOnly? DecisionDate { get; set; }
}

public sealed class NominateEntryInput
{
    public string RoundId { get; set; } = "";
    public string EntryId { get; set; } = "";
    public string Justification { get; set; } = "";
}

public sealed class WithdrawNominationInput
{
    public string Id { get; set; } = "";
    public int Version { get; set; }
}

public sealed class CastBallotInput
{
    public string NominationId { get; set; } = "";
    public BallotChoice Choice { get; set; }
    public List<int>? Scores { get; set; }
    public string? Comment { get; set; }
}

public sealed class RecuseInput
{
    public string NominationId { get; set; } = "";
    public string? Reason { get; set; }
}
