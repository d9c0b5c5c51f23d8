using System.Numerics;
using DanVanKheo.Api.Councils;

namespace DanVanKheo.Api.Rounds;

public enum NominationOutcome
{
    /// <summary>Met the rule and ranked within the recognition cap.</summary>
    Approved,
    /// <summary>Met the rule but ranked below the recognition cap.</summary>
    NotSelected,
    /// <summary>Approvals did not reach the threshold.</summary>
    Rejected,
    /// <summary>Approvals reached the threshold but the weighted average score was below the minimum.</summary>
    BelowMinimumScore,
    /// <summary>Too few non-recused ballots were cast.</summary>
    NoQuorum,
}

/// <summary>The tally of one nomination, as stored with the closed round.</summary>
public sealed class NominationResult
{
    public string NominationId { get; set; } = "";
    public string EntryId { get; set; } = "";
    public int Approvals { get; set; }
    public int Rejections { get; set; }
    public int Abstentions { get; set; }
    public int Recusals { get; set; }
    public int BallotsCast { get; set; }
    public bool QuorumMet { get; set; }
    /// <summary>Average raw score per criterion (rubric order) over scored ballots, rounded to 4 places; null without scored ballots.</summary>
    public List<decimal?> CriterionAverages { get; set; } = [];
    /// <summary>Weighted average on the 0–100 scale, rounded to 4 places; ranking used the exact value.</summary>
    public decimal? WeightedScore { get; set; }
    public NominationOutcome Outcome { get; set; }
    public int Rank { get; set; }
}

/// <summary>The stored outcome of closing a round.</summary>
public sealed class RoundTally
{
    /// <summary>The round's id: one tally per round.</summary>
    public string Id { get; set; } = "";
    public int MemberCount { get; set; }
    public int BallotCount { get; set; }
    public string Digest { get; set; } = "";
    public DateTime ComputedAt { get; set; }
    /// <summary>Every active nomination, in rank order.</summary>
    public List<NominationResult> Results { get; set; } = [];
}

/// <summary>
/// The tally: a pure, deterministic function of the round's rule, its council snapshot, its
/// active nominations and their final ballots. All comparisons are exact (integers and
/// rationals); rounding happens only in the figures it reports.
/// </summary>
public static class Tally
{
    public static IReadOnlyList<TieBreakKey> DefaultTieBreak { get; } =
        [TieBreakKey.WeightedScore, TieBreakKey.Approvals, TieBreakKey.NominationTime];

