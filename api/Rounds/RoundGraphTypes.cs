using DanVanKheo.Api.Common;
using DanVanKheo.Api.Auth;
using DanVanKheo.Api.Councils;
using DanVanKheo.Api.Entries;
using DanVanKheo.Api.GraphQL;
using DanVanKheo.Api.Units;
using GraphQL;
using GraphQL.MicrosoftDI;
using GraphQL.Types;

namespace DanVanKheo.Api.Rounds;

public sealed class RoundStatusGraphType : EnumerationGraphType<RoundStatus>
{
    public RoundStatusGraphType()
    {
        Name = "RoundStatus";
        Description = "DRAFT → NOMINATING → VOTING → CLOSED → PUBLISHED.";
        this.DescribeValues(
            ("DRAFT", "Being prepared; only the council officers see and change it."),
            ("NOMINATING", "Units may nominate entries until nominationsCloseAt."),
            ("VOTING", "Members cast ballots until votingClosesAt; the definition is frozen."),
            ("CLOSED", "Voting ended and the tally with its digest is fixed."),
            ("PUBLISHED", "The results were published under a decision and approved entries are RECOGNIZED."));
    }
}

public sealed class ThresholdBaseGraphType : EnumerationGraphType<ThresholdBase>
{
    public ThresholdBaseGraphType()
    {
        Name = "ThresholdBase";
        Description = "What approvals are compared with: ALL_MEMBERS of the council (recused included) or BALLOTS_CAST (non-recused).";
        this.DescribeValues(
            ("ALL_MEMBERS", "Approvals are compared with the number of all council members, recused ones included."),
            ("BALLOTS_CAST", "Approvals are compared with the number of non-recused ballots cast."));
    }
}

public sealed class ThresholdComparisonGraphType : EnumerationGraphType<ThresholdComparison>
{
    public ThresholdComparisonGraphType()
    {
        Name = "ThresholdComparison";
        Description = "GREATER_THAN (approvals > fraction × base) or AT_LEAST (approvals ≥ fraction × base).";
        this.DescribeValues(
            ("GREATER_THAN", "Approvals must be strictly greater than the threshold fraction of the base."),
            ("AT_LEAST", "Approvals must be at least the threshold fraction of the base."));
    }
}

public sealed class TieBreakKeyGraphType : EnumerationGraphType<TieBreakKey>
{
    public TieBreakKeyGraphType()
    {
        Name = "TieBreakKey";
        Description = "A ranking key: higher WEIGHTED_SCORE, more APPROVALS, earlier NOMINATION_TIME.";
        this.DescribeValues(
            ("WEIGHTED_SCORE", "A higher weighted average score ranks first."),
            ("APPROVALS", "More APPROVE ballots rank first."),
            ("NOMINATION_TIME", "An earlier nomination ranks first."));
    }
}

public sealed class NominationStatusGraphType : EnumerationGraphType<NominationStatus>
{
    public NominationStatusGraphType()
    {
        Name = "NominationStatus";
        Description = "ACTIVE, or WITHDRAWN by its unit before voting opened.";
        this.DescribeValues(
            ("ACTIVE", "The nomination stands and will be voted on."),
            ("WITHDRAWN", "The nominating unit withdrew it before voting opened."));
    }
}

public sealed class BallotChoiceGraphType : EnumerationGraphType<BallotChoice>
{
    public BallotChoiceGraphType()
    {
        Name = "BallotChoice";
        Description = "APPROVE, REJECT or ABSTAIN; RECUSED marks a member who stood aside (final).";
        this.DescribeValues(
            ("APPROVE", "The member votes for recognising the entry."),
            ("REJECT", "The member votes against recognising the entry."),
            ("ABSTAIN", "The member takes part without voting for or against."),
            ("RECUSED", "The member stood aside from this nomination; final, and not counted as a ballot cast."));
    }
}

public sealed class NominationOutcomeGraphType : EnumerationGraphType<NominationOutcome>
{
    public NominationOutcomeGraphType()
    {
        Name = "NominationOutcome";
        Description = "APPROVED (recognised), NOT_SELECTED (passed, beyond the cap), REJECTED, BELOW_MINIMUM_SCORE or NO_QUORUM.";
        this.DescribeValues(
            ("APPROVED", "The nomination passed the rule and is within the cap: the entry is recognised."),
            ("NOT_SELECTED", "The nomination passed the rule but ranked beyond the cap on recognitions."),
            ("REJECTED", "Approvals did not reach the threshold of the approval rule."),
            ("BELOW_MINIMUM_SCORE", "The weighted average score is below the rule's minimum."),
            ("NO_QUORUM", "Too few members cast a non-recused ballot for the result to count."));
    }
}

