using System.Security.Cryptography;
using DanVanKheo.Api.Common;
using DanVanKheo.Api.Councils;
using DanVanKheo.Api.Entries;
using DanVanKheo.Api.Units;

namespace DanVanKheo.Api.Rounds;

/// <summary>What the secretary defines for a round; null members of a patch stay unchanged.</summary>
public sealed record RoundDefinition
{
    public string? Name { get; init; }
    public EntryLevel? Level { get; init; }
    public int? Year { get; init; }
    public Council? Council { get; init; }
    public Unit? Scope { get; init; }
    public IReadOnlyList<Criterion>? Rubric { get; init; }
    public ApprovalRule? Rule { get; init; }
    public IReadOnlyList<TieBreakKey>? TieBreak { get; init; }
    /// <summary>0 clears the cap.</summary>
    public int? MaxRecognitions { get; init; }
    public RecognitionSpec? Recognition { get; init; }
    public DateTime? NominationsCloseAt { get; init; }
    public DateTime? VotingClosesAt { get; init; }
}

/// <summary>Round, nomination and ballot rules, free of storage and GraphQL.</summary>
public static class RoundRules
{
    public const string RoundFrozen = "ROUND_FROZEN";
    public const string RoundNotOpen = "ROUND_NOT_OPEN";
    public const string RoundNotVoting = "ROUND_NOT_VOTING";
    public const string NotInScope = "NOT_IN_SCOPE";
    public const string AlreadyNominated = "ALREADY_NOMINATED";
    public const string DeadlinePassed = "DEADLINE_PASSED";
    public const string EntryNotRegistered = "ENTRY_NOT_REGISTERED";
    public const string NominationWithdrawn = "NOMINATION_WITHDRAWN";
    public const string ConflictOfInterest = "CONFLICT_OF_INTEREST";
    public const string AlreadyRecused = "ALREADY_RECUSED";
    public const string InvalidScore = "INVALID_SCORE";
    public const string InvalidRubric = "INVALID_RUBRIC";
    public const string InvalidRule = "INVALID_RULE";
    public const string CouncilEmpty = "COUNCIL_EMPTY";

    public static Round Create(RoundDefinition d, string createdBy, DateTime now)
    {
        if (d.Council is null) throw new DomainException(ErrorCodes.NotFound, new(Messages.CouncilNotFound), "councilId");
        var round = new Round
        {
            Status = RoundStatus.Draft,
            TieBreak = [.. Tally.DefaultTieBreak],
            PseudonymKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            CreatedBy = createdBy,
            CreatedAt = now,
            UpdatedAt = now,
        };
        Apply(round, d with { Name = d.Name ?? "", Level = d.Level ?? EntryLevel.Province });
        if (d.Scope is null) throw new DomainException(ErrorCodes.InvalidInput, new(Messages.ScopeUnitRequired), "scopeUnitId");
        if (d.Rubric is null) throw new DomainException(InvalidRubric, new(Messages.RubricRequired), "rubric");
        if (d.Rule is null) throw new DomainException(InvalidRule, new(Messages.ApprovalRuleRequired), "rule");
        if (d.Recognition is null) throw new DomainException(ErrorCodes.InvalidInput, new(Messages.RecognitionRequired), "recognition");
        if (d.NominationsCloseAt is null || d.VotingClosesAt is null)
            throw new DomainException(ErrorCodes.InvalidInput, new(Messages.BothDeadlinesRequired), "nominationsCloseAt");
        return round;
    }

    /// <summary>
    /// Changes a round. From VOTING on only the name and the voting deadline may change; the rubric,
    /// rule, council, scope and everything else that decides the outcome are frozen.
    /// </summary>
    public static void Update(Round round, RoundDefinition d, DateTime now)
    {
        if (round.Status >= RoundStatus.Closed)
            throw new DomainException(RoundFrozen, new(Messages.RoundCannotChange, round.Name, Upper(round.Status)));
        if (round.Status == RoundStatus.Voting)
        {
            var frozen = new (object? Value, string Field)[]
            {
                (d.Council, "councilId"), (d.Scope, "scopeUnitId"), (d.Rubric, "rubric"), (d.Rule, "rule"),
                (d.TieBreak, "tieBreak"), (d.MaxRecognitions, "maxRecognitions"), (d.Recognition, "recognition"),
                (d.Level, "level"), (d.Year, "year"), (d.NominationsCloseAt, "nominationsCloseAt"),
            }.FirstOrDefault(x => x.Value is not null);
            if (frozen.Field is not null)
                throw new DomainException(RoundFrozen,
                    new(Messages.VotingHasOpenedFrozenName, frozen.Field), frozen.Field);
        }
        Apply(round, d);
        round.UpdatedAt = now;
        round.Version++;
    }

