using DanVanKheo.Api.Audit;
using DanVanKheo.Api.Auth;
using DanVanKheo.Api.Common;
using DanVanKheo.Api.Councils;
using DanVanKheo.Api.Entries;
using DanVanKheo.Api.GraphQL;
using DanVanKheo.Api.Units;
using GraphQL;
using GraphQL.Types;

namespace DanVanKheo.Api.Rounds;

public class RoundContentInput
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

public sealed class FractionInputGraphType : InputObjectGraphType<Fraction>
{
    public FractionInputGraphType()
    {
        Name = "FractionInput";
        Description = "An exact fraction, e.g. { numerator: 2, denominator: 3 } for two thirds.";
        Field<NonNullGraphType<IntGraphType>>("numerator").Description("Numerator, 0 or more.");
        Field<NonNullGraphType<IntGraphType>>("denominator").Description("Denominator, 1–1000.");
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
    protected void AddContentFields(bool required)
    {
        Field("name", required ? new NonNullGraphType(new StringGraphType()) : new StringGraphType()).Description("3–300 characters.");
        Field<EntryLevelGraphType>("level").Description("The round's level; default PROVINCE.");
        Field("year", required ? new NonNullGraphType(new IntGraphType()) : new IntGraphType()).Description("The year it selects for.");
        Field("scopeUnitId", required ? new NonNullGraphType(new IdGraphType()) : new IdGraphType()).Description("Root of the unit subtree that may nominate; within the council's unit.");
        Field<ListGraphType<NonNullGraphType<CriterionInputGraphType>>>("rubric").Description("1–20 criteria whose weights sum to 100.");
        Field<ApprovalRuleInputGraphType>("rule").Description("The approval rule.");
        Field<ListGraphType<NonNullGraphType<TieBreakKeyGraphType>>>("tieBreak").Description("Ranking keys; default WEIGHTED_SCORE, APPROVALS, NOMINATION_TIME.");
        Field<IntGraphType>("maxRecognitions").Description("Cap on approvals; 0 removes the cap.");
        Field<RecognitionSpecInputGraphType>("recognition").Description("What approved entries receive.");
        Field<DateTimeGraphType>("nominationsCloseAt").Description("No nominations from this moment.");
        Field<DateTimeGraphType>("votingClosesAt").Description("No ballots from this moment; after nominationsCloseAt.");
    }
}

public sealed class CreateRoundInputGraphType : RoundContentInputGraphType<CreateRoundInput>
{
    public CreateRoundInputGraphType()
    {
        Name = "CreateRoundInput";
        Description = "A new DRAFT round. rubric, rule, recognition and both deadlines are required.";
        Field<NonNullGraphType<IdGraphType>>("councilId").Description("The council that will vote.");
        AddContentFields(required: true);
    }
}

public sealed class UpdateRoundInputGraphType : RoundContentInputGraphType<UpdateRoundInput>
{
    public UpdateRoundInputGraphType()
    {
        Name = "UpdateRoundInput";
        Description = "Changes to a round; fields left out stay as they are. From VOTING on only name and votingClosesAt may change.";
        Field<NonNullGraphType<IdGraphType>>("id").Description("The round.");
        Field<NonNullGraphType<IntGraphType>>("version").Description("The version the caller read.");
        Field<IdGraphType>("councilId").Description("Another council of the same organisation.");
        AddContentFields(required: false);
    }
}

public sealed class RoundStepInputGraphType : InputObjectGraphType<RoundStepInput>
{
    public RoundStepInputGraphType()
    {
        Name = "RoundStepInput";
        Description = "A round and the version the caller read.";
        Field<NonNullGraphType<IdGraphType>>("id").Description("The round.");
        Field<NonNullGraphType<IntGraphType>>("version").Description("The version the caller read.");
    }
}

public sealed class PublishRoundInputGraphType : InputObjectGraphType<RoundStepInput>
{
    public PublishRoundInputGraphType()
    {
        Name = "PublishRoundInput";
        Description = "Publishes a CLOSED round under a recognition decision.";
        Field<NonNullGraphType<IdGraphType>>("id").Description("The round.");
        Field<NonNullGraphType<IntGraphType>>("version").Description("The version the caller read.");
        Field<NonNullGraphType<StringGraphType>>("decisionNumber").Description("Decision number, e.g. 1234/QĐ-UBND.");
        Field<NonNullGraphType<DateOnlyGraphType>>("decisionDate").Description("Decision date.");
    }
}

public sealed class NominateEntryInputGraphType : InputObjectGraphType<NominateEntryInput>
{
    public NominateEntryInputGraphType()
    {
        Name = "NominateEntryInput";
        Description = "Puts a registered entry of the caller's unit subtree into a NOMINATING round.";
        Field<NonNullGraphType<IdGraphType>>("roundId").Description("The round.");
        Field<NonNullGraphType<IdGraphType>>("entryId").Description("The entry.");
        Field<NonNullGraphType<StringGraphType>>("justification").Description("Why: 10–5000 characters.");
    }
}

public sealed class WithdrawNominationInputGraphType : InputObjectGraphType<WithdrawNominationInput>
{
    public WithdrawNominationInputGraphType()
    {
        Name = "WithdrawNominationInput";
        Description = "Withdraws a nomination before voting opens.";
        Field<NonNullGraphType<IdGraphType>>("id").Description("The nomination.");
        Field<NonNullGraphType<IntGraphType>>("version").Description("The version the caller read.");
    }
}

public sealed class CastBallotInputGraphType : InputObjectGraphType<CastBallotInput>
{
    public CastBallotInputGraphType()
    {
        Name = "CastBallotInput";
        Description = "The caller's ballot on a nomination; casting again replaces it (the last counts, every version is kept).";
        Field<NonNullGraphType<IdGraphType>>("nominationId").Description("The nomination.");
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
        Field<NonNullGraphType<IdGraphType>>("nominationId").Description("The nomination.");
        Field<StringGraphType>("reason").Description("Up to 2000 characters.");
    }
}

public sealed record RoundPayload(Round? Round, IReadOnlyList<UserError> Errors);
public sealed record NominationPayload(Nomination? Nomination, IReadOnlyList<UserError> Errors);
public sealed record BallotPayload(Ballot? Ballot, IReadOnlyList<UserError> Errors);

public abstract class RoundPayloadGraphType : ObjectGraphType<RoundPayload>
{
    protected RoundPayloadGraphType(string name)
    {
        Name = name;
        Description = "The round after the change, or errors explaining why nothing changed.";
        Field<RoundGraphType>("round").Description("The round as stored; null when refused.").Resolve(c => c.Source.Round);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<UserErrorGraphType>>>>("errors").Description("Why the mutation was refused; empty on success.").Resolve(c => c.Source.Errors);
    }
}

public sealed class CreateRoundPayloadGraphType() : RoundPayloadGraphType("CreateRoundPayload");
public sealed class UpdateRoundPayloadGraphType() : RoundPayloadGraphType("UpdateRoundPayload");
public sealed class OpenNominationsPayloadGraphType() : RoundPayloadGraphType("OpenNominationsPayload");
public sealed class OpenVotingPayloadGraphType() : RoundPayloadGraphType("OpenVotingPayload");
public sealed class CloseRoundPayloadGraphType() : RoundPayloadGraphType("CloseRoundPayload");
public sealed class PublishRoundPayloadGraphType() : RoundPayloadGraphType("PublishRoundPayload");

public abstract class NominationPayloadGraphType : ObjectGraphType<NominationPayload>
{
    protected NominationPayloadGraphType(string name)
    {
        Name = name;
        Description = "The nomination after the change, or errors explaining why nothing changed.";
        Field<NominationGraphType>("nomination").Description("The nomination as stored; null when refused.").Resolve(c => c.Source.Nomination);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<UserErrorGraphType>>>>("errors").Description("Why the mutation was refused; empty on success.").Resolve(c => c.Source.Errors);
    }
}

public sealed class NominateEntryPayloadGraphType() : NominationPayloadGraphType("NominateEntryPayload");
public sealed class WithdrawNominationPayloadGraphType() : NominationPayloadGraphType("WithdrawNominationPayload");

public abstract class BallotPayloadGraphType : ObjectGraphType<BallotPayload>
{
    protected BallotPayloadGraphType(string name)
    {
        Name = name;
        Description = "The caller's ballot as stored, or errors explaining why nothing changed.";
        Field<BallotGraphType>("ballot").Description("The ballot as stored; null when refused.").Resolve(c => c.Source.Ballot);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<UserErrorGraphType>>>>("errors").Description("Why the mutation was refused; empty on success.").Resolve(c => c.Source.Errors);
    }
}

public sealed class CastBallotPayloadGraphType() : BallotPayloadGraphType("CastBallotPayload");
public sealed class RecusePayloadGraphType() : BallotPayloadGraphType("RecusePayload");

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
            .RequirePolicy(Policies.UnitEditorOfTarget).Audited()
            .Description("Creates a DRAFT round. Requires Registry.Admin or Unit.Editor of the council's unit.")
            .Argument<NonNullGraphType<CreateRoundInputGraphType>>("input", "The round.")
            .ResolveAsync(async c => await CreateAsync(c, c.GetArgument<CreateRoundInput>("input")));
        mutation.Field<NonNullGraphType<UpdateRoundPayloadGraphType>>("updateRound")
            .RequirePolicy(Policies.CouncilOfficerOrAdminOfTarget).Audited()
            .Description("Changes a round. Rubric, rule, council, scope (and the rest but name and votingClosesAt) are frozen from VOTING on: ROUND_FROZEN. Requires the council's CHAIR or SECRETARY, or Registry.Admin.")
            .Argument<NonNullGraphType<UpdateRoundInputGraphType>>("input", "The changes.")
            .ResolveAsync(async c => await UpdateAsync(c, c.GetArgument<UpdateRoundInput>("input")));
        mutation.Field<NonNullGraphType<OpenNominationsPayloadGraphType>>("openNominations")
            .RequirePolicy(Policies.CouncilOfficerOrAdminOfTarget).Audited()
            .Description("DRAFT → NOMINATING. Requires the council's CHAIR or SECRETARY, or Registry.Admin.")
            .Argument<NonNullGraphType<RoundStepInputGraphType>>("input", "The round and version.")
            .ResolveAsync(async c => await StepAsync(c, c.GetArgument<RoundStepInput>("input"), adminMay: true,
                (round, _, now) => { RoundRules.OpenNominations(round, now); return Task.CompletedTask; }));
        mutation.Field<NonNullGraphType<OpenVotingPayloadGraphType>>("openVoting")
            .RequirePolicy(Policies.CouncilOfficerOrAdminOfTarget).Audited()
            .Description("NOMINATING → VOTING: closes nominations and freezes the rules and the council's membership for the round. Requires the council's CHAIR or SECRETARY, or Registry.Admin.")
            .Argument<NonNullGraphType<RoundStepInputGraphType>>("input", "The round and version.")
            .ResolveAsync(async c => await StepAsync(c, c.GetArgument<RoundStepInput>("input"), adminMay: true,
                (round, council, now) => { RoundRules.OpenVoting(round, council!, now); return Task.CompletedTask; }));
        mutation.Field<NonNullGraphType<CloseRoundPayloadGraphType>>("closeRound")
            .RequirePolicy(Policies.CouncilOfficerOfTarget).Audited()
            .Description("VOTING → CLOSED: computes and stores the tally and its digest; ballots become readable. Requires the council's CHAIR or SECRETARY.")
            .Argument<NonNullGraphType<RoundStepInputGraphType>>("input", "The round and version.")
            .ResolveAsync(async c => await StepAsync(c, c.GetArgument<RoundStepInput>("input"), adminMay: false, saved: true,
                change: (round, _, now) =>
                    RoundWorkflow.CloseAsync(c.Service<IRoundStore>(), round.Id, round.Version, c.Caller().Id!, now, c.CancellationToken)));
        mutation.Field<NonNullGraphType<PublishRoundPayloadGraphType>>("publishRound")
            .RequirePolicy(Policies.CouncilOfficerOrAdminOfTarget).Audited()
            .Description("CLOSED → PUBLISHED: approved entries become RECOGNIZED with a recognition record. Requires the council's CHAIR or SECRETARY, or Registry.Admin.")
            .Argument<NonNullGraphType<PublishRoundInputGraphType>>("input", "The round, version and decision.")
            .ResolveAsync(async c =>
            {
                var input = c.GetArgument<RoundStepInput>("input");
                return await StepAsync(c, input, adminMay: true, saved: true, change: (round, _, now) =>
                    RoundWorkflow.PublishAsync(c.Service<IRoundStore>(), round, input.DecisionNumber ?? "",
                        input.DecisionDate ?? default, now, c.CancellationToken));
            });
        mutation.Field<NonNullGraphType<NominateEntryPayloadGraphType>>("nominateEntry")
            .RequirePolicy(Policies.UnitEditorOfTarget).Audited()
            .Description("Nominates a registered entry into a NOMINATING round. Requires Unit.Editor of the entry's unit (or above). Refusals: ROUND_NOT_OPEN, ENTRY_NOT_REGISTERED, NOT_IN_SCOPE, DEADLINE_PASSED, ALREADY_NOMINATED.")
            .Argument<NonNullGraphType<NominateEntryInputGraphType>>("input", "The nomination.")
            .ResolveAsync(async c => await NominateAsync(c, c.GetArgument<NominateEntryInput>("input")));
        mutation.Field<NonNullGraphType<WithdrawNominationPayloadGraphType>>("withdrawNomination")
            .RequirePolicy(Policies.UnitEditorOfTarget).Audited()
            .Description("Withdraws a nomination until voting opens. Requires Unit.Editor of the entry's unit (or above).")
            .Argument<NonNullGraphType<WithdrawNominationInputGraphType>>("input", "The nomination and version.")
            .ResolveAsync(async c => await WithdrawAsync(c, c.GetArgument<WithdrawNominationInput>("input")));
        mutation.Field<NonNullGraphType<CastBallotPayloadGraphType>>("castBallot")
            .RequirePolicy(Policies.CouncilMemberOfTarget).Audited(BallotSeal.KeyOf)
            .Description("Casts or changes the caller's ballot while the round is VOTING. Only the round's council members; CONFLICT_OF_INTEREST for members of the nominating unit, its ancestors or descendants.")
            .Argument<NonNullGraphType<CastBallotInputGraphType>>("input", "The ballot.")
            .ResolveAsync(async c =>
            {
                var input = c.GetArgument<CastBallotInput>("input");
                return await BallotAsync(c, input.NominationId, (round, member, nomination, now) =>
                    RoundRules.Cast(round, member, nomination, input.Choice, input.Scores, input.Comment, now));
            });
        mutation.Field<NonNullGraphType<RecusePayloadGraphType>>("recuse")
            .RequirePolicy(Policies.CouncilMemberOfTarget).Audited(BallotSeal.KeyOf)
            .Description("The caller recuses from a nomination while the round is VOTING: their ballot no longer counts, and they count toward all members but not the quorum.")
            .Argument<NonNullGraphType<RecuseInputGraphType>>("input", "The nomination and reason.")
            .ResolveAsync(async c =>
            {
                var input = c.GetArgument<RecuseInput>("input");
                return await BallotAsync(c, input.NominationId, (round, member, nomination, now) =>
                    RoundRules.Recuse(round, member, nomination, input.Reason, now));
            });
    }

    private static async Task<RoundPayload> CreateAsync(IResolveFieldContext c, CreateRoundInput input)
    {
        var ct = c.CancellationToken;
        try
        {
            var council = await CouncilMutations.LoadAsync(c.Service<ICouncilStore>(), input.CouncilId ?? "", "councilId", ct);
            c.RequireTarget(Policies.UnitEditorOfTarget, council.UnitLineage, $"You may not create rounds for {council.Name}.");
            var definition = await DefinitionAsync(c, input, council);
            var round = RoundRules.Create(definition, c.Caller().Id!, c.Service<TimeProvider>().UtcNowMs());
            await c.Service<IRoundStore>().InsertAsync(round, ct);
            return new RoundPayload(round, []);
        }
        catch (DomainException e) when (e.Code != ErrorCodes.Forbidden)
        {
            return new RoundPayload(null, [UserError.From(e)]);
        }
    }

    private static async Task<RoundPayload> UpdateAsync(IResolveFieldContext c, UpdateRoundInput input)
    {
        var ct = c.CancellationToken;
        try
        {
            var (round, council) = await LoadRoundAsync(c, input.Id, "id");
            c.RequireTarget(Policies.CouncilOfficerOrAdminOfTarget, RoundRules.MembersOf(round, council),
                $"Only the council's chair or secretary may change round '{round.Name}'.");
            CheckVersion(round, input.Version);
            Council? newCouncil = null;
            if (input.CouncilId is not null)
            {
                newCouncil = await CouncilMutations.LoadAsync(c.Service<ICouncilStore>(), input.CouncilId, "councilId", ct);
                // Editors of the new council's unit may hand the round to it; otherwise its chair or secretary (or an admin).
                if (!CouncilAccess.CanManage(c.Caller(), newCouncil))
                    c.RequireTarget(Policies.CouncilOfficerOrAdminOfTarget, newCouncil.Members, $"You may not hand the round to {newCouncil.Name}.");
            }
            var definition = await DefinitionAsync(c, input, newCouncil);
            if (newCouncil is not null && definition.Scope is null && round.Status != RoundStatus.Voting)
                definition = definition with { Scope = await UnitMutations.LoadAsync(c.Service<IUnitStore>(), GlobalId.Encode(UnitGraphType.TypeName, round.ScopeUnitId), "scopeUnitId", ct) };
            RoundRules.Update(round, definition, c.Service<TimeProvider>().UtcNowMs());
            await SaveAsync(c, round, input.Version);
            return new RoundPayload(round, []);
        }
        catch (DomainException e) when (e.Code != ErrorCodes.Forbidden)
        {
            return new RoundPayload(null, [UserError.From(e)]);
        }
    }

    private static async Task<RoundDefinition> DefinitionAsync(IResolveFieldContext c, RoundContentInput input, Council? council)
    {
        var scope = input.ScopeUnitId is null ? null : await UnitMutations.LoadAsync(c.Service<IUnitStore>(), input.ScopeUnitId, "scopeUnitId", c.CancellationToken);
        return new RoundDefinition
        {
            Name = input.Name, Level = input.Level, Year = input.Year, Council = council, Scope = scope,
            Rubric = input.Rubric, Rule = input.Rule, TieBreak = input.TieBreak, MaxRecognitions = input.MaxRecognitions,
            Recognition = input.Recognition,
            NominationsCloseAt = Utc(input.NominationsCloseAt), VotingClosesAt = Utc(input.VotingClosesAt),
        };
    }

    /// <summary>Deadlines as UTC to the millisecond (what both stores keep); a time without offset is taken as UTC.</summary>
    private static DateTime? Utc(DateTime? value)
    {
        if (value is not { } v) return null;
        var utc = v.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(v, DateTimeKind.Utc) : v.ToUniversalTime();
        return new DateTime(utc.Ticks - utc.Ticks % TimeSpan.TicksPerMillisecond, DateTimeKind.Utc);
    }

    /// <summary>Loads the round and its council, checks who may act, the version, applies the step and (unless it saves itself) stores it.</summary>
    private static async Task<RoundPayload> StepAsync(IResolveFieldContext c, RoundStepInput input, bool adminMay,
        Func<Round, Council?, DateTime, Task> change, bool saved = false)
    {
        try
        {
            var (round, council) = await LoadRoundAsync(c, input.Id, "id");
            c.RequireTarget(adminMay ? Policies.CouncilOfficerOrAdminOfTarget : Policies.CouncilOfficerOfTarget, RoundRules.MembersOf(round, council),
                $"Only the council's chair or secretary{(adminMay ? " (or a registry admin)" : "")} may do this in round '{round.Name}'.");
            CheckVersion(round, input.Version);
            await change(round, council, c.Service<TimeProvider>().UtcNowMs());
            if (saved) round = (await c.Service<IRoundStore>().GetByIdsAsync([round.Id], c.CancellationToken)).Single();
            else await SaveAsync(c, round, input.Version);
            return new RoundPayload(round, []);
        }
        catch (DomainException e) when (e.Code != ErrorCodes.Forbidden)
        {
            return new RoundPayload(null, [UserError.From(e)]);
        }
    }

    private static async Task<NominationPayload> NominateAsync(IResolveFieldContext c, NominateEntryInput input)
    {
        var ct = c.CancellationToken;
        var caller = c.Caller();
        try
        {
            var (round, _) = await LoadRoundAsync(c, input.RoundId, "roundId", withCouncil: false);
            var entry = await c.LoadVisibleEntryAsync(input.EntryId, "entryId");
            c.RequireTarget(Policies.UnitEditorOfTarget, entry.UnitLineage, $"Only editors of {entry.UnitNameAtRegistration} may nominate entry {entry.Code}.");
            var nomination = RoundRules.Nominate(round, entry, input.Justification, caller.Id!, c.Service<TimeProvider>().UtcNowMs());
            try
            {
                await c.Service<IRoundStore>().InsertNominationAsync(nomination, ct);
            }
            catch (DuplicateKeyException)
            {
                throw new DomainException(RoundRules.AlreadyNominated, $"Entry {entry.Code} is already nominated in round '{round.Name}'.", "entryId");
            }
            return new NominationPayload(nomination, []);
        }
        catch (DomainException e) when (e.Code != ErrorCodes.Forbidden)
        {
            return new NominationPayload(null, [UserError.From(e)]);
        }
    }

    private static async Task<NominationPayload> WithdrawAsync(IResolveFieldContext c, WithdrawNominationInput input)
    {
        var ct = c.CancellationToken;
        var caller = c.Caller();
        try
        {
            var nomination = await LoadNominationAsync(c, input.Id, "id");
            c.RequireTarget(Policies.UnitEditorOfTarget, nomination.UnitLineage, "Only editors of the nominating unit may withdraw the nomination.");
            if (nomination.Version != input.Version)
                throw new ConcurrencyConflictException($"The nomination is at version {nomination.Version}; you sent {input.Version}. Reload it and retry.");
            var round = await LoadRoundByIdAsync(c, nomination.RoundId);
            RoundRules.Withdraw(round, nomination, caller.Id!, c.Service<TimeProvider>().UtcNowMs());
            if (!await c.Service<IRoundStore>().ReplaceNominationAsync(nomination, input.Version, ct))
                throw new ConcurrencyConflictException("The nomination changed meanwhile. Reload it and retry.");
            return new NominationPayload(nomination, []);
        }
        catch (DomainException e) when (e.Code != ErrorCodes.Forbidden)
        {
            return new NominationPayload(null, [UserError.From(e)]);
        }
    }

    private static async Task<BallotPayload> BallotAsync(IResolveFieldContext c, string nominationGlobalId,
        Func<Round, CouncilMember, Nomination, DateTime, Ballot> make)
    {
        var caller = c.Caller();
        try
        {
            var nomination = await LoadNominationAsync(c, nominationGlobalId, "nominationId");
            var round = await LoadRoundByIdAsync(c, nomination.RoundId);
            // Once voting opened the round's snapshot decides; only before that is the live council read.
            var members = RoundRules.MembersOf(round, round.Members is null ? await CouncilOfAsync(c, round) : null);
            c.RequireTarget(Policies.CouncilMemberOfTarget, members, $"Only members of the council of round '{round.Name}' vote in it.");
            var member = members.First(m => m.UserId == caller.Id);
            // The field seals its event until the nomination's round closes; name the round itself.
            if (AuditScope.Current is { } scope) scope.SealedUntil = BallotSeal.RoundKey(round.Id);
            var ballot = make(round, member, nomination, c.Service<TimeProvider>().UtcNowMs());
            var written = await c.Service<IRoundStore>().CastBallotAsync(ballot, c.CancellationToken);
            return written.Outcome switch
            {
                BallotWriteOutcome.Stored => new BallotPayload(written.Ballot, []),
                BallotWriteOutcome.AlreadyRecused => throw new DomainException(RoundRules.AlreadyRecused, "You recused from this nomination; a recusal is final.", "nominationId"),
                _ => throw new DomainException(RoundRules.RoundNotVoting, $"Round '{round.Name}' is no longer VOTING.", "nominationId"),
            };
        }
        catch (DomainException e) when (e.Code != ErrorCodes.Forbidden)
        {
            return new BallotPayload(null, [UserError.From(e)]);
        }
    }

    private static async Task<(Round Round, Council? Council)> LoadRoundAsync(IResolveFieldContext c, string globalId, string field, bool withCouncil = true)
    {
        var id = GlobalId.LocalIdOf(globalId, RoundGraphType.TypeName)
                 ?? throw new DomainException(ErrorCodes.NotFound, $"'{globalId}' is not a Round id.", field);
        var round = (await c.Service<IRoundStore>().GetByIdsAsync([id], c.CancellationToken)).FirstOrDefault()
                    ?? throw new DomainException(ErrorCodes.NotFound, $"Round '{globalId}' was not found.", field);
        return (round, withCouncil ? await CouncilOfAsync(c, round) : null);
    }

    /// <summary>The round a stored nomination belongs to: it always exists.</summary>
    private static async Task<Round> LoadRoundByIdAsync(IResolveFieldContext c, string roundId) =>
        (await c.Service<IRoundStore>().GetByIdsAsync([roundId], c.CancellationToken)).Single();

    private static async Task<Council?> CouncilOfAsync(IResolveFieldContext c, Round round) =>
        (await c.Service<ICouncilStore>().GetByIdsAsync([round.CouncilId], c.CancellationToken)).FirstOrDefault();

    private static async Task<Nomination> LoadNominationAsync(IResolveFieldContext c, string globalId, string field)
    {
        var id = GlobalId.LocalIdOf(globalId, NominationGraphType.TypeName)
                 ?? throw new DomainException(ErrorCodes.NotFound, $"'{globalId}' is not a Nomination id.", field);
        return (await c.Service<IRoundStore>().GetNominationsByIdsAsync([id], c.CancellationToken)).FirstOrDefault()
               ?? throw new DomainException(ErrorCodes.NotFound, $"Nomination '{globalId}' was not found.", field);
    }

    private static void CheckVersion(Round round, int version)
    {
        if (round.Version != version)
            throw new ConcurrencyConflictException($"Round '{round.Name}' is at version {round.Version}; you sent {version}. Reload it and retry.");
    }

    private static async Task SaveAsync(IResolveFieldContext c, Round round, int expectedVersion)
    {
        if (!await c.Service<IRoundStore>().ReplaceAsync(round, expectedVersion, c.CancellationToken))
            throw new ConcurrencyConflictException($"Round '{round.Name}' changed meanwhile. Reload it and retry.");
    }
}
