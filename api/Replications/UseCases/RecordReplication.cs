using DanVanKheo.Api.Audit;
using DanVanKheo.Api.Auth;
using DanVanKheo.Api.Common;
using DanVanKheo.Api.Entries;
using DanVanKheo.Api.Units;

namespace DanVanKheo.Api.Replications;

/// <summary>Editors of the adopting unit (or above) record that it adopts another unit's model (PLANNED).</summary>
public sealed class RecordReplication(IUnitStore units, IEntryStore entries, IReplicationStore replications, Authorizer authorizer,
    AuditContext audit, RegistryClock clock)
{
    public const string Action = "recordReplication";
    public const string Policy = Policies.UnitEditorOfTarget;

    public async Task<Replication> ExecuteAsync(RecordReplicationInput input, CancellationToken ct)
    {
        var scope = audit.Begin(Action);
        var unit = await units.LoadAsync(input.AdoptingUnitId, "adoptingUnitId", ct);
        authorizer.Require(Action, Policy, unit.Lineage(), new(Messages.YouMayRecordReplications, unit.Name));
        var now = clock.UtcNow();
        var source = await entries.LoadVisibleAsync(input.SourceEntryId, "sourceEntryId", authorizer.Caller, ct);
        var derived = input.DerivedEntryId is null ? null : await entries.LoadVisibleAsync(input.DerivedEntryId, "derivedEntryId", authorizer.Caller, ct);
        var parent = (await replications.GetByDerivedEntryIdsAsync([source.Id], ct)).FirstOrDefault();
        var replication = ReplicationRules.Record(source, unit, derived, parent, ReplicationWrites.Content(input.AdaptationNotes, input.Outcome),
            input.PlannedOn ?? RegistryClock.VietnamDate(now), authorizer.CallerId, now);
        try
        {
            // The derived entry shows "replicated from": changed in the same write (and audit event) as the replication.
            await replications.InsertAsync(replication, derived is null ? null : ReplicationWrites.LinkOf(replication, derived, now), scope, ct);
        }
        catch (DuplicateKeyException)
        {
            throw await ReplicationWrites.DuplicateAsync(replications, replication, ct);
        }
        return replication;
    }
}
