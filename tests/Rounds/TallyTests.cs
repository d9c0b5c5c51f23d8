using DanVanKheo.Api.Councils;
using DanVanKheo.Api.Rounds;

namespace DanVanKheo.Tests.Rounds;

public sealed class TallyTests
{
    private static readonly DateTime T0 = new(2025, 10, 1, 8, 0, 0, DateTimeKind.Utc);

    /// <summary>Province P with departments D (members' home) and districts H1, H2 with communes X1, X2.</summary>
    private static CouncilMember Member(int i, params string[] homeLineage) => new()
    {
        UserId = $"m{i}", DisplayName = $"Ủy viên {i}", HomeUnitId = homeLineage[^1], HomeUnitLineage = [.. homeLineage],
        Role = i == 0 ? CouncilRole.Chair : CouncilRole.Member,
    };

    private static List<CouncilMember> Members(int count) =>
        Enumerable.Range(0, count).Select(i => Member(i, "P", $"SO{i}")).ToList();

    private static Round Round(ApprovalRule? rule = null, int? cap = null) => new()
    {
        Id = "r1",
        Rubric =
        [
            new Criterion { Name = "Hiệu quả", Weight = 60, MaxScore = 10 },
            new Criterion { Name = "Sức lan tỏa", Weight = 40, MaxScore = 5 },
        ],
        Rule = rule ?? new ApprovalRule { Quorum = Fraction.Of(1, 2), Threshold = Fraction.Of(1, 2), Base = ThresholdBase.AllMembers, Comparison = ThresholdComparison.GreaterThan },
        TieBreak = [.. Tally.DefaultTieBreak],
        MaxRecognitions = cap,
        Status = RoundStatus.Voting,
    };

    private static Nomination Nom(string id, int minute = 0, string unit = "X1", string district = "H1") => new()
    {
        Id = id, RoundId = "r1", EntryId = "e-" + id, UnitId = unit, UnitLineage = ["P", district, unit],
        Status = NominationStatus.Active, NominatedAt = T0.AddMinutes(minute),
    };

    private static Ballot B(string nomination, int member, BallotChoice choice, params int[] scores) => new()
    {
        RoundId = "r1", NominationId = nomination, MemberId = $"m{member}", Choice = choice, Scores = [.. scores],
    };

    private static IEnumerable<Ballot> Votes(string nomination, int approve, int reject = 0, int abstain = 0, int firstMember = 0, int[]? scores = null)
    {
        var m = firstMember;
        var s = scores ?? [8, 4];
        for (var i = 0; i < approve; i++) yield return B(nomination, m++, BallotChoice.Approve, s);
        for (var i = 0; i < reject; i++) yield return B(nomination, m++, BallotChoice.Reject, s);
        for (var i = 0; i < abstain; i++) yield return B(nomination, m++, BallotChoice.Abstain);
    }

    private static NominationResult Single(Round round, List<CouncilMember> members, IEnumerable<Ballot> ballots, Nomination? n = null) =>
        Tally.Compute(round, members, [n ?? Nom("n1")], ballots.ToList()).Single();

    [Fact]
    public void Exactly_half_of_all_members_fails_a_more_than_half_rule_and_one_more_passes()
    {
        var round = Round();
        Assert.Equal(NominationOutcome.Rejected, Single(round, Members(4), Votes("n1", approve: 2, reject: 2)).Outcome);
        var r = Single(round, Members(4), Votes("n1", approve: 3, reject: 1));
        Assert.Equal(NominationOutcome.Approved, r.Outcome);
        Assert.Equal((3, 1, 0, 0, 4, true), (r.Approvals, r.Rejections, r.Abstentions, r.Recusals, r.BallotsCast, r.QuorumMet));
    }

    [Fact]
    public void Exactly_half_passes_an_at_least_half_rule()
    {
        var round = Round(new ApprovalRule { Quorum = Fraction.Of(1, 2), Threshold = Fraction.Of(1, 2), Base = ThresholdBase.AllMembers, Comparison = ThresholdComparison.AtLeast });
        Assert.Equal(NominationOutcome.Approved, Single(round, Members(4), Votes("n1", approve: 2, reject: 2)).Outcome);
        Assert.Equal(NominationOutcome.Rejected, Single(round, Members(5), Votes("n1", approve: 2, reject: 3)).Outcome);
    }