public sealed class FractionGraphType : ObjectGraphType<Fraction>
{
    public FractionGraphType()
    {
        Name = "Fraction";
        Description = "An exact fraction numerator/denominator in lowest terms.";
        Field(f => f.Numerator).Description("The numerator of the fraction.");
        Field(f => f.Denominator).Description("Denominator, at least 1.");
    }
}

public sealed class CriterionGraphType : ObjectGraphType<Criterion>
{
    public CriterionGraphType()
    {
        Name = "Criterion";
        Description = "A scoring criterion (tiêu chí) of a round's rubric.";
        Field(x => x.Name).Description("Name in Vietnamese.");
        Field(x => x.Weight).Description("Share of the weighted score in percent; a rubric's weights sum to 100.");
        Field(x => x.MaxScore).Description("Ballots score it from 0 to this.");
    }
}

public sealed class ApprovalRuleGraphType : ObjectGraphType<ApprovalRule>
{
    public ApprovalRuleGraphType()
    {
        Name = "ApprovalRule";
        Description = "When a nomination is approved: quorum, approval threshold and an optional minimum weighted average score.";
        Field<NonNullGraphType<FractionGraphType>>("quorum").Description("Share of all members who must cast a non-recused ballot.").Resolve(c => c.Source.Quorum);
        Field<NonNullGraphType<FractionGraphType>>("threshold").Description("Share of the base that approvals must exceed (or reach).").Resolve(c => c.Source.Threshold);
        Field<NonNullGraphType<ThresholdBaseGraphType>>("base").Description("What the threshold is a share of.").Resolve(c => c.Source.Base);
        Field<NonNullGraphType<ThresholdComparisonGraphType>>("comparison").Description("Strict (GREATER_THAN) or not (AT_LEAST).").Resolve(c => c.Source.Comparison);
        Field<FractionGraphType>("minimumAverageScore").Description("Minimum weighted average score (0–100 scale), inclusive; null for none.").Resolve(c => c.Source.MinimumAverageScore);
    }
}

public sealed class RecognitionSpecGraphType : ObjectGraphType<RecognitionSpec>
{
    public RecognitionSpecGraphType()
    {
        Name = "RoundRecognition";
        Description = "The recognition a round confers on approved entries.";
        Field(x => x.Form).Description("E.g. Giấy khen, Bằng khen.");
        Field<NonNullGraphType<EntryLevelGraphType>>("issuingLevel").Description("The level that issues it.").Resolve(c => c.Source.IssuingLevel);
        Field(x => x.Issuer, nullable: true).Description("The issuing authority, e.g. Ủy ban nhân dân tỉnh An Giang.");
    }
}

public sealed class RoundGraphType : ObjectGraphType<Round>
{
    public const string TypeName = RoundLookup.RoundTypeName;

