using DanVanKheo.Api.Common;
using DanVanKheo.Api.Councils;
using DanVanKheo.Api.Entries;
using DanVanKheo.Api.Rounds;
using DanVanKheo.Api.Units;

namespace DanVanKheo.Tests.Rounds;

public sealed class RoundRulesTests
{
    private static readonly DateTime Now = new(2025, 10, 1, 8, 0, 0, DateTimeKind.Utc);
    private static readonly Unit Province = new() { Id = "P", Name = "Tỉnh An Giang" };
    private static readonly Unit Commune = new() { Id = "X1", Name = "Xã Mỹ Hòa Hưng", AncestorIds = ["P", "H1"] };
    private static readonly Unit Department = new() { Id = "SNV", Name = "Sở Nội vụ", AncestorIds = ["P"] };

    private static Council Council()
    {
        var c = CouncilRules.Create("Hội đồng Thi đua – Khen thưởng tỉnh", Province, "admin", Now);
        CouncilRules.AddMember(c, "u-chair", "Nguyễn Văn An", Department, CouncilRole.Chair, Now);
        CouncilRules.AddMember(c, "u-sec", "Trần Thị Bình", Department, CouncilRole.Secretary, Now);
        return c;
    }

    private static RoundDefinition Definition(Council council) => new()
    {
        Name = "Xét chọn mô hình Dân vận khéo tỉnh năm 2025",
        Level = EntryLevel.Province,
        Year = 2025,
        Council = council,
        Scope = Province,
        Rubric = [new Criterion { Name = "Hiệu quả", Weight = 70, MaxScore = 10 }, new Criterion { Name = "Lan tỏa", Weight = 30, MaxScore = 10 }],
        Rule = new ApprovalRule { Quorum = Fraction.Of(2, 3), Threshold = Fraction.Of(1, 2), Base = ThresholdBase.AllMembers, Comparison = ThresholdComparison.GreaterThan },
        Recognition = new RecognitionSpec { Form = "Bằng khen", IssuingLevel = EntryLevel.Province },
        NominationsCloseAt = Now.AddDays(10),
        VotingClosesAt = Now.AddDays(20),
    };

    private static Round NewRound(Council? council = null) => RoundRules.Create(Definition(council ?? Council()), "admin", Now);

    private static Entry Entry(EntryStatus status = EntryStatus.Registered, Unit? unit = null) => new()
    {
        Code = "DVK-2025-000001", Status = status, UnitId = (unit ?? Commune).Id, UnitLineage = (unit ?? Commune).Lineage(),
    };

    private static string CodeOf(Action a) => Assert.ThrowsAny<DomainException>(a).Code;

    [Fact]
    public void Rubric_weights_must_sum_to_100_and_fractions_are_validated()
    {
        var d = Definition(Council());
        Assert.Equal(RoundRules.InvalidRubric, CodeOf(() => RoundRules.Create(d with { Rubric = [new Criterion { Name = "Hiệu quả", Weight = 90, MaxScore = 10 }] }, "a", Now)));
        Assert.Equal(RoundRules.InvalidRule, CodeOf(() => RoundRules.Create(d with { Rule = new ApprovalRule { Quorum = Fraction.Of(1, 2), Threshold = new Fraction { Numerator = 3, Denominator = 2 } } }, "a", Now)));
        Assert.Equal(RoundRules.InvalidRule, CodeOf(() => RoundRules.Create(d with { Rule = new ApprovalRule { Quorum = new Fraction { Numerator = 1, Denominator = 0 }, Threshold = Fraction.Of(1, 2) } }, "a", Now)));
        var round = RoundRules.Create(d with { Rule = new ApprovalRule { Quorum = new Fraction { Numerator = 4, Denominator = 6 }, Threshold = Fraction.Of(1, 2) } }, "a", Now);
        Assert.Equal("2/3", round.Rule.Quorum.ToString());
        Assert.Equal(RoundStatus.Draft, round.Status);
        Assert.NotEmpty(round.PseudonymKey);
    }