    private static void Apply(Round round, RoundDefinition d)
    {
        if (d.Name is not null)
        {
            var name = d.Name.Trim();
            if (name.Length is < 3 or > 300) throw new DomainException(ErrorCodes.InvalidInput, new(Messages.RoundName3300Characters), "name");
            round.Name = name;
        }
        if (d.Level is { } level) round.Level = level;
        if (d.Year is { } year)
        {
            if (year is < 2000 or > 2100) throw new DomainException(ErrorCodes.InvalidInput, new(Messages.YearBetween20002100), "year");
            round.Year = year;
        }
        if (d.Council is { } council)
        {
            round.CouncilId = council.Id;
            round.CouncilUnitId = council.UnitId;
            round.CouncilUnitLineage = [.. council.UnitLineage];
        }
        if (d.Scope is { } scope)
        {
            if (!scope.Lineage().Contains(round.CouncilUnitId))
                throw new DomainException(NotInScope, new(Messages.ScopeOutsideCouncilUnit, scope.Name), "scopeUnitId");
            round.ScopeUnitId = scope.Id;
        }
        if (d.Rubric is { } rubric) round.Rubric = ValidateRubric(rubric);
        if (d.Rule is { } rule) round.Rule = ValidateRule(rule);
        if (d.TieBreak is { } tieBreak)
        {
            if (tieBreak.Count == 0 || tieBreak.Distinct().Count() != tieBreak.Count)
                throw new DomainException(InvalidRule, new(Messages.TieBreakKeysDistinctAt), "tieBreak");
            round.TieBreak = [.. tieBreak];
        }
        if (d.MaxRecognitions is { } cap)
        {
            if (cap < 0) throw new DomainException(ErrorCodes.InvalidInput, new(Messages.MaxRecognitionsNegative), "maxRecognitions");
            round.MaxRecognitions = cap == 0 ? null : cap;
        }
        if (d.Recognition is { } recognition)
        {
            var form = (recognition.Form ?? "").Trim();
            if (form.Length is < 2 or > 100)
                throw new DomainException(ErrorCodes.InvalidInput, new(Messages.RecognitionFormLength), "recognition.form");
            round.Recognition = new RecognitionSpec
            {
                Form = form,
                IssuingLevel = recognition.IssuingLevel,
                Issuer = string.IsNullOrWhiteSpace(recognition.Issuer) ? null : recognition.Issuer.Trim(),
            };
        }
        if (d.NominationsCloseAt is { } nominationsClose) round.NominationsCloseAt = nominationsClose;
        if (d.VotingClosesAt is { } votingCloses) round.VotingClosesAt = votingCloses;
        if (round.NominationsCloseAt != default && round.VotingClosesAt != default && round.VotingClosesAt <= round.NominationsCloseAt)
            throw new DomainException(ErrorCodes.InvalidInput, new(Messages.VotingCloseAfterNominationsClose), "votingClosesAt");
    }

    public static List<Criterion> ValidateRubric(IReadOnlyList<Criterion> rubric)
    {
        if (rubric.Count is < 1 or > 20)
            throw new DomainException(InvalidRubric, new(Messages.RubricHas120Criteria), "rubric");
        var result = new List<Criterion>();
        foreach (var c in rubric)
        {
            var name = (c.Name ?? "").Trim();
            if (name.Length is < 2 or > 200)
                throw new DomainException(InvalidRubric, new(Messages.EachCriterionNeedsName2), "rubric");
            if (c.Weight is < 1 or > 100)
                throw new DomainException(InvalidRubric, new(Messages.CriterionWeight1100, name), "rubric");
            if (c.MaxScore is < 1 or > 1000)
                throw new DomainException(InvalidRubric, new(Messages.CriterionMaximumScore11000, name), "rubric");
            result.Add(new Criterion { Name = name, Weight = c.Weight, MaxScore = c.MaxScore });
        }
        if (result.Select(c => c.Name).Distinct(StringComparer.OrdinalIgnoreCase).Count() != result.Count)
            throw new DomainException(InvalidRubric, new(Messages.CriterionNamesDistinct), "rubric");
        var sum = result.Sum(c => c.Weight);
        if (sum != 100)
            throw new DomainException(InvalidRubric, new(Messages.CriterionWeightsSum100They, sum), "rubric");
        return result;
    }