    public RoundGraphType()
    {
        Name = TypeName;
        Description = "A selection round (đợt xét chọn): a council scores and votes on nominations under a rubric and an approval rule.";
        Interface<NodeInterface>();
        IsTypeOf = o => o is Round;
        Field<NonNullGraphType<IdGraphType>>("id").Description("The global id, accepted by node(id:) and by mutation inputs.").Resolve(c => GlobalId.Encode(TypeName, c.Source.Id));
        Field<NonNullGraphType<StringGraphType>>("key").Description("The round's local id, as written in its tally digest.").Resolve(c => c.Source.Id);
        Field(x => x.Name).Description("Name in Vietnamese.");
        Field<NonNullGraphType<EntryLevelGraphType>>("level").Description("The round's level.").Resolve(c => c.Source.Level);
        Field(x => x.Year).Description("The year the round selects for.");
        Field<NonNullGraphType<RoundStatusGraphType>>("status").Description("The current status in its lifecycle.").Resolve(c => c.Source.Status);
        Field<NonNullGraphType<CouncilGraphType>>("council").Description("The council that votes.").Resolve(c => c.LoadCouncil(c.Source.CouncilId));
        Field<NonNullGraphType<UnitGraphType>>("scope").Description("Root of the unit subtree whose entries may be nominated.").Resolve(c => c.LoadUnit(c.Source.ScopeUnitId));
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<CriterionGraphType>>>>("rubric").Description("Scoring criteria, in the order ballots list their scores.").Resolve(c => c.Source.Rubric);
        Field<NonNullGraphType<ApprovalRuleGraphType>>("rule").Description("The approval rule.").Resolve(c => c.Source.Rule);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<TieBreakKeyGraphType>>>>("tieBreak").Description("Ranking keys in order; earlier nomination and then id settle what remains.")
            .Resolve(c => c.Source.TieBreak);
        Field(x => x.MaxRecognitions, nullable: true).Description("At most this many nominations are approved; null for no cap.");
        Field<NonNullGraphType<RecognitionSpecGraphType>>("recognition").Description("What approved entries receive.").Resolve(c => c.Source.Recognition);
        Field(x => x.NominationsCloseAt).Description("No nominations from this moment (UTC).");
        Field(x => x.VotingClosesAt).Description("No ballots from this moment (UTC); the API closes the round then.");
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<CouncilMemberGraphType>>>>("members")
            .Description("The electorate: the council's members frozen when voting opened (its current members before).")
            .ResolveAsync(async c =>
            {
                var council = await c.LoadCouncil(c.Source.CouncilId).GetResultAsync(c.CancellationToken);
                return CouncilMemberListing.Of(c.Source.Members ?? council?.Members ?? [], council);
            });
        Field<NonNullGraphType<ConnectionGraphType<NominationGraphType, Nomination>>>("nominations")
            .Description("Nominations in the order they were made, with ballot counts; withdrawn ones only on request.")
            .Argument<BooleanGraphType>("includeWithdrawn", "Also list withdrawn nominations.")
            .ConnectionArguments()
            .Resolve().WithService<IRoundStore>()
            .ResolveAsync(async (c, store) =>
            {
                var page = await store.FindNominationsAsync(c.Source.Id, c.GetArgument<bool?>("includeWithdrawn") == true,
                    Cursors.PageRequest(c, "ID"), c.CancellationToken);
                return new Connection<Nomination>(page, "ID", n => n.Id);
            });
        Field<ListGraphType<NonNullGraphType<NominationResultGraphType>>>("results")
            .Description("The tally in rank order: public once PUBLISHED; for admins, auditors and the council's members once CLOSED; null before.")
            .RequirePolicy(Policies.RoundResultsVisible)
            .ResolveAsync(async c => (await c.LoadTally(c.Source.Id).GetResultAsync(c.CancellationToken))?.Results);
        Field<StringGraphType>("digest")
            .Description("SHA-256 (hex) of the canonical final ballots and rule (docs/tally-digest.md); visible with the results.")
            .RequirePolicy(Policies.RoundResultsVisible)
            .Resolve(c => c.Source.Digest);
        Field<ListGraphType<NonNullGraphType<PublishedBallotGraphType>>>("ballots")
            .Description("The final ballots with members pseudonymised per round, sorted as in the digest; visible with the results.")
            .RequirePolicy(Policies.RoundResultsVisible)
            .Resolve().WithService<IRoundStore>()
            .ResolveAsync(async (c, store) =>
            {
                var final = RoundWorkflow.FinalBallots(c.Source, await store.ListActiveNominationsAsync(c.Source.Id, c.CancellationToken),
                    await store.ListBallotsAsync(c.Source.Id, c.CancellationToken));
                return TallyDigest.Publish(c.Source, final);
            });
        Field(x => x.VotingOpenedAt, nullable: true).Description("When voting opened (UTC).");
        Field(x => x.ClosedAt, nullable: true).Description("When the round closed (UTC).");
        Field(x => x.PublishedAt, nullable: true).Description("When the results were published (UTC).");
        Field(x => x.DecisionNumber, nullable: true).Description("Number of the recognition decision (số quyết định).");
        Field(x => x.DecisionDate, nullable: true).Description("Date of the recognition decision.");
        Field(x => x.Version).Description("Optimistic concurrency version: send it back with changes.");
        Field(x => x.CreatedAt).Description("When the round was created (UTC).");
        Field(x => x.UpdatedAt).Description("When the round last changed (UTC).");
    }

