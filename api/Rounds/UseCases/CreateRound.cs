using DanVanKheo.Api.Audit;
using DanVanKheo.Api.Auth;
using DanVanKheo.Api.Common;
using DanVanKheo.Api.Councils;
using DanVanKheo.Api.Units;

namespace DanVanKheo.Api.Rounds;

/// <summary>Admins and editors of the council's unit create a DRAFT round.</summary>
public sealed class CreateRound(ICouncilStore councils, IUnitStore units, IRoundStore rounds, Authorizer authorizer,
    AuditContext audit, RegistryClock clock)
{
    public const string Action = "createRound";
    public const string Policy = Policies.UnitEditorOfTarget;

    public async Task<Round> ExecuteAsync(CreateRoundInput input, CancellationToken ct)
    {
        var scope = audit.Begin(Action);
        var council = await councils.LoadAsync(input.CouncilId ?? "", "councilId", ct);
        authorizer.Require(Action, Policy, council.UnitLineage, new(Messages.YouMayCreateRounds, council.Name));
        var definition = await RoundDefinitions.FromAsync(units, input, council, ct);
        var round = RoundRules.Create(definition, authorizer.CallerId, clock.UtcNow());
        await rounds.InsertAsync(round, scope, ct);
        return round;
    }
}
