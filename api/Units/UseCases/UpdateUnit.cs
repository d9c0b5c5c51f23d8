using DanVanKheo.Api.Audit;
using DanVanKheo.Api.Auth;
using DanVanKheo.Api.Common;

namespace DanVanKheo.Api.Units;

/// <summary>Registry administrators change a unit; moving it re-files its whole subtree.</summary>
public sealed class UpdateUnit(IUnitStore units, Authorizer authorizer, AuditContext audit, RegistryClock clock)
{
    public const string Action = "updateUnit";
    public const string Policy = Policies.Admin;

    public async Task<Unit> ExecuteAsync(UpdateUnitInput input, CancellationToken ct)
    {
        var scope = audit.Begin(Action);
        authorizer.Require(Action, Policy);
        var unit = await units.LoadAsync(input.Id, "id", ct);
        var draft = new UnitDraft(
            input.Keep("code", input.Code, unit.Code),
            input.Keep("name", input.Name, unit.Name),
            input.Keep("kind", input.Kind, unit.Kind),
            null,
            input.KeepOrClear("validFrom", input.ValidFrom, unit.ValidFrom),
            input.KeepOrClear("validTo", input.ValidTo, unit.ValidTo));
        var parent = input.Sent("parentId")
            ? await units.LoadOptionalAsync(input.ParentId, "parentId", ct)
            : unit.ParentId is null ? null : (await units.GetByIdsAsync([unit.ParentId], ct)).FirstOrDefault();
        var subtree = UnitRules.Moves(unit, parent) ? await units.GetSubtreeAsync(unit.Id, ct) : [];
        var changed = UnitRules.Update(unit, input.Version, draft with { ParentId = parent?.Id }, parent, subtree, clock.UtcNow());
        try
        {
            if (!await units.ReplaceAllAsync(changed, scope, ct))
                throw new ConcurrencyConflictException(new(Messages.UnitOneDescendantsChangedMeanwhile, unit.Code));
        }
        catch (DuplicateKeyException)
        {
            throw UnitRules.CodeTaken(draft.Code);
        }
        return unit;
    }
}