    /// <summary>What a round's read policies check: the round itself (status, frozen electorate).</summary>
}

public sealed class NominationGraphType : ObjectGraphType<Nomination>
{
    public const string TypeName = RoundLookup.NominationTypeName;

    public NominationGraphType()
    {
        Name = TypeName;
        Description = "An entry put forward into a round by its unit (đề nghị).";
        Interface<NodeInterface>();
        IsTypeOf = o => o is Nomination;
        Field<NonNullGraphType<IdGraphType>>("id").Description("The global id, accepted by node(id:) and by mutation inputs.").Resolve(c => GlobalId.Encode(TypeName, c.Source.Id));
        Field<NonNullGraphType<StringGraphType>>("key").Description("The nomination's local id, as written in its round's tally digest.").Resolve(c => c.Source.Id);
        Field<NonNullGraphType<RoundGraphType>>("round").Description("The round this belongs to.").Resolve(c => c.LoadRound(c.Source.RoundId));
        Field<EntryGraphType>("entry").Description("The nominated entry.").Resolve(c => c.LoadEntry(c.Source.EntryId));
        Field<NonNullGraphType<UnitGraphType>>("unit").Description("The nominating unit (the entry's unit).").Resolve(c => c.LoadUnit(c.Source.UnitId));
        Field(x => x.Justification).Description("Why the unit puts the entry forward.");
        Field<NonNullGraphType<NominationStatusGraphType>>("status").Description("Active or withdrawn.").Resolve(c => c.Source.Status);
        Field(x => x.NominatedAt).Description("When the nomination was made (UTC); breaks ties.");
        Field(x => x.WithdrawnAt, nullable: true).Description("When it was withdrawn (UTC).");
        Field<NonNullGraphType<IntGraphType>>("ballotCount")
            .Description("How many members hold a ballot on it (recusals excluded). Who voted what stays secret until the round closes.")
            .Resolve(c => c.LoadBallotCount(c.Source.Id));
        Field<NominationResultGraphType>("result")
            .Description("Its tally, once the round's results are visible to the caller.")
            .RequirePolicy(Policies.RoundResultsVisible)
            .ResolveAsync(async c =>
            {
                var tally = await c.LoadTally(c.Source.RoundId).GetResultAsync(c.CancellationToken);
                return tally?.Results.FirstOrDefault(r => r.NominationId == c.Source.Id);
            });
        Field(x => x.Version).Description("Optimistic concurrency version: send it back to withdraw.");
    }

}

public sealed class NominationResultGraphType : ObjectGraphType<NominationResult>
{
    public NominationResultGraphType()
    {
        Name = "NominationResult";
        Description = "The tally of one nomination.";
        Field<NonNullGraphType<NominationGraphType>>("nomination").Description("The nomination this is about.").Resolve(c => c.LoadNomination(c.Source.NominationId));
        Field(x => x.Rank).Description("1 = best: nominations that met the rule first, then by the round's tie-break keys.");
        Field<NonNullGraphType<NominationOutcomeGraphType>>("outcome").Description("The outcome under the rule and the cap.").Resolve(c => c.Source.Outcome);
        Field(x => x.Approvals).Description("The number of APPROVE ballots.");
        Field(x => x.Rejections).Description("The number of REJECT ballots.");
        Field(x => x.Abstentions).Description("The number of ABSTAIN ballots.");
        Field(x => x.Recusals).Description("Members who recused or had a conflict of interest.");
        Field(x => x.BallotsCast).Description("Non-recused ballots: approvals + rejections + abstentions.");
        Field(x => x.QuorumMet).Description("Whether enough members cast a non-recused ballot.");
        Field<NonNullGraphType<ListGraphType<FloatGraphType>>>("criterionAverages")
            .Description("Average raw score per criterion in rubric order, over APPROVE/REJECT ballots, rounded to 4 places.")
            .Resolve(c => c.Source.CriterionAverages.Select(a => (double?)a).ToList());
        Field<FloatGraphType>("weightedScore").Description("Weighted average score on the 0–100 scale, rounded to 4 places (ranking uses the exact value).")
            .Resolve(c => (double?)c.Source.WeightedScore);
    }
}