    public static ApprovalRule ValidateRule(ApprovalRule rule)
    {
        static Fraction Check(Fraction? f, string field, int maxWhole, bool allowZero)
        {
            if (f is null || f.Denominator is < 1 or > 1000 || f.Numerator < 0 || (!allowZero && f.Numerator == 0) ||
                (long)f.Numerator > (long)maxWhole * f.Denominator)
                throw new DomainException(InvalidRule,
                    new(Messages.FractionOutOfRange, field, (allowZero ? 0 : "0 (exclusive)"), maxWhole), field);
            return Fraction.Of(f.Numerator, f.Denominator);
        }

        return new ApprovalRule
        {
            Quorum = Check(rule.Quorum, "rule.quorum", 1, allowZero: true),
            Threshold = Check(rule.Threshold, "rule.threshold", 1, allowZero: false),
            Base = rule.Base,
            Comparison = rule.Comparison,
            MinimumAverageScore = rule.MinimumAverageScore is null ? null : Check(rule.MinimumAverageScore, "rule.minimumAverageScore", 100, allowZero: true),
        };
    }

    public static void OpenNominations(Round round, DateTime now)
    {
        if (round.Status != RoundStatus.Draft)
            throw new DomainException(ErrorCodes.InvalidStatus, new(Messages.OnlyDraftRoundOpensNominations, round.Name, Upper(round.Status)));
        Advance(round, RoundStatus.Nominating, now);
    }

    /// <summary>Opens voting and freezes the council: its members as of now are the round's electorate.</summary>
    public static void OpenVoting(Round round, Council council, DateTime now)
    {
        if (round.Status != RoundStatus.Nominating)
            throw new DomainException(ErrorCodes.InvalidStatus, new(Messages.VotingOpensFromNominating, round.Name, Upper(round.Status)));
        if (council.Id != round.CouncilId) throw new ArgumentException("Not the round's council.", nameof(council));
        if (council.Members.Count == 0)
            throw new DomainException(CouncilEmpty, new(Messages.CouncilHasNoMembers, council.Name));
        if (now >= round.VotingClosesAt)
            throw new DomainException(DeadlinePassed, new(Messages.VotingDeadlineHasPassedMove), "votingClosesAt");
        round.Members = council.Members.Select(m => new CouncilMember
        {
            UserId = m.UserId, DisplayName = m.DisplayName, HomeUnitId = m.HomeUnitId,
            HomeUnitLineage = [.. m.HomeUnitLineage], Role = m.Role,
        }).ToList();
        round.VotingOpenedAt = now;
        Advance(round, RoundStatus.Voting, now);
    }

    /// <summary>Only a VOTING round closes; checked before the tally is computed.</summary>
    public static void CheckClosable(Round round)
    {
        if (round.Status != RoundStatus.Voting)
            throw new DomainException(ErrorCodes.InvalidStatus, new(Messages.OnlyVotingRoundCloses, round.Name, Upper(round.Status)));
    }

    public static void Close(Round round, RoundTally tally, string closedBy, DateTime now)
    {
        CheckClosable(round);
        round.Digest = tally.Digest;
        round.ClosedAt = now;
        round.ClosedBy = closedBy;
        Advance(round, RoundStatus.Closed, now);
    }

    public static void Publish(Round round, string decisionNumber, DateOnly decisionDate, DateTime now)
    {
        if (round.Status != RoundStatus.Closed)
            throw new DomainException(ErrorCodes.InvalidStatus, new(Messages.OnlyClosedRoundPublished, round.Name, Upper(round.Status)));
        var number = (decisionNumber ?? "").Trim();
        if (number.Length is < 1 or > 100)
            throw new DomainException(ErrorCodes.InvalidInput, new(Messages.DecisionNumberLength), "decisionNumber");
        round.DecisionNumber = number;
        round.DecisionDate = decisionDate;
        round.PublishedAt = now;
        Advance(round, RoundStatus.Published, now);
    }

    public static Nomination Nominate(Round round, Entry entry, string justification, string nominatedBy, DateTime now)
    {
        if (round.Status != RoundStatus.Nominating)
            throw new DomainException(RoundNotOpen, new(Messages.RoundDoesTakeNominations, round.Name, Upper(round.Status)), "roundId");
        if (entry.Status is not (EntryStatus.Registered or EntryStatus.Recognized))
            throw new DomainException(EntryNotRegistered, new(Messages.OnlyRegisteredNominated, EntryRules.Label(entry), Upper(entry.Status)), "entryId");
        if (!entry.UnitLineage.Contains(round.ScopeUnitId))
            throw new DomainException(NotInScope, new(Messages.EntryUnitOutsideScope, EntryRules.Label(entry)), "entryId");
        if (now >= round.NominationsCloseAt)
            throw new DomainException(DeadlinePassed, new(Messages.NominationsClosedAtUTC, round.Name, round.NominationsCloseAt), "roundId");
        var text = (justification ?? "").Trim();
        if (text.Length is < 10 or > 5000)
            throw new DomainException(ErrorCodes.InvalidInput, new(Messages.Justification105000Characters), "justification");
        return new Nomination
        {
            RoundId = round.Id,
            EntryId = entry.Id,
            UnitId = entry.UnitId,
            UnitLineage = [.. entry.UnitLineage],
            Justification = text,
            Status = NominationStatus.Active,
            UniqueKey = Nomination.ActiveKey(round.Id, entry.Id),
            NominatedBy = nominatedBy,
            NominatedAt = now,
        };
    }

