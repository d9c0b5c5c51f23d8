using DanVanKheo.Api.Common;
using DanVanKheo.Api.Entries;

namespace DanVanKheo.Api.Replications;

/// <summary>What the replication use cases share: content from input, the derived entry's link, and which unique key a store refused.</summary>
internal static class ReplicationWrites
{
    public static ReplicationContent Content(string? notes, ReplicationOutcome? outcome) =>
        new() { AdaptationNotes = notes ?? "", Outcome = outcome ?? new ReplicationOutcome() };

    /// <summary>The derived entry shows "replicated from": the store applies it to the entry as stored, in the replication's write.</summary>
    public static LinkedEntryChange LinkOf(Replication r, Entry derived, DateTime now) =>
        new(derived.Id, e => ReplicationRules.MarkDerived(e, r.SourceEntryId, now));

    /// <summary>Which unique key the store refused: the pair, or the derived entry.</summary>
    public static async Task<DomainException> DuplicateAsync(IReplicationStore store, Replication r, CancellationToken ct)
    {
        if (r.DerivedEntryId is not null &&
            (await store.GetByDerivedEntryIdsAsync([r.DerivedEntryId], ct)).Any(x => x.Id != r.Id))
            return new DomainException(ReplicationErrorCodes.DerivedEntryInUse,
                new(Messages.DerivedEntryAlreadyLinkedAnother), "derivedEntryId");
        return new DomainException(ReplicationErrorCodes.DuplicateReplication,
            new(Messages.UnitAlreadyHasActiveReplication), "sourceEntryId");
    }
}
