using DanVanKheo.Api.Audit;
using DanVanKheo.Api.Auth;
using DanVanKheo.Api.Common;
using DanVanKheo.Api.Units;

namespace DanVanKheo.Api.Councils;

/// <summary>Admins and editors of a unit (or above) create a council for it.</summary>
public sealed class CreateCouncil(IUnitStore units, ICouncilStore councils, Authorizer authorizer, AuditContext audit, RegistryClock clock)
{
    public const string Action = "createCouncil";
    public const string Policy = Policies.UnitEditorOfTarget;

    public async Task<Council> ExecuteAsync(CreateCouncilInput input, CancellationToken ct)
    {
        var scope = audit.Begin(Action);
        var unit = await units.LoadAsync(input.UnitId, "unitId", ct);
        authorizer.Require(Action, Policy, unit.Lineage(), new(Messages.YouMayCreateCouncils, unit.Name));
        var council = CouncilRules.Create(input.Name, unit, authorizer.CallerId, clock.UtcNow());
        await councils.InsertAsync(council, scope, ct);
        return council;
    }
}