    public static void Withdraw(Round round, Nomination nomination, string by, DateTime now)
    {
        if (nomination.Status != NominationStatus.Active)
            throw new DomainException(NominationWithdrawn, new(Messages.NominationWasAlreadyWithdrawn), "id");
        if (round.Status != RoundStatus.Nominating)
            throw new DomainException(RoundNotOpen, new(Messages.RoundNominationsWithdrawnUntilVoting, round.Name, Upper(round.Status)), "id");
        nomination.Status = NominationStatus.Withdrawn;
        nomination.UniqueKey = Nomination.ActiveKey(nomination.RoundId, nomination.EntryId) + "|" + nomination.Id;
        nomination.WithdrawnBy = by;
        nomination.WithdrawnAt = now;
        nomination.Version++;
    }

    /// <summary>
    /// A member whose home unit is the nominating unit, one of its ancestors or one of its
    /// descendants may not vote on the nomination.
    /// </summary>
    public static bool IsConflicted(CouncilMember member, Nomination nomination) =>
        member.HomeUnitLineage.Contains(nomination.UnitId) || nomination.UnitLineage.Contains(member.HomeUnitId);

    public static Ballot Cast(Round round, CouncilMember member, Nomination nomination, BallotChoice choice,
        IReadOnlyList<int>? scores, string? comment, DateTime now)
    {
        CheckVoting(round, nomination, now);
        if (choice == BallotChoice.Recused)
            throw new DomainException(ErrorCodes.InvalidInput, new(Messages.UseRecuseInstead), "choice");
        if (IsConflicted(member, nomination))
            throw new DomainException(ConflictOfInterest,
                new(Messages.ConflictOfInterestRecuse), "nominationId");
        var list = scores?.ToList() ?? [];
        if (choice != BallotChoice.Abstain || list.Count > 0)
        {
            if (list.Count != round.Rubric.Count)
                throw new DomainException(InvalidScore, new(Messages.GiveOneScorePerCriterion, round.Rubric.Count), "scores");
            for (var i = 0; i < list.Count; i++)
                if (list[i] < 0 || list[i] > round.Rubric[i].MaxScore)
                    throw new DomainException(InvalidScore, new(Messages.CriterionScoreRange, round.Rubric[i].Name, round.Rubric[i].MaxScore), "scores");
        }
        var text = string.IsNullOrWhiteSpace(comment) ? null : comment.Trim();
        if (text is { Length: > 2000 })
            throw new DomainException(ErrorCodes.InvalidInput, new(Messages.CommentLimited2000Characters), "comment");
        return new Ballot
        {
            RoundId = round.Id, NominationId = nomination.Id, MemberId = member.UserId,
            Choice = choice, Scores = list, Comment = text, CastAt = now,
        };
    }

    public static Ballot Recuse(Round round, CouncilMember member, Nomination nomination, string? reason, DateTime now)
    {
        CheckVoting(round, nomination, now);
        var text = string.IsNullOrWhiteSpace(reason) ? null : reason.Trim();
        if (text is { Length: > 2000 })
            throw new DomainException(ErrorCodes.InvalidInput, new(Messages.ReasonLimited2000Characters), "reason");
        return new Ballot
        {
            RoundId = round.Id, NominationId = nomination.Id, MemberId = member.UserId,
            Choice = BallotChoice.Recused, Comment = text, CastAt = now,
        };
    }

    private static void CheckVoting(Round round, Nomination nomination, DateTime now)
    {
        if (round.Status != RoundStatus.Voting)
            throw new DomainException(RoundNotVoting, new(Messages.BallotsOnlyWhileVoting, round.Name, Upper(round.Status)), "nominationId");
        if (now >= round.VotingClosesAt)
            throw new DomainException(DeadlinePassed, new(Messages.VotingClosedAtUTC, round.VotingClosesAt), "nominationId");
        if (nomination.RoundId != round.Id || nomination.Status != NominationStatus.Active)
            throw new DomainException(NominationWithdrawn, new(Messages.NominationActiveNominationRound), "nominationId");
    }

    /// <summary>Who decides the round's members: the snapshot once voting opened, the live council before.</summary>
    public static IReadOnlyList<CouncilMember> MembersOf(Round round, Council? council) =>
        round.Members ?? council?.Members ?? [];

    private static void Advance(Round round, RoundStatus status, DateTime now)
    {
        round.Status = status;
        round.UpdatedAt = now;
        round.Version++;
    }

    internal static string Upper<T>(T value) where T : struct, Enum => value.ToString().ToUpperInvariant();
}