    [Fact]
    public void Exactly_two_thirds_of_ballots_cast_passes_at_least_and_fails_more_than()
    {
        var atLeast = Round(new ApprovalRule { Quorum = Fraction.Of(1, 2), Threshold = Fraction.Of(2, 3), Base = ThresholdBase.BallotsCast, Comparison = ThresholdComparison.AtLeast });
        var moreThan = Round(new ApprovalRule { Quorum = Fraction.Of(1, 2), Threshold = Fraction.Of(2, 3), Base = ThresholdBase.BallotsCast, Comparison = ThresholdComparison.GreaterThan });
        var members = Members(9);
        // 6 ballots cast of 9 members: 4 approvals is exactly 2/3 of the ballots cast.
        Assert.Equal(NominationOutcome.Approved, Single(atLeast, members, Votes("n1", approve: 4, reject: 1, abstain: 1)).Outcome);
        Assert.Equal(NominationOutcome.Rejected, Single(moreThan, members, Votes("n1", approve: 4, reject: 1, abstain: 1)).Outcome);
        Assert.Equal(NominationOutcome.Rejected, Single(atLeast, members, Votes("n1", approve: 3, reject: 2, abstain: 1)).Outcome);
        Assert.Equal(NominationOutcome.Approved, Single(moreThan, members, Votes("n1", approve: 5, reject: 1)).Outcome);
    }

    [Fact]
    public void Two_thirds_of_all_members_counts_members_who_did_not_vote()
    {
        var round = Round(new ApprovalRule { Quorum = Fraction.Of(1, 2), Threshold = Fraction.Of(2, 3), Base = ThresholdBase.AllMembers, Comparison = ThresholdComparison.AtLeast });
        Assert.Equal(NominationOutcome.Rejected, Single(round, Members(9), Votes("n1", approve: 5)).Outcome);
        Assert.Equal(NominationOutcome.Approved, Single(round, Members(9), Votes("n1", approve: 6)).Outcome);
    }

    [Fact]
    public void Quorum_failure_beats_unanimous_approval_and_exact_quorum_is_met()
    {
        var round = Round(new ApprovalRule { Quorum = Fraction.Of(2, 3), Threshold = Fraction.Of(1, 2), Base = ThresholdBase.BallotsCast, Comparison = ThresholdComparison.GreaterThan });
        var short1 = Single(round, Members(6), Votes("n1", approve: 3));
        Assert.False(short1.QuorumMet);
        Assert.Equal(NominationOutcome.NoQuorum, short1.Outcome);
        var exact = Single(round, Members(6), Votes("n1", approve: 4));
        Assert.True(exact.QuorumMet);
        Assert.Equal(NominationOutcome.Approved, exact.Outcome);
    }

    [Fact]
    public void Abstentions_count_toward_quorum_but_not_approval_or_score()
    {
        var round = Round(new ApprovalRule { Quorum = Fraction.Of(1, 1), Threshold = Fraction.Of(1, 2), Base = ThresholdBase.BallotsCast, Comparison = ThresholdComparison.GreaterThan });
        var r = Single(round, Members(4), Votes("n1", approve: 2, reject: 0, abstain: 2, scores: [10, 5]));
        Assert.True(r.QuorumMet);
        Assert.Equal(2, r.Abstentions);
        Assert.Equal(NominationOutcome.Rejected, r.Outcome); // 2 approvals are not more than half of 4 ballots cast
        Assert.Equal(100m, r.WeightedScore);
    }

    [Fact]
    public void Conflicted_and_self_recused_members_count_in_all_members_but_not_in_quorum()
    {
        var members = Members(3);
        members.Add(Member(3, "P", "H1"));      // the nominating commune's district: an ancestor
        members.Add(Member(4, "P", "H1", "X1")); // the nominating commune itself
        var round = Round(new ApprovalRule { Quorum = Fraction.Of(3, 5), Threshold = Fraction.Of(1, 2), Base = ThresholdBase.AllMembers, Comparison = ThresholdComparison.GreaterThan });
        var ballots = Votes("n1", approve: 3).Append(B("n1", 4, BallotChoice.Approve, 10, 5)).ToList();
        var r = Single(round, members, ballots);
        Assert.Equal(2, r.Recusals);
        Assert.Equal(3, r.Approvals); // the conflicted member's ballot is ignored even if one slipped in
        Assert.True(r.QuorumMet);     // 3 of 5 members
        Assert.Equal(NominationOutcome.Approved, r.Outcome); // 3 > 5/2

        var selfRecused = Votes("n1", approve: 2).Append(B("n1", 2, BallotChoice.Recused)).ToList();
        var r2 = Single(round, members, selfRecused);
        Assert.Equal(3, r2.Recusals);
        Assert.False(r2.QuorumMet);
        Assert.Equal(NominationOutcome.NoQuorum, r2.Outcome);
    }

