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
    /// Reach of a lineage. Each adopting unit counts as its current successor(s) on the day asked
    /// (<paramref name="current"/>): a commune merged into another counts once, as the new commune.
    /// The commune, district and province reached are the successor and its ancestors of that kind.
    /// </summary>
    public static Reach ComputeReach(EntryLineage lineage, Func<string, IReadOnlyList<Unit>> current,
        Func<string, Unit?> lookup)
    {
        var active = lineage.Descendants.Where(d => d.Replication.IsActive).ToList();
        var adopting = active.Select(d => d.Replication.AdoptingUnitId).Distinct().ToList();
        var communes = new HashSet<string>();
        var districts = new HashSet<string>();
        var provinces = new HashSet<string>();
        var reached = new HashSet<string>();
        foreach (var unitId in adopting)
        {
            foreach (var u in current(unitId))
            {
                reached.Add(u.Id);
                foreach (var id in u.Lineage())
                {
                    var x = id == u.Id ? u : lookup(id);
                    switch (x?.Kind)
                    {
                        case UnitKind.Commune: communes.Add(x.Id); break;
                        case UnitKind.District: districts.Add(x.Id); break;
                        case UnitKind.Province: provinces.Add(x.Id); break;
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
