using DanVanKheo.Api.Audit;
using DanVanKheo.Api.Auth;
using DanVanKheo.Api.Common;
using DanVanKheo.Api.Councils;

namespace DanVanKheo.Api.Rounds;

/// <summary>
/// A round's lifecycle steps: DRAFT → NOMINATING → VOTING → CLOSED → PUBLISHED, by the council's
/// CHAIR or SECRETARY (admins too, except closing, which reveals the ballots); and the close at the
/// voting deadline, by the deadline service.
/// </summary>
public sealed class RoundLifecycle(IRoundStore rounds, ICouncilStore councils, Authorizer authorizer, AuditContext audit, RegistryClock clock)
{
    public const string OfficerOrAdmin = Policies.CouncilOfficerOrAdminOfTarget;
    public const string Officer = Policies.CouncilOfficerOfTarget;
    public const string CloseAction = "closeRound";

    public Task<Round> OpenNominationsAsync(RoundStepInput input, CancellationToken ct) =>
        StepAsync("openNominations", input, OfficerOrAdmin, (round, _, _, now) =>
        {
            RoundRules.OpenNominations(round, now);
            return Task.FromResult(false);
        }, ct);

    public Task<Round> OpenVotingAsync(RoundStepInput input, CancellationToken ct) =>
        StepAsync("openVoting", input, OfficerOrAdmin, (round, council, _, now) =>
        {
            RoundRules.OpenVoting(round, council!, now);
            return Task.FromResult(false);
        }, ct);

    public Task<Round> CloseAsync(RoundStepInput input, CancellationToken ct) =>
        StepAsync(CloseAction, input, Officer, async (round, _, scope, _) =>
        {
            await RoundWorkflow.CloseAsync(rounds, round.Id, round.Version, authorizer.CallerId, clock.UtcNow, ct, scope);
            return true;
        }, ct);

    public Task<Round> PublishAsync(RoundStepInput input, CancellationToken ct) =>
        StepAsync("publishRound", input, OfficerOrAdmin, async (round, _, scope, now) =>
        {
            await RoundWorkflow.PublishAsync(rounds, round, input.DecisionNumber ?? "", input.DecisionDate ?? default, now, ct, scope);
            return true;
        }, ct);

    /// <summary>Closes a VOTING round whose voting deadline passed; the request context names the deadline service as the actor.</summary>
    public async Task<RoundTally> CloseAtDeadlineAsync(Round round, CancellationToken ct)
    {
        var scope = audit.Begin(CloseAction);
        return await RoundWorkflow.CloseAsync(rounds, round.Id, round.Version, authorizer.CallerId, clock.UtcNow, ct, scope);
    }

    /// <summary>Loads the round and its council, checks who may act and the version, applies the step and (unless it stored itself) stores it.</summary>
    private async Task<Round> StepAsync(string action, RoundStepInput input, string policy,
        Func<Round, Council?, AuditScope, DateTime, Task<bool>> change, CancellationToken ct)
    {
        var scope = audit.Begin(action);
        var round = await rounds.LoadAsync(input.Id, "id", ct);
        var council = await councils.CouncilOfAsync(round, ct);
        authorizer.Require(action, policy, RoundRules.MembersOf(round, council),
            new(policy == OfficerOrAdmin ? Messages.OfficersOrAdminOnly : Messages.OfficersOnly, round.Name));
        RoundLookup.CheckVersion(round, input.Version);
        if (await change(round, council, scope, clock.UtcNow())) return await rounds.GetAsync(round.Id, ct);
        await rounds.SaveAsync(round, input.Version, scope, ct);
        return round;
    }
}