    public static List<NominationResult> Compute(Round round, IReadOnlyList<CouncilMember> members,
        IReadOnlyList<Nomination> nominations, IReadOnlyList<Ballot> ballots)
    {
        var rule = round.Rule;
        var rubric = round.Rubric;
        var memberCount = members.Count;
        var memberById = members.ToDictionary(m => m.UserId, StringComparer.Ordinal);
        var lcm = rubric.Aggregate(BigInteger.One, (acc, c) => acc * c.MaxScore / BigInteger.GreatestCommonDivisor(acc, c.MaxScore));
        var ballotsByNomination = ballots
            .Where(b => memberById.ContainsKey(b.MemberId))
            .GroupBy(b => b.NominationId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);

        var rows = new List<Row>(nominations.Count);
        foreach (var n in nominations.Where(n => n.Status == NominationStatus.Active))
        {
            var own = ballotsByNomination.GetValueOrDefault(n.Id) ?? [];
            var recused = members.Where(m => RoundRules.IsConflicted(m, n)).Select(m => m.UserId).ToHashSet(StringComparer.Ordinal);
            foreach (var b in own.Where(b => b.Choice == BallotChoice.Recused)) recused.Add(b.MemberId);
            var counted = own.Where(b => !recused.Contains(b.MemberId)).ToList();

            var result = new NominationResult
            {
                NominationId = n.Id,
                EntryId = n.EntryId,
                Approvals = counted.Count(b => b.Choice == BallotChoice.Approve),
                Rejections = counted.Count(b => b.Choice == BallotChoice.Reject),
                Abstentions = counted.Count(b => b.Choice == BallotChoice.Abstain),
                Recusals = recused.Count,
            };
            result.BallotsCast = result.Approvals + result.Rejections + result.Abstentions;
            result.QuorumMet = (long)result.BallotsCast * rule.Quorum.Denominator >= (long)rule.Quorum.Numerator * memberCount;

            var scored = counted.Where(b => b.Choice != BallotChoice.Abstain && b.Scores.Count == rubric.Count).ToList();
            Ratio? weighted = null;
            if (scored.Count > 0)
            {
                var sum = BigInteger.Zero;
                for (var i = 0; i < rubric.Count; i++)
                {
                    long criterionSum = scored.Sum(b => (long)b.Scores[i]);
                    result.CriterionAverages.Add(new Ratio(criterionSum, scored.Count).Round(4));
                    sum += criterionSum * (BigInteger)rubric[i].Weight * (lcm / rubric[i].MaxScore);
                }
                weighted = new Ratio(sum, scored.Count * lcm);
                result.WeightedScore = weighted.Value.Round(4);
            }
            else
            {
                result.CriterionAverages.AddRange(rubric.Select(_ => (decimal?)null));
            }

            var thresholdBase = rule.Base == ThresholdBase.AllMembers ? memberCount : result.BallotsCast;
            var lhs = (long)result.Approvals * rule.Threshold.Denominator;
            var rhs = (long)rule.Threshold.Numerator * thresholdBase;
            // Nobody approving never approves, whatever the fraction (≥ 0 of 0 ballots would).
            var thresholdMet = result.Approvals > 0 && (rule.Comparison == ThresholdComparison.GreaterThan ? lhs > rhs : lhs >= rhs);
            var scoreMet = rule.MinimumAverageScore is not { } min ||
                           (weighted is { } w && w.CompareTo(new Ratio(min.Numerator, min.Denominator)) >= 0);
            result.Outcome = !result.QuorumMet ? NominationOutcome.NoQuorum
                : !thresholdMet ? NominationOutcome.Rejected
                : !scoreMet ? NominationOutcome.BelowMinimumScore
                : NominationOutcome.Approved;
            rows.Add(new Row(n, result, weighted));
        }

        var tieBreak = round.TieBreak.Count > 0 ? round.TieBreak : DefaultTieBreak;
        rows.Sort((a, b) => CompareRows(a, b, tieBreak));
        var approved = 0;
        for (var i = 0; i < rows.Count; i++)
        {
            var r = rows[i].Result;
            r.Rank = i + 1;
            if (r.Outcome != NominationOutcome.Approved) continue;
            if (round.MaxRecognitions is { } cap && approved >= cap) r.Outcome = NominationOutcome.NotSelected;
            else approved++;
        }
        return rows.Select(r => r.Result).ToList();
    }

    /// <summary>Qualifying nominations first, then the tie-break keys, then nomination time and id so the order is total.</summary>
    private static int CompareRows(Row a, Row b, IReadOnlyList<TieBreakKey> keys)
    {
        var qa = a.Result.Outcome == NominationOutcome.Approved;
        var qb = b.Result.Outcome == NominationOutcome.Approved;
        if (qa != qb) return qa ? -1 : 1;
        foreach (var key in keys)
        {
            var c = key switch
            {
                TieBreakKey.WeightedScore => CompareDescending(a.Weighted, b.Weighted),
                TieBreakKey.Approvals => b.Result.Approvals.CompareTo(a.Result.Approvals),
                TieBreakKey.NominationTime => a.Nomination.NominatedAt.CompareTo(b.Nomination.NominatedAt),
                _ => 0,
            };
            if (c != 0) return c;
        }
        var t = a.Nomination.NominatedAt.CompareTo(b.Nomination.NominatedAt);
        return t != 0 ? t : string.CompareOrdinal(a.Nomination.Id, b.Nomination.Id);
    }

    /// <summary>Higher first; no score ranks below any score.</summary>
    private static int CompareDescending(Ratio? a, Ratio? b) =>
        (a, b) switch
        {
            (null, null) => 0,
            (null, _) => 1,
            (_, null) => -1,
            _ => b.Value.CompareTo(a.Value),
        };

    private sealed record Row(Nomination Nomination, NominationResult Result, Ratio? Weighted);
}

/// <summary>An exact non-negative rational for comparisons; <see cref="Round"/> only for display.</summary>
public readonly record struct Ratio(BigInteger Numerator, BigInteger Denominator) : IComparable<Ratio>
{
    public int CompareTo(Ratio other) => (Numerator * other.Denominator).CompareTo(other.Numerator * Denominator);

    /// <summary>Rounded half away from zero to <paramref name="places"/> decimals.</summary>
    public decimal Round(int places)
    {
        var scale = BigInteger.Pow(10, places);
        var scaled = (2 * Numerator * scale + Denominator) / (2 * Denominator);
        return (decimal)scaled / (decimal)scale;
    }
}