    [Fact]
    public void A_member_of_a_sibling_unit_is_not_conflicted_but_descendants_and_ancestors_are()
    {
        var n = Nom("n1", unit: "X1", district: "H1");
        Assert.False(RoundRules.IsConflicted(Member(0, "P", "H2", "X2"), n));
        Assert.False(RoundRules.IsConflicted(Member(0, "P", "SO1"), n));
        Assert.True(RoundRules.IsConflicted(Member(0, "P"), n));
        Assert.True(RoundRules.IsConflicted(Member(0, "P", "H1"), n));
        Assert.True(RoundRules.IsConflicted(Member(0, "P", "H1", "X1"), n));
        Assert.True(RoundRules.IsConflicted(Member(0, "P", "H1", "X1", "THON1"), n));
    }

    [Fact]
    public void Weighted_average_is_exact_per_criterion_and_overall()
    {
        var ballots = new[]
        {
            B("n1", 0, BallotChoice.Approve, 10, 5), // 60 + 40 = 100
            B("n1", 1, BallotChoice.Reject, 5, 0),   // 30 + 0 = 30
            B("n1", 2, BallotChoice.Approve, 7, 3),  // 42 + 24 = 66
        };
        var r = Single(Round(), Members(3), ballots);
        Assert.Equal([7.3333m, 2.6667m], r.CriterionAverages);
        Assert.Equal(65.3333m, r.WeightedScore); // 196 / 3
    }

    [Fact]
    public void Minimum_average_score_is_inclusive()
    {
        var rule = new ApprovalRule { Quorum = Fraction.Of(1, 2), Threshold = Fraction.Of(1, 2), Base = ThresholdBase.AllMembers, Comparison = ThresholdComparison.GreaterThan, MinimumAverageScore = Fraction.Of(196, 3) };
        var ballots = new[]
        {
            B("n1", 0, BallotChoice.Approve, 10, 5), B("n1", 1, BallotChoice.Approve, 5, 0), B("n1", 2, BallotChoice.Approve, 7, 3),
        };
        Assert.Equal(NominationOutcome.Approved, Single(Round(rule), Members(3), ballots).Outcome);
        rule.MinimumAverageScore = Fraction.Of(197, 3);
        Assert.Equal(NominationOutcome.BelowMinimumScore, Single(Round(rule), Members(3), ballots).Outcome);
    }

    [Fact]
    public void Ties_break_on_score_then_approvals_then_earlier_nomination()
    {
        var members = Members(5);
        var nominations = new[] { Nom("a", minute: 3), Nom("b", minute: 1), Nom("c", minute: 2), Nom("d", minute: 0) };
        var ballots = new List<Ballot>();
        ballots.AddRange(Votes("a", approve: 4, scores: [8, 4]));           // 80, 4 approvals
        ballots.AddRange(Votes("b", approve: 4, scores: [8, 4]));           // 80, 4 approvals, earlier than a
        ballots.AddRange(Votes("c", approve: 5, scores: [8, 4]));           // 80, 5 approvals
        ballots.AddRange(Votes("d", approve: 3, reject: 1, scores: [10, 5])); // 100
        var results = Tally.Compute(Round(), members, nominations, ballots);
        Assert.Equal(["d", "c", "b", "a"], results.Select(r => r.NominationId));
        Assert.Equal([1, 2, 3, 4], results.Select(r => r.Rank));
    }

    [Fact]
    public void The_cap_selects_the_best_ranked_and_a_tie_at_the_cap_goes_to_the_earlier_nomination()
    {
        var members = Members(5);
        var nominations = new[] { Nom("late", minute: 9), Nom("early", minute: 1), Nom("top", minute: 5), Nom("weak", minute: 0) };
        var ballots = new List<Ballot>();
        ballots.AddRange(Votes("top", approve: 5, scores: [10, 5]));
        ballots.AddRange(Votes("early", approve: 4, reject: 1, scores: [8, 4]));
        ballots.AddRange(Votes("late", approve: 4, reject: 1, scores: [8, 4]));
        ballots.AddRange(Votes("weak", approve: 1, reject: 4, scores: [10, 5]));
        var results = Tally.Compute(Round(cap: 2), members, nominations, ballots).ToDictionary(r => r.NominationId);
        Assert.Equal((1, NominationOutcome.Approved), (results["top"].Rank, results["top"].Outcome));
        Assert.Equal((2, NominationOutcome.Approved), (results["early"].Rank, results["early"].Outcome));
        Assert.Equal((3, NominationOutcome.NotSelected), (results["late"].Rank, results["late"].Outcome));
        Assert.Equal((4, NominationOutcome.Rejected), (results["weak"].Rank, results["weak"].Outcome));
    }

