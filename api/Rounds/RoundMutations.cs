using DanVanKheo.Api.Audit;
using DanVanKheo.Api.Auth;
using DanVanKheo.Api.Common;
using DanVanKheo.Api.Councils;
using DanVanKheo.Api.Entries;
using DanVanKheo.Api.GraphQL;
using DanVanKheo.Api.Units;
using GraphQL;
using GraphQL.MicrosoftDI;
using GraphQL.Types;

namespace DanVanKheo.Api.Rounds;

public sealed class FractionInputGraphType : InputObjectGraphType<Fraction>
{
    public FractionInputGraphType()
    {
        Name = "FractionInput";
        Description = "An exact fraction, e.g. { numerator: 2, denominator: 3 } for two thirds.";
        Field<NonNullGraphType<IntGraphType>>("numerator").Description("Numerator, 0 or more.");
        Field<NonNullGraphType<IntGraphType>>("denominator").Description("The denominator of the fraction, 1–1000.");
    }
}

public sealed class CriterionInputGraphType : InputObjectGraphType<Criterion>
{
    public CriterionInputGraphType()
    {
        Name = "CriterionInput";
        Description = "A scoring criterion.";
        Field<NonNullGraphType<StringGraphType>>("name").Description("2–200 characters, distinct within the rubric.");
        Field<NonNullGraphType<IntGraphType>>("weight").Description("Percent, 1–100; the rubric's weights sum to 100.");
        Field<NonNullGraphType<IntGraphType>>("maxScore").Description("Ballots score 0 to this (1–1000).");
    }
}

public sealed class ApprovalRuleInputGraphType : InputObjectGraphType<ApprovalRule>
{
    public ApprovalRuleInputGraphType()
    {
        Name = "ApprovalRuleInput";
        Description = "Quorum, threshold and optional minimum score. E.g. more than half of all members: threshold 1/2, ALL_MEMBERS, GREATER_THAN.";
        Field<NonNullGraphType<FractionInputGraphType>>("quorum").Description("Share of all members who must cast a non-recused ballot (0–1).");
        Field<NonNullGraphType<FractionInputGraphType>>("threshold").Description("Share of the base that approvals must exceed or reach (0–1, not 0).");
        Field<NonNullGraphType<ThresholdBaseGraphType>>("base").Description("ALL_MEMBERS or BALLOTS_CAST.");
        Field<NonNullGraphType<ThresholdComparisonGraphType>>("comparison").Description("GREATER_THAN or AT_LEAST.");
        Field<FractionInputGraphType>("minimumAverageScore").Description("Minimum weighted average score on the 0–100 scale, inclusive.");
    }
}

public sealed class RecognitionSpecInputGraphType : InputObjectGraphType<RecognitionSpec>
{
    public RecognitionSpecInputGraphType()
    {
        Name = "RoundRecognitionInput";
        Description = "What approved entries receive.";
        Field<NonNullGraphType<StringGraphType>>("form").Description("E.g. Giấy khen, Bằng khen.");
        Field<NonNullGraphType<EntryLevelGraphType>>("issuingLevel").Description("The level that issues it.");
        Field<StringGraphType>("issuer").Description("The issuing authority.");
    }
}

public abstract class RoundContentInputGraphType<T> : InputObjectGraphType<T> where T : RoundContentInput
{
    /// <summary>A create requires what a round cannot do without; an update makes every field optional (left out = unchanged).</summary>
    protected void AddContentFields(bool required)
    {
        Required<StringGraphType>("name", !required).Description("The round's name, 3–300 characters.");
        Field<EntryLevelGraphType>("level").Description("The level the round recognises at; PROVINCE when left out on creation.");
        Required<IntGraphType>("year", !required).Description("The registration year whose entries the round selects from.");
        Required<IdGraphType>("scopeUnitId", !required).Description("The root of the unit subtree whose entries may be nominated; within the council's unit.");
        Required<ListGraphType<NonNullGraphType<CriterionInputGraphType>>>("rubric", !required).Description("The scoring rubric: 1–20 criteria whose weights sum to 100.");
        Required<ApprovalRuleInputGraphType>("rule", !required).Description("The approval rule: quorum, threshold and optional minimum score.");
        Field<ListGraphType<NonNullGraphType<TieBreakKeyGraphType>>>("tieBreak").Description("The ranking keys; WEIGHTED_SCORE, APPROVALS, NOMINATION_TIME when left out on creation.");
        Field<IntGraphType>("maxRecognitions").Description("The cap on approvals; 0 removes the cap.");
        Required<RecognitionSpecInputGraphType>("recognition", !required).Description("What approved entries receive: the form and the issuing level.");
        Required<DateTimeGraphType>("nominationsCloseAt", !required).Description("The moment from which no nominations are accepted.");
        Required<DateTimeGraphType>("votingClosesAt", !required).Description("The moment from which no ballots are accepted; after nominationsCloseAt.");
    }

