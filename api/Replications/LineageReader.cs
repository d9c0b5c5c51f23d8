using DanVanKheo.Api.Units;

namespace DanVanKheo.Api.Replications;

/// <summary>
/// Reads lineage and reach with a bounded number of store calls: descendants come from one
/// indexed read of the materialised path, ancestors from the parent's path, units in batches.
/// </summary>
public static class LineageReader
{
    public static async Task<EntryLineage> ReadAsync(IReplicationStore store, string entryId, CancellationToken ct)
    {
        var below = await store.GetDescendantsAsync(entryId, ct);
        var parent = (await store.GetByDerivedEntryIdsAsync([entryId], ct)).FirstOrDefault();
        var derivedBy = parent is null
            ? new Dictionary<string, Replication>()
            : (await store.GetByDerivedEntryIdsAsync(parent.Path, ct)).ToDictionary(r => r.DerivedEntryId!);
        return LineageRules.Build(entryId, below, parent, derivedBy);
    }

    public static async Task<Reach> ReachAsync(IUnitStore units, EntryLineage lineage, DateOnly asOf, CancellationToken ct)
    {
        var known = new Dictionary<string, Unit>();
        await UnitBatches.LoadAsync(units, known, lineage.Descendants.Select(d => d.Replication.AdoptingUnitId), ct);
        await UnitBatches.LoadSuccessorsAsync(units, known, asOf, ct);
        await UnitBatches.LoadAsync(units, known, known.Values.SelectMany(u => u.AncestorIds).ToList(), ct);
        await UnitBatches.LoadSuccessorsAsync(units, known, asOf, ct);
        return LineageRules.ComputeReach(lineage, asOf, id => known.GetValueOrDefault(id));
    }
}

/// <summary>Batched unit reads shared by lineage reach and reports.</summary>
public static class UnitBatches
{
    public static async Task LoadAsync(IUnitStore units, Dictionary<string, Unit> known, IEnumerable<string> ids, CancellationToken ct)
    {
        var missing = ids.Where(id => !known.ContainsKey(id)).Distinct().ToList();
        if (missing.Count == 0) return;
        foreach (var u in await units.GetByIdsAsync(missing, ct)) known[u.Id] = u;
    }

    /// <summary>Loads, level by level, the successors of every known unit that no longer exists on <paramref name="asOf"/>.</summary>
    public static async Task LoadSuccessorsAsync(IUnitStore units, Dictionary<string, Unit> known, DateOnly asOf, CancellationToken ct)
    {
        var frontier = known.Values.ToList();
        for (var depth = 0; depth < 32 && frontier.Count > 0; depth++)
        {
            var missing = frontier.Where(u => !u.IsValidOn(asOf)).SelectMany(u => u.SuccessorIds)
                .Where(id => !known.ContainsKey(id)).Distinct().ToList();
            if (missing.Count == 0) return;
            var loaded = await units.GetByIdsAsync(missing, ct);
            foreach (var u in loaded) known[u.Id] = u;
            frontier = [.. loaded];
        }
    }

    /// <summary>Loads, level by level, every unit that ended and lives on in one of the known units.</summary>
    public static async Task<IReadOnlyList<Unit>> LoadPredecessorsAsync(IUnitStore units, Dictionary<string, Unit> known, CancellationToken ct)
    {
        var found = new List<Unit>();
        var frontier = known.Values.ToList();
        for (var depth = 0; depth < 32 && frontier.Count > 0; depth++)
        {
            var missing = frontier.SelectMany(u => u.PredecessorIds).Where(id => !known.ContainsKey(id)).Distinct().ToList();
            if (missing.Count == 0) break;
            var loaded = await units.GetByIdsAsync(missing, ct);
            foreach (var u in loaded) known[u.Id] = u;
            found.AddRange(loaded);
            frontier = [.. loaded];
        }
        return found;
    }
}