    [Fact]
    public void Withdrawn_nominations_and_ballots_of_non_members_are_not_counted()
    {
        var withdrawn = Nom("w");
        withdrawn.Status = NominationStatus.Withdrawn;
        var ballots = Votes("n1", approve: 2).Append(B("n1", 99, BallotChoice.Reject, 0, 0)).ToList();
        var results = Tally.Compute(Round(), Members(3), [Nom("n1"), withdrawn], ballots);
        var r = Assert.Single(results);
        Assert.Equal((2, 0, 2), (r.Approvals, r.Rejections, r.BallotsCast));
    }

    [Fact]
    public void Nobody_approving_never_approves_even_with_a_zero_quorum()
    {
        var rule = new ApprovalRule { Quorum = Fraction.Of(0, 1), Threshold = Fraction.Of(1, 2), Base = ThresholdBase.BallotsCast, Comparison = ThresholdComparison.AtLeast };
        var r = Single(Round(rule), Members(3), []);
        Assert.Equal(NominationOutcome.Rejected, r.Outcome);
        Assert.Null(r.WeightedScore);
        Assert.Equal([null, null], r.CriterionAverages);
    }

    [Fact]
    public void The_tally_does_not_depend_on_input_order()
    {
        var members = Members(7);
        var nominations = Enumerable.Range(0, 30).Select(i => Nom($"n{i:D2}", minute: i % 4)).ToList();
        var rng = new Random(42);
        var ballots = nominations.SelectMany(n => members.Select(m =>
            B(n.Id, int.Parse(m.UserId[1..]), (BallotChoice)rng.Next(3), rng.Next(11), rng.Next(6)))).ToList();
        var a = Tally.Compute(Round(cap: 5), members, nominations, ballots);
        var b = Tally.Compute(Round(cap: 5), members.AsEnumerable().Reverse().ToList(),
            nominations.OrderBy(_ => rng.Next()).ToList(), ballots.OrderBy(_ => rng.Next()).ToList());
        Assert.Equal(Describe(a), Describe(b));
        Assert.InRange(a.Count(r => r.Outcome == NominationOutcome.Approved), 1, 5);

        static string Describe(IEnumerable<NominationResult> rs) => string.Join("\n", rs.Select(r =>
            $"{r.Rank} {r.NominationId} {r.Outcome} {r.Approvals}/{r.Rejections}/{r.Abstentions} {r.WeightedScore}"));
    }

    [Fact]
    public void The_canonical_form_is_exactly_as_documented()
    {
        var round = Round(new ApprovalRule { Quorum = Fraction.Of(2, 3), Threshold = Fraction.Of(1, 2), Base = ThresholdBase.AllMembers, Comparison = ThresholdComparison.GreaterThan, MinimumAverageScore = Fraction.Of(70, 1) }, cap: 10);
        var ballots = new List<PublishedBallot>
        {
            new("n2", "bb", BallotChoice.Reject, [1, 2]),
            new("n1", "cc", BallotChoice.Recused, []),
            new("n1", "aa", BallotChoice.Approve, [10, 5]),
            new("n1", "ab", BallotChoice.Abstain, []),
        };
        const string expected =
            "dvk-tally-digest/1\nround r1\nmembers 15\nrubric 60/10 40/5\nquorum 2/3\nthreshold 1/2 ALL_MEMBERS GT\n" +
            "min-score 70/1\ncap 10\ntie-break WEIGHTED_SCORE,APPROVALS,NOMINATION_TIME\n" +
            "ballot n1 aa APPROVE 10,5\nballot n1 ab ABSTAIN -\nballot n1 cc RECUSED -\nballot n2 bb REJECT 1,2\n";
        Assert.Equal(expected, TallyDigest.Canonical(round, 15, ballots));
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(expected))),
            TallyDigest.Compute(round, 15, ballots));
    }

    [Fact]
    public void Pseudonyms_are_stable_per_round_and_differ_between_rounds()
    {
        var r1 = new Round { Id = "r1", PseudonymKey = Convert.ToBase64String(new byte[32]) };
        var r2 = new Round { Id = "r2", PseudonymKey = r1.PseudonymKey };
        Assert.Equal(TallyDigest.Pseudonym(r1, "user-a"), TallyDigest.Pseudonym(r1, "user-a"));
        Assert.NotEqual(TallyDigest.Pseudonym(r1, "user-a"), TallyDigest.Pseudonym(r2, "user-a"));
        Assert.Matches("^[0-9a-f]{64}$", TallyDigest.Pseudonym(r1, "user-a"));
    }
}