    private global::GraphQL.Builders.FieldBuilder<T, object> Required<TGraphType>(string name, bool partial) where TGraphType : IGraphType =>
        partial ? Field<TGraphType>(name) : Field<NonNullGraphType<TGraphType>>(name);
}

public sealed class CreateRoundInputGraphType : RoundContentInputGraphType<CreateRoundInput>
{
    public CreateRoundInputGraphType()
    {
        Name = "CreateRoundInput";
        Description = "A new DRAFT round with everything it needs to be voted on.";
        Field<NonNullGraphType<IdGraphType>>("councilId").Description("The council that will vote.");
        AddContentFields(required: true);
    }
}

public sealed class UpdateRoundInputGraphType : RoundContentInputGraphType<UpdateRoundInput>
{
    public UpdateRoundInputGraphType()
    {
        Name = "UpdateRoundInput";
        Description = "Changes to a round, with the version it was read at; from VOTING on only name and votingClosesAt may change. " + PartialInputs.Semantics;
        Field<NonNullGraphType<IdGraphType>>("id").Description("The global id of the round to change.");
        Field<NonNullGraphType<IntGraphType>>("version").Description("The version of the round the caller read.");
        Field<IdGraphType>("councilId").Description("Another council of the same organisation to hand the round to.");
        AddContentFields(required: false);
    }

    public override object ParseDictionary(IDictionary<string, object?> value) => PartialInputs.Parse(value, base.ParseDictionary);
}

public sealed class RoundStepInputGraphType : InputObjectGraphType<RoundStepInput>
{
    public RoundStepInputGraphType()
    {
        Name = "RoundStepInput";
        Description = "A round and the version the caller read.";
        Field<NonNullGraphType<IdGraphType>>("id").Description("The global id of the round.");
        Field<NonNullGraphType<IntGraphType>>("version").Description("The version the caller read.");
    }
}

public sealed class PublishRoundInputGraphType : InputObjectGraphType<RoundStepInput>
{
    public PublishRoundInputGraphType()
    {
        Name = "PublishRoundInput";
        Description = "Publishes a CLOSED round under a recognition decision.";
        Field<NonNullGraphType<IdGraphType>>("id").Description("The global id of the round.");
        Field<NonNullGraphType<IntGraphType>>("version").Description("The version the caller read.");
        Field<NonNullGraphType<StringGraphType>>("decisionNumber").Description("Decision number, e.g. 1234/QĐ-UBND.");
        Field<NonNullGraphType<DateOnlyGraphType>>("decisionDate").Description("The date of the recognition decision.");
    }
}

public sealed class NominateEntryInputGraphType : InputObjectGraphType<NominateEntryInput>
{
    public NominateEntryInputGraphType()
    {
        Name = "NominateEntryInput";
        Description = "Puts a registered entry of the caller's unit subtree into a NOMINATING round.";
        Field<NonNullGraphType<IdGraphType>>("roundId").Description("The global id of the round.");
        Field<NonNullGraphType<IdGraphType>>("entryId").Description("The global id of the entry.");
        Field<NonNullGraphType<StringGraphType>>("justification").Description("Why: 10–5000 characters.");
    }
}

public sealed class WithdrawNominationInputGraphType : InputObjectGraphType<WithdrawNominationInput>
{
    public WithdrawNominationInputGraphType()
    {
        Name = "WithdrawNominationInput";
        Description = "Withdraws a nomination before voting opens.";
        Field<NonNullGraphType<IdGraphType>>("id").Description("The global id of the nomination.");
        Field<NonNullGraphType<IntGraphType>>("version").Description("The version the caller read.");
    }
}

public sealed class CastBallotInputGraphType : InputObjectGraphType<CastBallotInput>
{
    public CastBallotInputGraphType()
    {
        Name = "CastBallotInput";
        Description = "The caller's ballot on a nomination; casting again replaces it (the last counts, every version is kept).";
        Field<NonNullGraphType<IdGraphType>>("nominationId").Description("The global id of the nomination.");
        Field<NonNullGraphType<BallotChoiceGraphType>>("choice").Description("APPROVE, REJECT or ABSTAIN.");
        Field<ListGraphType<NonNullGraphType<IntGraphType>>>("scores").Description("One score per criterion in rubric order (0..maxScore); required unless ABSTAIN.");
        Field<StringGraphType>("comment").Description("Up to 2000 characters; never published.");
    }
}