    [Fact]
    public void Scope_must_lie_within_the_council_unit()
    {
        var communeCouncil = CouncilRules.Create("Hội đồng xã", Commune, "a", Now);
        Assert.Equal(RoundRules.NotInScope, CodeOf(() => RoundRules.Create(Definition(communeCouncil), "a", Now)));
    }

    [Fact]
    public void Rubric_rule_council_and_scope_are_frozen_from_voting_on()
    {
        var council = Council();
        var round = NewRound(council);
        RoundRules.Update(round, new RoundDefinition { Rubric = [new Criterion { Name = "Hiệu quả", Weight = 100, MaxScore = 5 }] }, Now);
        RoundRules.OpenNominations(round, Now);
        RoundRules.OpenVoting(round, council, Now);
        Assert.Equal(2, round.Members!.Count);
        foreach (var change in new RoundDefinition[]
                 {
                     new() { Rubric = [new Criterion { Name = "Khác", Weight = 100, MaxScore = 5 }] },
                     new() { Rule = new ApprovalRule { Quorum = Fraction.Of(1, 1), Threshold = Fraction.Of(1, 2) } },
                     new() { Council = council },
                     new() { Scope = Province },
                 })
            Assert.Equal(RoundRules.RoundFrozen, CodeOf(() => RoundRules.Update(round, change, Now)));
        Assert.Single(round.Rubric);
        RoundRules.Update(round, new RoundDefinition { Name = "Tên mới của đợt xét chọn", VotingClosesAt = Now.AddDays(30) }, Now);
        Assert.Equal("Tên mới của đợt xét chọn", round.Name);
    }

    [Fact]
    public void Each_nomination_refusal_has_its_own_code()
    {
        var round = NewRound();
        Assert.Equal(RoundRules.RoundNotOpen, CodeOf(() => RoundRules.Nominate(round, Entry(), "Mô hình tiêu biểu của xã", "e", Now)));
        RoundRules.OpenNominations(round, Now);
        Assert.Equal(RoundRules.EntryNotRegistered, CodeOf(() => RoundRules.Nominate(round, Entry(EntryStatus.Draft), "Mô hình tiêu biểu của xã", "e", Now)));
        var outside = new Unit { Id = "Q", Name = "Tỉnh khác" };
        Assert.Equal(RoundRules.NotInScope, CodeOf(() => RoundRules.Nominate(round, Entry(unit: outside), "Mô hình tiêu biểu của xã", "e", Now)));
        Assert.Equal(RoundRules.DeadlinePassed, CodeOf(() => RoundRules.Nominate(round, Entry(), "Mô hình tiêu biểu của xã", "e", Now.AddDays(10))));
        var n = RoundRules.Nominate(round, Entry(), "Mô hình tiêu biểu của xã", "e", Now);
        Assert.Equal(round.Id + "|" + n.EntryId, n.UniqueKey);
    }

    [Fact]
    public void Withdrawal_is_allowed_only_until_voting_opens_and_moves_the_unique_key_aside()
    {
        var council = Council();
        var round = NewRound(council);
        RoundRules.OpenNominations(round, Now);
        var n = RoundRules.Nominate(round, Entry(), "Mô hình tiêu biểu của xã", "e", Now);
        var n2 = RoundRules.Nominate(round, Entry(), "Mô hình tiêu biểu của xã", "e", Now);
        RoundRules.Withdraw(round, n, "e", Now);
        Assert.Equal(NominationStatus.Withdrawn, n.Status);
        Assert.EndsWith("|" + n.Id, n.UniqueKey);
        Assert.Equal(RoundRules.NominationWithdrawn, CodeOf(() => RoundRules.Withdraw(round, n, "e", Now)));
        RoundRules.OpenVoting(round, council, Now);
        Assert.Equal(RoundRules.RoundNotOpen, CodeOf(() => RoundRules.Withdraw(round, n2, "e", Now)));
    }

