using DanVanKheo.Api.Audit;
using DanVanKheo.Api.Auth;
using DanVanKheo.Api.Common;
using DanVanKheo.Api.Entries;
using DanVanKheo.Api.Units;

namespace DanVanKheo.Api.Replications;

/// <summary>Editors of the adopting unit (or above) update a replication's notes, outcome and derived entry, or move its status.</summary>
public sealed class ChangeReplication(IUnitStore units, IEntryStore entries, IReplicationStore replications, Authorizer authorizer,
    AuditContext audit, RegistryClock clock)
{
    public const string Policy = Policies.UnitEditorOfTarget;

    public async Task<Replication> UpdateAsync(UpdateReplicationInput input, CancellationToken ct)
    {
        var (r, scope) = await LoadForChangeAsync("updateReplication", input.Id, input.Version, ct);
        var now = clock.UtcNow();
        // Null asks to remove the link: a no-op while none is linked, refused (like any other entry) once one is.
        if (input.Sent("derivedEntryId") && input.DerivedEntryId is null && r.DerivedEntryId is not null)
            throw new DomainException(ReplicationErrorCodes.DerivedEntryLocked, new(Messages.DerivedEntryAlreadyLinkedCannot), "derivedEntryId");
        var derived = input.DerivedEntryId is null ? null : await entries.LoadVisibleAsync(input.DerivedEntryId, "derivedEntryId", authorizer.Caller, ct);
        var source = (await entries.GetByIdsAsync([r.SourceEntryId], ct)).Single();
        var unit = (await units.GetByIdsAsync([r.AdoptingUnitId], ct)).Single();
        var linked = ReplicationRules.Update(r, ReplicationWrites.Content(
            input.KeepOrClear("adaptationNotes", input.AdaptationNotes, r.AdaptationNotes),
            input.KeepOrClear("outcome", input.Outcome, r.Outcome)), derived, source, unit, now);
        var changed = new List<Replication> { r };
        if (linked)
            changed.AddRange(ReplicationRules.Repath(r, await replications.GetDescendantsAsync(r.DerivedEntryId!, ct), now));
        bool saved;
        try
        {
            saved = await replications.ReplaceAllAsync(changed, linked ? ReplicationWrites.LinkOf(r, derived!, now) : null, scope, ct);
        }
        catch (DuplicateKeyException)
        {
            throw await ReplicationWrites.DuplicateAsync(replications, r, ct);
        }
        if (!saved)
            throw new ConcurrencyConflictException(new(Messages.ReplicationOneBelowChangedMeanwhile));
        return r;
    }

    public async Task<Replication> ChangeStatusAsync(ChangeReplicationStatusInput input, CancellationToken ct)
    {
        var (r, scope) = await LoadForChangeAsync("changeReplicationStatus", input.Id, input.Version, ct);
        var now = clock.UtcNow();
        ReplicationRules.ChangeStatus(r, input.Status, input.On ?? RegistryClock.VietnamDate(now), input.Reason, now);
        if (!await replications.ReplaceAllAsync([r], null, scope, ct))
            throw new ConcurrencyConflictException(new(Messages.ReplicationChangedSinceVersionReload, input.Version));
        return r;
    }

    private async Task<(Replication, AuditScope)> LoadForChangeAsync(string action, string globalId, int version, CancellationToken ct)
    {
        var scope = audit.Begin(action);
        var id = GlobalId.Require(globalId, Replication.TypeName, "id");
        var r = (await replications.GetByIdsAsync([id], ct)).FirstOrDefault()
                ?? throw new DomainException(ErrorCodes.NotFound, new(Messages.ReplicationNotFound, globalId), "id");
        authorizer.Require(action, Policy, r.AdoptingUnitLineage, new(Messages.YouMayChangeReplicationsUnit));
        if (r.Version != version)
            throw new ConcurrencyConflictException(new(Messages.ReplicationAtVersionYouSent, r.Version, version));
        return (r, scope);
    }
}