public sealed class RecuseInputGraphType : InputObjectGraphType<RecuseInput>
{
    public RecuseInputGraphType()
    {
        Name = "RecuseInput";
        Description = "The caller stands aside from a nomination; final for this nomination.";
        Field<NonNullGraphType<IdGraphType>>("nominationId").Description("The global id of the nomination.");
        Field<StringGraphType>("reason").Description("Up to 2000 characters.");
    }
}

public sealed class CreateRoundPayloadGraphType() : PayloadGraphType<RoundGraphType>("CreateRoundPayload",
    "The round after the change, or errors explaining why nothing changed.", "round", "The round as stored; null when refused.");
public sealed class UpdateRoundPayloadGraphType() : PayloadGraphType<RoundGraphType>("UpdateRoundPayload",
    "The round after the change, or errors explaining why nothing changed.", "round", "The round as stored; null when refused.");
public sealed class OpenNominationsPayloadGraphType() : PayloadGraphType<RoundGraphType>("OpenNominationsPayload",
    "The round after the change, or errors explaining why nothing changed.", "round", "The round as stored; null when refused.");
public sealed class OpenVotingPayloadGraphType() : PayloadGraphType<RoundGraphType>("OpenVotingPayload",
    "The round after the change, or errors explaining why nothing changed.", "round", "The round as stored; null when refused.");
public sealed class CloseRoundPayloadGraphType() : PayloadGraphType<RoundGraphType>("CloseRoundPayload",
    "The round after the change, or errors explaining why nothing changed.", "round", "The round as stored; null when refused.");
public sealed class PublishRoundPayloadGraphType() : PayloadGraphType<RoundGraphType>("PublishRoundPayload",
    "The round after the change, or errors explaining why nothing changed.", "round", "The round as stored; null when refused.");
public sealed class NominateEntryPayloadGraphType() : PayloadGraphType<NominationGraphType>("NominateEntryPayload",
    "The nomination after the change, or errors explaining why nothing changed.", "nomination", "The nomination as stored; null when refused.");
public sealed class WithdrawNominationPayloadGraphType() : PayloadGraphType<NominationGraphType>("WithdrawNominationPayload",
    "The nomination after the change, or errors explaining why nothing changed.", "nomination", "The nomination as stored; null when refused.");
public sealed class CastBallotPayloadGraphType() : PayloadGraphType<BallotGraphType>("CastBallotPayload",
    "The caller's ballot as stored, or errors explaining why nothing changed.", "ballot", "The ballot as stored; null when refused.");
public sealed class RecusePayloadGraphType() : PayloadGraphType<BallotGraphType>("RecusePayload",
    "The caller's ballot as stored, or errors explaining why nothing changed.", "ballot", "The ballot as stored; null when refused.");

