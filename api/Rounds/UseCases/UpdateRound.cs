using DanVanKheo.Api.Audit;
using DanVanKheo.Api.Auth;
using DanVanKheo.Api.Common;
using DanVanKheo.Api.Councils;
using DanVanKheo.Api.Units;

namespace DanVanKheo.Api.Rounds;

/// <summary>The council's chair or secretary (or an admin) change a round; from VOTING on, only its name and voting deadline.</summary>
public sealed class UpdateRound(ICouncilStore councils, IUnitStore units, IRoundStore rounds, Authorizer authorizer,
    AuditContext audit, RegistryClock clock)
{
    public const string Action = "updateRound";
    public const string Policy = Policies.CouncilOfficerOrAdminOfTarget;

    public async Task<Round> ExecuteAsync(UpdateRoundInput input, CancellationToken ct)
    {
        var scope = audit.Begin(Action);
        var round = await rounds.LoadAsync(input.Id, "id", ct);
        var council = await councils.CouncilOfAsync(round, ct);
        authorizer.Require(Action, Policy, RoundRules.MembersOf(round, council), new(Messages.OfficersMayChangeRound, round.Name));
        RoundLookup.CheckVersion(round, input.Version);
        // Every part of a round's definition is required: none can be cleared, only left out.
        input.RefuseNull("councilId", "name", "level", "year", "scopeUnitId", "rubric", "rule", "tieBreak", "maxRecognitions",
            "recognition", "nominationsCloseAt", "votingClosesAt");
        Council? newCouncil = null;
        if (input.CouncilId is not null)
        {
            newCouncil = await councils.LoadAsync(input.CouncilId, "councilId", ct);
            // Editors of the new council's unit may hand the round to it; otherwise its chair or secretary (or an admin).
            if (!CouncilAccess.CanManage(authorizer.Caller, newCouncil))
                authorizer.Require(Action, Policy, newCouncil.Members, new(Messages.YouMayHandRound, newCouncil.Name));
        }
        var definition = await RoundDefinitions.FromAsync(units, input, newCouncil, ct);
        if (newCouncil is not null && definition.Scope is null && round.Status != RoundStatus.Voting)
            definition = definition with
            {
                Scope = (await units.GetByIdsAsync([round.ScopeUnitId], ct)).FirstOrDefault()
                        ?? throw new DomainException(ErrorCodes.NotFound, new(Messages.ScopeUnitNotFound), "scopeUnitId"),
            };
        RoundRules.Update(round, definition, clock.UtcNow());
        await rounds.SaveAsync(round, input.Version, scope, ct);
        return round;
    }
}
