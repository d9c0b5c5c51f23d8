using DanVanKheo.Api.Audit;
using DanVanKheo.Api.Auth;
using DanVanKheo.Api.Common;

namespace DanVanKheo.Api.Units;

/// <summary>Registry administrators record a merger or split: predecessors end and link to their successors.</summary>
public sealed class RecordUnitSuccession(IUnitStore units, Authorizer authorizer, AuditContext audit, RegistryClock clock)
{
    public const string Action = "recordUnitSuccession";
    public const string Policy = Policies.Admin;

    public async Task<IReadOnlyList<Unit>> ExecuteAsync(RecordUnitSuccessionInput input, CancellationToken ct)
    {
        var scope = audit.Begin(Action);
        authorizer.Require(Action, Policy);
        var predecessors = await units.LoadManyAsync(input.PredecessorIds, "predecessorIds", ct);
        var successors = await units.LoadManyAsync(input.SuccessorIds, "successorIds", ct);
        var changed = UnitRules.RecordSuccession(predecessors, successors, input.EffectiveDate, clock.UtcNow());
        if (!await units.ReplaceAllAsync(changed, scope, ct))
            throw new ConcurrencyConflictException(new(Messages.OneUnitsChangedMeanwhileReload));
        return changed;
    }
}