/// <summary>
/// The round workflow. Rounds are created by Registry.Admin or editors of the council's unit;
/// lifecycle steps by the council's CHAIR or SECRETARY (admins too, except closing); nominations
/// by editors of the entry's unit subtree; ballots by the round's council members only.
/// </summary>
public static class RoundMutations
{
    public static void Register(ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<CreateRoundPayloadGraphType>>("createRound")
            .RequirePolicy(CreateRound.Policy).Audited()
            .Description("Creates a DRAFT round. Requires Registry.Admin or Unit.Editor of the council's unit.")
            .Argument<NonNullGraphType<CreateRoundInputGraphType>>("input", "The definition of the new round.")
            .Resolve().WithService<CreateRound>().ResolveAsync(async (c, useCase) => await useCase.ExecuteAsync(c.GetArgument<CreateRoundInput>("input"), c.CancellationToken));
        mutation.Field<NonNullGraphType<UpdateRoundPayloadGraphType>>("updateRound")
            .RequirePolicy(UpdateRound.Policy).Audited()
            .Description("Changes a round. Rubric, rule, council, scope (and the rest but name and votingClosesAt) are frozen from VOTING on: ROUND_FROZEN. Requires the council's CHAIR or SECRETARY, or Registry.Admin.")
            .Argument<NonNullGraphType<UpdateRoundInputGraphType>>("input", "The changes to the round, with the version read.")
            .Resolve().WithService<UpdateRound>().ResolveAsync(async (c, useCase) => await useCase.ExecuteAsync(c.GetArgument<UpdateRoundInput>("input"), c.CancellationToken));
        mutation.Field<NonNullGraphType<OpenNominationsPayloadGraphType>>("openNominations")
            .RequirePolicy(RoundLifecycle.OfficerOrAdmin).Audited()
            .Description("DRAFT → NOMINATING. Requires the council's CHAIR or SECRETARY, or Registry.Admin.")
            .Argument<NonNullGraphType<RoundStepInputGraphType>>("input", "The round and version.")
            .Resolve().WithService<RoundLifecycle>().ResolveAsync(async (c, useCase) => await useCase.OpenNominationsAsync(c.GetArgument<RoundStepInput>("input"), c.CancellationToken));
        mutation.Field<NonNullGraphType<OpenVotingPayloadGraphType>>("openVoting")
            .RequirePolicy(RoundLifecycle.OfficerOrAdmin).Audited()
            .Description("NOMINATING → VOTING: closes nominations and freezes the rules and the council's membership for the round. Requires the council's CHAIR or SECRETARY, or Registry.Admin.")
            .Argument<NonNullGraphType<RoundStepInputGraphType>>("input", "The round and version.")
            .Resolve().WithService<RoundLifecycle>().ResolveAsync(async (c, useCase) => await useCase.OpenVotingAsync(c.GetArgument<RoundStepInput>("input"), c.CancellationToken));
        mutation.Field<NonNullGraphType<CloseRoundPayloadGraphType>>("closeRound")
            .RequirePolicy(RoundLifecycle.Officer).Audited()
            .Description("VOTING → CLOSED: computes and stores the tally and its digest; ballots become readable. Requires the council's CHAIR or SECRETARY.")
            .Argument<NonNullGraphType<RoundStepInputGraphType>>("input", "The round and version.")
            .Resolve().WithService<RoundLifecycle>().ResolveAsync(async (c, useCase) => await useCase.CloseAsync(c.GetArgument<RoundStepInput>("input"), c.CancellationToken));
        mutation.Field<NonNullGraphType<PublishRoundPayloadGraphType>>("publishRound")
            .RequirePolicy(RoundLifecycle.OfficerOrAdmin).Audited()
            .Description("CLOSED → PUBLISHED: approved entries become RECOGNIZED with a recognition record. Requires the council's CHAIR or SECRETARY, or Registry.Admin.")
            .Argument<NonNullGraphType<PublishRoundInputGraphType>>("input", "The round, version and decision.")
            .Resolve().WithService<RoundLifecycle>().ResolveAsync(async (c, useCase) => await useCase.PublishAsync(c.GetArgument<RoundStepInput>("input"), c.CancellationToken));
        mutation.Field<NonNullGraphType<NominateEntryPayloadGraphType>>("nominateEntry")
            .RequirePolicy(Nominations.Policy).Audited()
            .Description("Nominates a registered entry into a NOMINATING round. Requires Unit.Editor of the entry's unit (or above). Refusals: ROUND_NOT_OPEN, ENTRY_NOT_REGISTERED, NOT_IN_SCOPE, DEADLINE_PASSED, ALREADY_NOMINATED.")
            .Argument<NonNullGraphType<NominateEntryInputGraphType>>("input", "The registered entry to nominate, and why.")
            .Resolve().WithService<Nominations>().ResolveAsync(async (c, useCase) => await useCase.NominateAsync(c.GetArgument<NominateEntryInput>("input"), c.CancellationToken));
        mutation.Field<NonNullGraphType<WithdrawNominationPayloadGraphType>>("withdrawNomination")
            .RequirePolicy(Nominations.Policy).Audited()
            .Description("Withdraws a nomination until voting opens. Requires Unit.Editor of the entry's unit (or above).")
            .Argument<NonNullGraphType<WithdrawNominationInputGraphType>>("input", "The nomination and version.")
            .Resolve().WithService<Nominations>().ResolveAsync(async (c, useCase) => await useCase.WithdrawAsync(c.GetArgument<WithdrawNominationInput>("input"), c.CancellationToken));
        mutation.Field<NonNullGraphType<CastBallotPayloadGraphType>>("castBallot")
            .RequirePolicy(Ballots.Policy).Audited()
            .Description("Casts or changes the caller's ballot while the round is VOTING. Only the round's council members; CONFLICT_OF_INTEREST for members of the nominating unit, its ancestors or descendants.")
            .Argument<NonNullGraphType<CastBallotInputGraphType>>("input", "The ballot to cast on one nomination.")
            .Resolve().WithService<Ballots>().ResolveAsync(async (c, useCase) => await useCase.CastAsync(c.GetArgument<CastBallotInput>("input"), c.CancellationToken));
        mutation.Field<NonNullGraphType<RecusePayloadGraphType>>("recuse")
            .RequirePolicy(Ballots.Policy).Audited()
            .Description("The caller recuses from a nomination while the round is VOTING: their ballot no longer counts, and they count toward all members but not the quorum.")
            .Argument<NonNullGraphType<RecuseInputGraphType>>("input", "The nomination and reason.")
            .Resolve().WithService<Ballots>().ResolveAsync(async (c, useCase) => await useCase.RecuseAsync(c.GetArgument<RecuseInput>("input"), c.CancellationToken));
    }
}
