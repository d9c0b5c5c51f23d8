using DanVanKheo.Api.Entries;
using DanVanKheo.Api.Replications;
using DanVanKheo.Api.Units;

namespace DanVanKheo.Api.Reports;

/// <summary>What <see cref="ReportRules.Build"/> needs, already read from the stores.</summary>
public sealed record ReportInput
{
    public required Unit Unit { get; init; }
    public int Year { get; init; }
    public bool IncludeSubunits { get; init; }
    public DateOnly? AsOf { get; init; }
    public IReadOnlyList<EntryGroup> Groups { get; init; } = [];
    /// <summary>Field ids in display order.</summary>
    public IReadOnlyList<string> FieldOrder { get; init; } = [];
    /// <summary>
    /// Where a unit's records count: the child of the report's unit they roll up into, the unit
    /// itself for its own records, or null when they fall outside the report.
    /// </summary>
    public required Func<string, string?> Attribute { get; init; }
    public IReadOnlyList<Replication> Replications { get; init; } = [];
    public IReadOnlyList<LeaderboardRow> TopReplicated { get; init; } = [];
    /// <summary>From the recognitions store when it exists; null selects the fallback.</summary>
    public IReadOnlyList<RecognitionTally>? Recognitions { get; init; }
}

/// <summary>Report arithmetic, free of storage and GraphQL.</summary>
public static class ReportRules
{
    public const string RecognitionFallback = "ENTRY_STATUS";
    public const string RecognitionStore = "RECOGNITIONS";

    public static string GroupKey(int year, string unitId, IReadOnlyList<string> lineage, string fieldId, EntryKind kind,
        ExemplarType? exemplarType, EntryLevel level, EntryStatus status, EntryNovelty novelty) =>
        string.Join('|', year, unitId, string.Join(',', lineage), fieldId, kind, exemplarType?.ToString() ?? "-", level, status, novelty);

    public static EntryGroup GroupOf(Entry e) => new()
    {
        Year = e.Year,
        UnitId = e.UnitId,
        UnitLineage = e.UnitLineage,
        FieldId = e.FieldId,
        Kind = e.Kind,
        ExemplarType = e.ExemplarType,
        Level = e.Level,
        Status = e.Status,
        Novelty = e.Novelty,
        Count = 1,
        HouseholdsReached = e.Results.HouseholdsReached ?? 0,
        PeopleReached = e.Results.PeopleReached ?? 0,
        MoneyMobilizedVnd = e.Results.MoneyMobilizedVnd ?? 0,
        LandDonatedM2 = e.Results.LandDonatedM2 ?? 0,
        Workdays = e.Results.Workdays ?? 0,
    };

    public static EntryGroup Add(EntryGroup a, EntryGroup b, int sign = 1) => a with
    {
        Count = a.Count + sign * b.Count,
        HouseholdsReached = a.HouseholdsReached + sign * b.HouseholdsReached,
        PeopleReached = a.PeopleReached + sign * b.PeopleReached,
        MoneyMobilizedVnd = a.MoneyMobilizedVnd + sign * b.MoneyMobilizedVnd,
        LandDonatedM2 = a.LandDonatedM2 + sign * b.LandDonatedM2,
        Workdays = a.Workdays + sign * b.Workdays,
    };

    public static bool InScope(EntryGroup g, ReportScope scope) =>
        g.Year == scope.Year &&
        (scope.IncludeSubunits ? g.UnitLineage.Any(scope.UnitIds.Contains) : scope.UnitIds.Contains(g.UnitId)) &&
        (g.Status != EntryStatus.Draft || scope.Visibility.AllDrafts ||
         (scope.Visibility.DraftUnitScope is { } s && g.UnitLineage.Contains(s)));

    /// <summary>The reference aggregation: what every store must return for these entries.</summary>
    public static IReadOnlyList<EntryGroup> GroupInMemory(IEnumerable<Entry> entries, ReportScope scope) =>
        Canonical(entries.Select(GroupOf).Where(g => InScope(g, scope))
            .GroupBy(g => g.Key).Select(x => x.Aggregate((a, b) => Add(a, b))));

    /// <summary>Rows in key order: how the contract tests compare stores.</summary>
    public static IReadOnlyList<EntryGroup> Canonical(IEnumerable<EntryGroup> groups) =>
        groups.Where(g => g.Count > 0).OrderBy(g => g.Key, StringComparer.Ordinal).ToList();

    public static ReportEntryKind KindOf(EntryKind kind, ExemplarType? type) =>
        kind == EntryKind.Model ? ReportEntryKind.Model
        : type == ExemplarType.Individual ? ReportEntryKind.IndividualExemplar
        : ReportEntryKind.CollectiveExemplar;

