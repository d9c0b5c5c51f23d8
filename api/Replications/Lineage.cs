using DanVanKheo.Api.Units;

namespace DanVanKheo.Api.Replications;

/// <summary>A replication somewhere below a model, <see cref="Depth"/> generations down (1 = direct adopter).</summary>
public sealed record LineageNode(Replication Replication, int Depth);

/// <summary>An entry above a model: <see cref="Distance"/> 1 is the entry it was derived from.</summary>
public sealed record LineageAncestor(string EntryId, int Distance, Replication? DerivedBy);

/// <summary>How far a model spread (replications DISCONTINUED are left out).</summary>
public sealed record Reach(
    int AdoptingUnits,
    int DirectAdopters,
    int Communes,
    int Districts,
    int Provinces,
    int Generations,
    long PeopleReached,
    long HouseholdsReached,
    long MoneyMobilizedVnd);

/// <summary>The lineage of one entry, computed from a bounded number of store reads.</summary>
public sealed record EntryLineage(
    string EntryId,
    IReadOnlyList<LineageAncestor> Ancestors,
    IReadOnlyList<LineageNode> Descendants)
{
    public IReadOnlyList<Replication> Adopters => Descendants.Where(d => d.Depth == 1).Select(d => d.Replication).ToList();
    public int Generations => Descendants.Count == 0 ? 0 : Descendants.Max(d => d.Depth);
    public string OriginalEntryId => Ancestors.Count == 0 ? EntryId : Ancestors[^1].EntryId;
}

/// <summary>Pure lineage and reach computations.</summary>
public static class LineageRules
{
    /// <summary>
    /// <paramref name="below"/> are the replications whose path contains <paramref name="entryId"/>;
    /// <paramref name="derivedBy"/> the replications that derived the entries of the path (by derived entry id).
    /// </summary>
    public static EntryLineage Build(string entryId, IEnumerable<Replication> below, Replication? parent,
        IReadOnlyDictionary<string, Replication> derivedBy)
    {
        var descendants = below
            .Select(r => new LineageNode(r, r.Path.Count - r.Path.IndexOf(entryId)))
            .OrderBy(n => n.Depth).ThenBy(n => n.Replication.PlannedOn).ThenBy(n => n.Replication.Id, StringComparer.Ordinal)
            .ToList();
        var ancestors = new List<LineageAncestor>();
        if (parent is not null)
        {
            for (var i = parent.Path.Count - 1; i >= 0; i--)
            {
                var id = parent.Path[i];
                ancestors.Add(new LineageAncestor(id, parent.Path.Count - i, derivedBy.GetValueOrDefault(id)));
            }
        }
        return new EntryLineage(entryId, ancestors, descendants);
    }

    /// <summary>
    /// Reach of a lineage on <paramref name="asOf"/>. Each adopting unit counts as its current
    /// successor(s): two communes merged into one count once, as the new commune. The communes,
    /// districts and provinces reached are those successors and their ancestors, each again taken
    /// as its successor on that day; units that no longer exist and have no successor (districts
    /// after 1/7/2025) are not counted as reached.
    /// </summary>
    public static Reach ComputeReach(EntryLineage lineage, DateOnly asOf, Func<string, Unit?> lookup)
    {
        var active = lineage.Descendants.Where(d => d.Replication.IsActive).ToList();
        var communes = new HashSet<string>();
        var districts = new HashSet<string>();
        var provinces = new HashSet<string>();
        var reached = new HashSet<string>();
        foreach (var unitId in active.Select(d => d.Replication.AdoptingUnitId).Distinct())
        {
            if (lookup(unitId) is not { } adopting) continue;
            foreach (var u in UnitRules.CurrentSuccessors(adopting, asOf, lookup))
            {
                reached.Add(u.Id);
                foreach (var id in u.Lineage())
                {
                    if (lookup(id) is not { } x) continue;
                    foreach (var y in UnitRules.CurrentSuccessors(x, asOf, lookup).Where(y => y.IsValidOn(asOf)))
                    {
                        switch (y.Kind)
                        {
                            case UnitKind.Commune: communes.Add(y.Id); break;
                            case UnitKind.District: districts.Add(y.Id); break;
                            case UnitKind.Province: provinces.Add(y.Id); break;
                        }
                    }
                }
            }
        }
        return new Reach(
            AdoptingUnits: reached.Count,
            DirectAdopters: active.Where(d => d.Depth == 1).Select(d => d.Replication.AdoptingUnitId).Distinct().Count(),
            Communes: communes.Count,
            Districts: districts.Count,
            Provinces: provinces.Count,
            Generations: active.Count == 0 ? 0 : active.Max(d => d.Depth),
            PeopleReached: active.Sum(d => d.Replication.Outcome.PeopleReached ?? 0),
            HouseholdsReached: active.Sum(d => d.Replication.Outcome.HouseholdsReached ?? 0),
            MoneyMobilizedVnd: active.Sum(d => d.Replication.Outcome.MoneyMobilizedVnd ?? 0));
    }
}