public sealed class PublishedBallotGraphType : ObjectGraphType<PublishedBallot>
{
    public PublishedBallotGraphType()
    {
        Name = "PublishedBallot";
        Description = "A final ballot as published after the round closed: the member is a per-round pseudonym.";
        Field<NonNullGraphType<IdGraphType>>("nominationId").Description("The nomination's global id.").Resolve(c => GlobalId.Encode(NominationGraphType.TypeName, c.Source.NominationId));
        Field<NonNullGraphType<StringGraphType>>("nominationKey").Description("The nomination's local id, as written in the digest.").Resolve(c => c.Source.NominationId);
        Field(x => x.Voter).Description("HMAC-SHA-256 pseudonym of the member, stable within the round only.");
        Field<NonNullGraphType<BallotChoiceGraphType>>("choice").Description("The member's final choice.").Resolve(c => c.Source.Choice);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<IntGraphType>>>>("scores").Description("Scores in rubric order; empty for unscored abstentions and recusals.").Resolve(c => c.Source.Scores);
    }
}

public sealed class BallotRevisionGraphType : ObjectGraphType<BallotRevision>
{
    public BallotRevisionGraphType()
    {
        Name = "BallotRevision";
        Description = "One version of a member's ballot.";
        Field(x => x.Revision).Description("1 for the first ballot, +1 per change.");
        Field<NonNullGraphType<BallotChoiceGraphType>>("choice").Description("The member's choice on the ballot.").Resolve(c => c.Source.Choice);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<IntGraphType>>>>("scores").Description("Scores in rubric order.").Resolve(c => c.Source.Scores);
        Field(x => x.Comment, nullable: true).Description("The member's comment or recusal reason.");
        Field(x => x.CastAt).Description("When it was cast (UTC).");
    }
}

public sealed class BallotGraphType : ObjectGraphType<Ballot>
{
    public const string TypeName = "Ballot";

    public BallotGraphType()
    {
        Name = TypeName;
        Description = "The caller's own current ballot on a nomination (phiếu). Nobody else can read it before the round closes.";
        Field<NonNullGraphType<IdGraphType>>("id").Description("Global id of the ballot: the same across its revisions (audit events name it).")
            .Resolve(c => GlobalId.Encode(TypeName, c.Source.Id));
        Field<NonNullGraphType<NominationGraphType>>("nomination").Description("The nomination this is about.").Resolve(c => c.LoadNomination(c.Source.NominationId));
        Field<NonNullGraphType<BallotChoiceGraphType>>("choice").Description("The member's choice on the ballot.").Resolve(c => c.Source.Choice);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<IntGraphType>>>>("scores").Description("Scores in rubric order.").Resolve(c => c.Source.Scores);
        Field(x => x.Comment, nullable: true).Description("The member's comment or recusal reason.");
        Field(x => x.Revision).Description("How many times it was cast or changed; the last counts.");
        Field(x => x.CastAt).Description("When this revision was cast (UTC).");
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<BallotRevisionGraphType>>>>("history")
            .Description("Every revision, oldest first.")
            .Resolve().WithService<IRoundStore>()
            .ResolveAsync(async (c, store) => await store.ListBallotHistoryAsync(c.Source.NominationId, c.Source.MemberId, c.CancellationToken));
    }

    /// <summary>What the own-ballots policy checks of each row: the ballot itself (its member).</summary>
}

public sealed class RecognitionGraphType : ObjectGraphType<Recognition>
{
    public RecognitionGraphType()
    {
        Name = "Recognition";
        Description = "A recognition (công nhận / khen thưởng) an entry received from a published round.";
        Field<NonNullGraphType<RoundGraphType>>("round").Description("The round this belongs to.").Resolve(c => c.LoadRound(c.Source.RoundId));
        Field(x => x.RoundName).Description("The round's name when it was published.");
        Field(x => x.Year).Description("The round's year.");
        Field<NonNullGraphType<EntryLevelGraphType>>("level").Description("The issuing level.").Resolve(c => c.Source.Level);
        Field(x => x.Form).Description("E.g. Bằng khen.");
        Field(x => x.Issuer, nullable: true).Description("The issuing authority.");
        Field(x => x.DecisionNumber).Description("Decision number (số quyết định).");
        Field(x => x.DecisionDate).Description("The date of the recognition decision.");
        Field(x => x.Rank).Description("The entry's rank in the round.");
        Field(x => x.RecognizedAt).Description("When it was recorded (UTC).");
    }
}
