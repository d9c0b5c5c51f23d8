using DanVanKheo.Api.Audit;
using DanVanKheo.Api.Common;
using DanVanKheo.Api.Entries;

namespace DanVanKheo.Api.Replications;

public sealed record ReplicationFilter
{
    public string? SourceEntryId { get; init; }
    /// <summary>Replications whose adopting unit is this unit or below it (as recorded).</summary>
    public string? AdoptingUnitSubtree { get; init; }
    public ReplicationStatus? Status { get; init; }
}

/// <summary>Which replications a "most replicated" ranking counts (all conditions must hold; DISCONTINUED never counts).</summary>
public sealed record LeaderboardFilter
{
    /// <summary>Replications planned in this year.</summary>
    public int? Year { get; init; }
    /// <summary>Source entries of this field.</summary>
    public string? FieldId { get; init; }
    /// <summary>Source entries owned by this unit or below it (as registered).</summary>
    public string? SourceUnitSubtree { get; init; }
}

/// <summary>One source entry's place in a ranking.</summary>
public sealed record LeaderboardRow(string SourceEntryId, int Replications, int AdoptingUnits);

/// <summary>
/// An entry changed in the same write as a replication (linking its derived entry):
/// <see cref="Apply"/> gets the entry as stored and returns false when it needs no change
/// (it bumps the version itself). A missing entry is left alone.
/// </summary>
public sealed record LinkedEntryChange(string EntryId, Func<Entry, bool> Apply);

/// <summary>Storage port for replications, shaped by the lineage, leaderboard and report use cases.</summary>
public interface IReplicationStore
{
    /// <exception cref="Common.DuplicateKeyException">an active replication of the same pair exists, or the derived entry is linked already.</exception>
    Task InsertAsync(Replication replication, CancellationToken ct = default) => InsertAsync(replication, null, null, ct);

    /// <summary>Inserts the replication and applies <paramref name="linked"/> to its entry, all or nothing (one audit event).</summary>
    /// <exception cref="Common.DuplicateKeyException">an active replication of the same pair exists, or the derived entry is linked already.</exception>
    Task InsertAsync(Replication replication, LinkedEntryChange? linked, AuditScope? audit, CancellationToken ct = default);

    Task InsertAsync(Replication replication, LinkedEntryChange? linked, CancellationToken ct = default) => InsertAsync(replication, linked, null, ct);

    Task InsertManyAsync(IReadOnlyList<Replication> replications, CancellationToken ct = default);

    /// <summary>
    /// Replaces every replication whose stored version is one less than its new version, all or none;
    /// false (and nothing changed) if any changed meanwhile.
    /// </summary>
    /// <exception cref="Common.DuplicateKeyException">a unique key (active pair, derived entry) is taken.</exception>
    Task<bool> ReplaceAllAsync(IReadOnlyList<Replication> replications, CancellationToken ct = default) => ReplaceAllAsync(replications, null, null, ct);

    /// <summary>As <see cref="ReplaceAllAsync(IReadOnlyList{Replication}, CancellationToken)"/>, also applying <paramref name="linked"/>, all or nothing (one audit event).</summary>
    Task<bool> ReplaceAllAsync(IReadOnlyList<Replication> replications, LinkedEntryChange? linked, AuditScope? audit, CancellationToken ct = default);

    Task<bool> ReplaceAllAsync(IReadOnlyList<Replication> replications, LinkedEntryChange? linked, CancellationToken ct = default) =>
        ReplaceAllAsync(replications, linked, null, ct);

    Task<IReadOnlyList<Replication>> GetByIdsAsync(IReadOnlyCollection<string> ids, CancellationToken ct = default);

    /// <summary>The replications that derived these entries (at most one each).</summary>
    Task<IReadOnlyList<Replication>> GetByDerivedEntryIdsAsync(IReadOnlyCollection<string> entryIds, CancellationToken ct = default);

    /// <summary>Every replication below an entry, all generations: one indexed read of the materialised path.</summary>
    Task<IReadOnlyList<Replication>> GetDescendantsAsync(string entryId, CancellationToken ct = default);

    /// <summary>Paged by id (time-ordered), oldest first.</summary>
    Task<Page<Replication>> FindAsync(ReplicationFilter filter, PageRequest page, CancellationToken ct = default);

    /// <summary>Source entries ranked by active replications (desc), then by id; computed in the store.</summary>
    Task<IReadOnlyList<LeaderboardRow>> MostReplicatedAsync(LeaderboardFilter filter, int limit, CancellationToken ct = default);

    /// <summary>
    /// Replications adopted by any of these units or below them (as recorded), at most
    /// <paramref name="limit"/> in id order after <paramref name="afterId"/>: the report reads them page by page.
    /// </summary>
    Task<IReadOnlyList<Replication>> FindAdoptedUnderAsync(IReadOnlyCollection<string> unitIds, string? afterId, int limit, CancellationToken ct = default);
}