    public static AnnualReport Build(ReportInput input)
    {
        var rootId = input.Unit.Id;
        var groups = new List<(EntryGroup G, string Child)>();
        foreach (var g in input.Groups)
            if (input.Attribute(g.UnitId) is { } child) groups.Add((g, child));
        var all = groups.Select(x => x.G).ToList();

        var fieldCounts = all.GroupBy(g => g.FieldId).ToDictionary(x => x.Key, x => x.Sum(g => g.Count));
        var fields = input.FieldOrder.Concat(fieldCounts.Keys.Where(k => !input.FieldOrder.Contains(k)).Order(StringComparer.Ordinal))
            .Select(f => new Tally<string>(f, fieldCounts.GetValueOrDefault(f))).ToList();

        var end = new DateOnly(input.Year, 12, 31);
        var start = new DateOnly(input.Year, 1, 1);
        var reps = input.Replications.Where(r => input.Attribute(r.AdoptingUnitId) is not null).ToList();
        var ongoing = reps.Where(r => r.PlannedOn <= end && (r.DiscontinuedOn is null || r.DiscontinuedOn >= start)).ToList();
        var replications = new ReplicationSection(
            Planned: reps.Count(r => r.PlannedOn.Year == input.Year),
            Started: reps.Count(r => r.StartedOn?.Year == input.Year),
            Sustained: reps.Count(r => r.SustainedOn?.Year == input.Year),
            Discontinued: reps.Count(r => r.DiscontinuedOn?.Year == input.Year),
            ActiveAtYearEnd: reps.Count(r => r.PlannedOn <= end && (r.DiscontinuedOn is null || r.DiscontinuedOn > end)),
            PeopleReached: ongoing.Sum(r => r.Outcome.PeopleReached ?? 0),
            HouseholdsReached: ongoing.Sum(r => r.Outcome.HouseholdsReached ?? 0),
            MoneyMobilizedVnd: ongoing.Sum(r => r.Outcome.MoneyMobilizedVnd ?? 0));

        RecognitionSection recognitions;
        if (input.Recognitions is { } tallies)
        {
            recognitions = new RecognitionSection(RecognitionStore,
                Enum.GetValues<EntryLevel>().Select(l => new Tally<EntryLevel>(l, tallies.Where(t => t.Level == l).Sum(t => t.Count))).ToList(),
                tallies.GroupBy(t => t.Form).OrderBy(x => x.Key, StringComparer.Ordinal).Select(x => new Tally<string>(x.Key, x.Sum(t => t.Count))).ToList(),
                tallies.Sum(t => t.Count));
        }
        else
        {
            var recognized = all.Where(g => g.Status == EntryStatus.Recognized).ToList();
            recognitions = new RecognitionSection(RecognitionFallback,
                Tallies(recognized, g => g.Level), [], recognized.Sum(g => g.Count));
        }

        var startedByChild = reps.Where(r => r.StartedOn?.Year == input.Year)
            .GroupBy(r => input.Attribute(r.AdoptingUnitId)!).ToDictionary(x => x.Key, x => x.Count());
        var children = groups.GroupBy(x => x.Child).Select(x => Row(x.Key, x.Key == rootId, x.Select(y => y.G).ToList(),
                startedByChild.GetValueOrDefault(x.Key)))
            .Concat(startedByChild.Keys.Where(k => groups.All(x => x.Child != k))
                .Select(k => Row(k, k == rootId, [], startedByChild[k])))
            .OrderBy(r => r.IsSelf ? 0 : 1).ThenBy(r => r.UnitId, StringComparer.Ordinal)
            .ToList();

        return new AnnualReport
        {
            Unit = input.Unit,
            Year = input.Year,
            IncludeSubunits = input.IncludeSubunits,
            AsOf = input.AsOf,
            TotalEntries = all.Sum(g => g.Count),
            ByField = fields,
            ByKind = Tallies(all, g => KindOf(g.Kind, g.ExemplarType)),
            ByLevel = Tallies(all, g => g.Level),
            ByStatus = Tallies(all, g => g.Status),
            ByNovelty = Tallies(all, g => g.Novelty),
            Results = new ResultTotals(all.Sum(g => g.HouseholdsReached), all.Sum(g => g.PeopleReached),
                all.Sum(g => g.MoneyMobilizedVnd), all.Sum(g => g.LandDonatedM2), all.Sum(g => g.Workdays)),
            Recognitions = recognitions,
            Replications = replications,
            TopReplicated = input.TopReplicated,
            Children = children,
        };
    }

    private static List<Tally<T>> Tallies<T>(IReadOnlyList<EntryGroup> groups, Func<EntryGroup, T> key) where T : struct, Enum =>
        Enum.GetValues<T>().Select(v => new Tally<T>(v, groups.Where(g => key(g).Equals(v)).Sum(g => g.Count))).ToList();

    private static ReportRow Row(string unitId, bool self, IReadOnlyList<EntryGroup> g, int started)
    {
        long Count(Func<EntryGroup, bool> p) => g.Where(p).Sum(x => x.Count);
        return new ReportRow
        {
            UnitId = unitId,
            IsSelf = self,
            Entries = Count(_ => true),
            Models = Count(x => x.Kind == EntryKind.Model),
            CollectiveExemplars = Count(x => KindOf(x.Kind, x.ExemplarType) == ReportEntryKind.CollectiveExemplar),
            IndividualExemplars = Count(x => KindOf(x.Kind, x.ExemplarType) == ReportEntryKind.IndividualExemplar),
            Drafts = Count(x => x.Status == EntryStatus.Draft),
            Registered = Count(x => x.Status == EntryStatus.Registered),
            Recognized = Count(x => x.Status == EntryStatus.Recognized),
            Discontinued = Count(x => x.Status == EntryStatus.Discontinued),
            New = Count(x => x.Novelty == EntryNovelty.New),
            Continuing = Count(x => x.Novelty == EntryNovelty.Continuing),
            Replicated = Count(x => x.Novelty == EntryNovelty.Replicated),
            HouseholdsReached = g.Sum(x => x.HouseholdsReached),
            PeopleReached = g.Sum(x => x.PeopleReached),
            MoneyMobilizedVnd = g.Sum(x => x.MoneyMobilizedVnd),
            ReplicationsStarted = started,
        };
    }
}
