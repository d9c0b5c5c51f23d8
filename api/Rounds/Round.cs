using DanVanKheo.Api.Common;
using DanVanKheo.Api.Councils;
using DanVanKheo.Api.Entries;

namespace DanVanKheo.Api.Rounds;

public enum RoundStatus
{
    Draft,
    Nominating,
    Voting,
    Closed,
    Published,
}

public enum ThresholdBase
{
    /// <summary>Approvals are compared with the number of council members, recused or not.</summary>
    AllMembers,
    /// <summary>Approvals are compared with the number of non-recused ballots cast.</summary>
    BallotsCast,
}

public enum ThresholdComparison
{
    /// <summary>approvals &gt; fraction × base (e.g. more than half).</summary>
    GreaterThan,
    /// <summary>approvals ≥ fraction × base (e.g. at least two thirds).</summary>
    AtLeast,
}

public enum TieBreakKey
{
    WeightedScore,
    Approvals,
    NominationTime,
}

/// <summary>An exact fraction numerator/denominator, kept in lowest terms. Never a float.</summary>
public sealed class Fraction
{
    public int Numerator { get; set; }
    public int Denominator { get; set; } = 1;

    public static Fraction Of(int numerator, int denominator)
    {
        if (denominator <= 0) throw new ArgumentOutOfRangeException(nameof(denominator));
        var g = (int)System.Numerics.BigInteger.GreatestCommonDivisor(numerator, denominator);
        if (g == 0) g = 1;
        return new Fraction { Numerator = numerator / g, Denominator = denominator / g };
    }

    public override string ToString() => $"{Numerator}/{Denominator}";
}

/// <summary>One scoring criterion: a ballot gives it 0..<see cref="MaxScore"/> points.</summary>
public sealed class Criterion
{
    public string Name { get; set; } = "";
    /// <summary>Share of the weighted score in percent; a rubric's weights sum to 100.</summary>
    public int Weight { get; set; }
    public int MaxScore { get; set; }
}

public sealed class ApprovalRule
{
    /// <summary>Share of all members who must cast a non-recused ballot.</summary>
    public Fraction Quorum { get; set; } = Fraction.Of(1, 2);
    public Fraction Threshold { get; set; } = Fraction.Of(1, 2);
    public ThresholdBase Base { get; set; }
    public ThresholdComparison Comparison { get; set; }
    /// <summary>Optional minimum weighted average score on the 0–100 scale.</summary>
    public Fraction? MinimumAverageScore { get; set; }
}

/// <summary>The recognition a round confers on its approved entries.</summary>
public sealed class RecognitionSpec
{
    /// <summary>E.g. Giấy khen, Bằng khen.</summary>
    public string Form { get; set; } = "";
    public EntryLevel IssuingLevel { get; set; }
    public string? Issuer { get; set; }
}

/// <summary>A selection round (đợt xét chọn) run by one council.</summary>
public sealed class Round
{
    public string Id { get; set; } = Ids.New();
    public string Name { get; set; } = "";
    public EntryLevel Level { get; set; }
    public int Year { get; set; }
    public string CouncilId { get; set; } = "";
    public string CouncilUnitId { get; set; } = "";
    public List<string> CouncilUnitLineage { get; set; } = [];
    /// <summary>Root of the unit subtree that may nominate.</summary>
    public string ScopeUnitId { get; set; } = "";
    public List<Criterion> Rubric { get; set; } = [];
    public ApprovalRule Rule { get; set; } = new();
    public List<TieBreakKey> TieBreak { get; set; } = [];
    public int? MaxRecognitions { get; set; }
    public RecognitionSpec Recognition { get; set; } = new();
    public DateTime NominationsCloseAt { get; set; }
    public DateTime VotingClosesAt { get; set; }
    public RoundStatus Status { get; set; }

    /// <summary>The council's members as they were when voting opened; null before.</summary>
    public List<CouncilMember>? Members { get; set; }

    /// <summary>Secret HMAC key of this round's ballot pseudonyms; never leaves the server.</summary>
    public string PseudonymKey { get; set; } = "";

    public string? Digest { get; set; }
    public DateTime? VotingOpenedAt { get; set; }
    public DateTime? ClosedAt { get; set; }
    public string? ClosedBy { get; set; }
    public DateTime? PublishedAt { get; set; }
    public string? DecisionNumber { get; set; }
    public DateOnly? DecisionDate { get; set; }

    public int Version { get; set; } = 1;
    public string CreatedBy { get; set; } = "";
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}
