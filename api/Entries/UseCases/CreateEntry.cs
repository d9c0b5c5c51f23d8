using DanVanKheo.Api.Audit;
using DanVanKheo.Api.Auth;
using DanVanKheo.Api.Common;
using DanVanKheo.Api.Units;

namespace DanVanKheo.Api.Entries;

/// <summary>An editor of a unit (or above) creates a DRAFT entry for it; its code comes when it is submitted.</summary>
public sealed class CreateEntry(IUnitStore units, IEntryStore entries, EntryContentReader content, Authorizer authorizer,
    AuditContext audit, RegistryClock clock)
{
    public const string Action = "createEntry";
    public const string Policy = Policies.UnitEditorOfTarget;

    public async Task<Entry> ExecuteAsync(CreateEntryInput input, CancellationToken ct)
    {
        var scope = audit.Begin(Action);
        var unit = await units.LoadAsync(input.UnitId, "unitId", ct);
        authorizer.Require(Action, Policy, unit.Lineage(), new(Messages.YouMayRegisterEntries, unit.Name));
        var now = clock.UtcNow();
        if (!unit.IsValidOn(RegistryClock.VietnamDate(now)))
            throw new DomainException(UnitRules.UnitNotActive, new(Messages.UnitNotActiveToday, unit.Name), "unitId");
        var (fields, field, replicatedFrom) = await content.ReadAsync(input, ct);
        EntryRules.Validate(fields, field, replicatedFrom, unit.Id, today: RegistryClock.VietnamDate(now));
        var entry = EntryRules.CreateDraft(fields, unit, field, replicatedFrom, RegistryClock.VietnamYear(now), authorizer.CallerId, now);
        await entries.InsertAsync(entry, scope, ct);
        return entry;
    }
}