    [Fact]
    public void Ballots_check_status_deadline_conflict_and_scores()
    {
        var council = Council();
        CouncilRules.AddMember(council, "u-xa", "Lê Văn Cường", Commune, CouncilRole.Member, Now);
        var round = NewRound(council);
        RoundRules.OpenNominations(round, Now);
        var n = RoundRules.Nominate(round, Entry(), "Mô hình tiêu biểu của xã", "e", Now);
        var chair = council.Members[0];
        Assert.Equal(RoundRules.RoundNotVoting, CodeOf(() => RoundRules.Cast(round, chair, n, BallotChoice.Approve, [8, 9], null, Now)));
        RoundRules.OpenVoting(round, council, Now);
        Assert.Equal(RoundRules.ConflictOfInterest, CodeOf(() => RoundRules.Cast(round, council.MemberOf("u-xa")!, n, BallotChoice.Approve, [8, 9], null, Now)));
        Assert.Equal(RoundRules.InvalidScore, CodeOf(() => RoundRules.Cast(round, chair, n, BallotChoice.Approve, [8], null, Now)));
        Assert.Equal(RoundRules.InvalidScore, CodeOf(() => RoundRules.Cast(round, chair, n, BallotChoice.Reject, [8, 11], null, Now)));
        Assert.Equal(RoundRules.DeadlinePassed, CodeOf(() => RoundRules.Cast(round, chair, n, BallotChoice.Approve, [8, 9], null, Now.AddDays(20))));
        var abstain = RoundRules.Cast(round, chair, n, BallotChoice.Abstain, null, "Cần thêm thông tin", Now);
        Assert.Empty(abstain.Scores);
        var ballot = RoundRules.Cast(round, chair, n, BallotChoice.Approve, [8, 9], null, Now);
        Assert.Equal([8, 9], ballot.Scores);
    }

    [Fact]
    public void Councils_have_one_chair_one_secretary_and_no_duplicate_members()
    {
        var council = Council();
        Assert.Equal(CouncilRules.RoleTaken, CodeOf(() => CouncilRules.AddMember(council, "u-x", "Phạm Văn Dũng", Department, CouncilRole.Chair, Now)));
        Assert.Equal(CouncilRules.MemberExists, CodeOf(() => CouncilRules.AddMember(council, "u-sec", "Trần Thị Bình", Department, CouncilRole.Member, Now)));
        CouncilRules.RemoveMember(council, "u-sec", Now);
        CouncilRules.AddMember(council, "u-x", "Phạm Văn Dũng", Department, CouncilRole.Secretary, Now);
        Assert.Equal(["P", "SNV"], council.MemberOf("u-x")!.HomeUnitLineage);
    }

    [Fact]
    public void Close_and_publish_follow_the_lifecycle()
    {
        var council = Council();
        var round = NewRound(council);
        Assert.Equal(ErrorCodes.InvalidStatus, CodeOf(() => RoundRules.Close(round, new RoundTally(), "u", Now)));
        RoundRules.OpenNominations(round, Now);
        RoundRules.OpenVoting(round, council, Now);
        Assert.Equal(ErrorCodes.InvalidStatus, CodeOf(() => RoundRules.Publish(round, "123/QĐ-UBND", new DateOnly(2025, 12, 1), Now)));
        RoundRules.Close(round, new RoundTally { Digest = "abc" }, "u-chair", Now);
        Assert.Equal(("abc", RoundStatus.Closed), (round.Digest, round.Status));
        RoundRules.Publish(round, "123/QĐ-UBND", new DateOnly(2025, 12, 1), Now);
        Assert.Equal(RoundStatus.Published, round.Status);
        Assert.Equal(RoundRules.RoundFrozen, CodeOf(() => RoundRules.Update(round, new RoundDefinition { Name = "Tên khác nữa" }, Now)));
    }
}
