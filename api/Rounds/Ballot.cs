using DanVanKheo.Api.Common;

namespace DanVanKheo.Api.Rounds;

public enum BallotChoice
{
    Approve,
    Reject,
    Abstain,
    /// <summary>The member stood aside from this nomination; final, and not a ballot cast.</summary>
    Recused,
}

/// <summary>
/// A member's current ballot (phiếu) on one nomination. The store keeps exactly one per
/// (nomination, member) under a unique key; every change is also appended to the history.
/// </summary>
public sealed class Ballot
{
    public string Id { get; set; } = Ids.New();
    public string RoundId { get; set; } = "";
    public string NominationId { get; set; } = "";
    public string MemberId { get; set; } = "";
    public BallotChoice Choice { get; set; }
    /// <summary>One score per rubric criterion, in rubric order; empty for abstentions without scores and recusals.</summary>
    public List<int> Scores { get; set; } = [];
    public string? Comment { get; set; }
    /// <summary>1 for the first ballot, +1 for each change; assigned by the store.</summary>
    public int Revision { get; set; }
    public DateTime CastAt { get; set; }
}

/// <summary>One entry of a ballot's history: the ballot as it was at <see cref="Revision"/>.</summary>
public sealed class BallotRevision
{
    public string Id { get; set; } = Ids.New();
    public string RoundId { get; set; } = "";
    public string NominationId { get; set; } = "";
    public string MemberId { get; set; } = "";
    public int Revision { get; set; }
    public BallotChoice Choice { get; set; }
    public List<int> Scores { get; set; } = [];
    public string? Comment { get; set; }
    public DateTime CastAt { get; set; }

    public static BallotRevision Of(Ballot b) => new()
    {
        RoundId = b.RoundId, NominationId = b.NominationId, MemberId = b.MemberId, Revision = b.Revision,
        Choice = b.Choice, Scores = [.. b.Scores], Comment = b.Comment, CastAt = b.CastAt,
    };
}

public enum BallotWriteOutcome
{
    Stored,
    /// <summary>The round left VOTING before the write; nothing was stored.</summary>
    RoundNotVoting,
    /// <summary>The member had recused from the nomination; a recusal is final.</summary>
    AlreadyRecused,
}

public sealed record BallotWriteResult(BallotWriteOutcome Outcome, Ballot? Ballot);
