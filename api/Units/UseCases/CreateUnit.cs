using DanVanKheo.Api.Audit;
using DanVanKheo.Api.Auth;
using DanVanKheo.Api.Common;

namespace DanVanKheo.Api.Units;

/// <summary>Registry administrators add a unit to the organisation tree.</summary>
public sealed class CreateUnit(IUnitStore units, Authorizer authorizer, AuditContext audit, RegistryClock clock)
{
    public const string Action = "createUnit";
    public const string Policy = Policies.Admin;

    public async Task<Unit> ExecuteAsync(CreateUnitInput input, CancellationToken ct)
    {
        var scope = audit.Begin(Action);
        authorizer.Require(Action, Policy);
        var parent = await units.LoadOptionalAsync(input.ParentId, "parentId", ct);
        var unit = UnitRules.Create(new UnitDraft(input.Code, input.Name, input.Kind, parent?.Id, input.ValidFrom, input.ValidTo),
            parent, clock.UtcNow());
        try
        {
            await units.InsertAsync(unit, scope, ct);
        }
        catch (DuplicateKeyException)
        {
            throw UnitRules.CodeTaken(input.Code);
        }
        return unit;
    }
}
