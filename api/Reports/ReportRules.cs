using DanVanKheo.Api.Common;
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
    public IReadOnlyList<UnitSummary> Summaries { get; init; } = [];
    /// <summary>Field ids in display order.</summary>
    public IReadOnlyList<string> FieldOrder { get; init; } = [];
    /// <summary>
    /// Where a unit's records count: the child of the report's unit they roll up into, the unit
    /// itself for its own records, or null when they fall outside the report.
    /// </summary>
    public required Func<string, string?> Attribute { get; init; }
    /// <summary>The replications in scope, tallied per child (the key <see cref="Attribute"/> gave their adopting unit).</summary>
    public IReadOnlyDictionary<string, ReplicationTally> ReplicationsByChild { get; init; } = new Dictionary<string, ReplicationTally>();
    public IReadOnlyList<LeaderboardRow> TopReplicated { get; init; } = [];
    /// <summary>The recognition records in scope, by issuing level and form.</summary>
    public IReadOnlyList<RecognitionTally> Recognitions { get; init; } = [];
}

/// <summary>Report arithmetic, free of storage and GraphQL.</summary>
public static class ReportRules
{
    public const string RecognitionStore = "RECOGNITIONS";
    public const int MinYear = 2000, MaxYear = 2100;

    /// <summary>The years a report can be asked for; anything else is refused with BAD_USER_INPUT on <c>year</c>.</summary>
    public static int CheckYear(int year) =>
        year is < MinYear or > MaxYear
            ? throw new DomainException(ErrorCodes.InvalidInput, new(Messages.ReportYearOutOfRange, MinYear, MaxYear), "year")
            : year;

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

    public static bool InScope(int year, string unitId, IReadOnlyList<string> lineage, bool draft, ReportScope scope) =>
        year == scope.Year &&
        (scope.IncludeSubunits ? lineage.Any(scope.UnitIds.Contains) : scope.UnitIds.Contains(unitId)) &&
        (!draft || scope.Visibility.AllDrafts || (scope.Visibility.DraftUnitScope is { } s && lineage.Contains(s)));

    public static bool InScope(UnitSummary u, ReportScope scope) => InScope(u.Year, u.UnitId, u.UnitLineage, u.Drafts, scope);

    /// <summary>Folds groups into per-unit summaries, in key order.</summary>
    public static IReadOnlyList<UnitSummary> Summarize(IEnumerable<EntryGroup> groups)
    {
        var byKey = new Dictionary<string, UnitSummary>(StringComparer.Ordinal);
        foreach (var g in groups)
        {
            var key = UnitSummary.KeyOf(g.Year, g.UnitId, g.UnitLineage, g.Status == EntryStatus.Draft);
            if (!byKey.TryGetValue(key, out var summary)) byKey[key] = summary = UnitSummary.EmptyFor(g);
            summary.Add(g);
        }
        return Canonical(byKey.Values);
    }

    /// <summary>The reference aggregation: what every store must return for these entries.</summary>
    public static IReadOnlyList<UnitSummary> SummarizeInMemory(IEnumerable<Entry> entries, ReportScope scope) =>
        Summarize(entries.Select(GroupOf).Where(g => InScope(g.Year, g.UnitId, g.UnitLineage, g.Status == EntryStatus.Draft, scope)));

    /// <summary>Rows in key order: how the contract tests compare stores.</summary>
    public static IReadOnlyList<UnitSummary> Canonical(IEnumerable<UnitSummary> rows) =>
        rows.Where(u => u.Count > 0).OrderBy(u => u.Key, StringComparer.Ordinal).ToList();

    public static ReportEntryKind KindOf(EntryKind kind, ExemplarType? type) =>
        kind == EntryKind.Model ? ReportEntryKind.Model
        : type == ExemplarType.Individual ? ReportEntryKind.IndividualExemplar
        : ReportEntryKind.CollectiveExemplar;

    public static AnnualReport Build(ReportInput input)
    {
        var rootId = input.Unit.Id;
        var rows = new List<(UnitSummary S, string Child)>();
        foreach (var u in input.Summaries)
            if (input.Attribute(u.UnitId) is { } child) rows.Add((u, child));
        var total = new UnitSummary();
        foreach (var (u, _) in rows) total.Add(u);

        var fields = input.FieldOrder.Concat(total.ByField.Keys.Where(k => !input.FieldOrder.Contains(k)))
            .Select(f => new Tally<string>(f, total.ByField.GetValueOrDefault(f))).ToList();

        var reps = new ReplicationTally();
        foreach (var t in input.ReplicationsByChild.Values) reps.Add(t);
        var replications = new ReplicationSection(reps.Planned, reps.Started, reps.Sustained, reps.Discontinued, reps.ActiveAtYearEnd,
            reps.PeopleReached, reps.HouseholdsReached, reps.MoneyMobilizedVnd);

        var tallies = input.Recognitions;
        var recognitions = new RecognitionSection(RecognitionStore,
            Enum.GetValues<EntryLevel>().Select(l => new Tally<EntryLevel>(l, tallies.Where(t => t.Level == l).Sum(t => t.Count))).ToList(),
            tallies.GroupBy(t => t.Form).OrderBy(x => x.Key, StringComparer.Ordinal).Select(x => new Tally<string>(x.Key, x.Sum(t => t.Count))).ToList(),
            tallies.Sum(t => t.Count));

        var startedByChild = input.ReplicationsByChild.Where(x => x.Value.Started > 0).ToDictionary(x => x.Key, x => x.Value.Started);
        var children = rows.GroupBy(x => x.Child).Select(x => Row(x.Key, x.Key == rootId, x.Select(y => y.S).ToList(),
                startedByChild.GetValueOrDefault(x.Key)))
            .Concat(startedByChild.Keys.Where(k => rows.All(x => x.Child != k))
                .Select(k => Row(k, k == rootId, [], startedByChild[k])))
            .OrderBy(r => r.IsSelf ? 0 : 1).ThenBy(r => r.UnitId, StringComparer.Ordinal)
            .ToList();

        return new AnnualReport
        {
            Unit = input.Unit,
            Year = input.Year,
            IncludeSubunits = input.IncludeSubunits,
            AsOf = input.AsOf,
            TotalEntries = total.Count,
            ByField = fields,
            ByKind = Tallies<ReportEntryKind>(total.ByKind),
            ByLevel = Tallies<EntryLevel>(total.ByLevel),
            ByStatus = Tallies<EntryStatus>(total.ByStatus),
            ByNovelty = Tallies<EntryNovelty>(total.ByNovelty),
            Results = new ResultTotals(total.HouseholdsReached, total.PeopleReached, total.MoneyMobilizedVnd, total.LandDonatedM2, total.Workdays),
            Recognitions = recognitions,
            Replications = replications,
            TopReplicated = input.TopReplicated,
            Children = children,
        };
    }

    /// <summary>
    /// Tallies replications per child: <paramref name="attribute"/> places each adopting unit
    /// (null: outside the report). Called page by page, so the report never holds a subtree's replications.
    /// </summary>
    public static void TallyReplications(Dictionary<string, ReplicationTally> byChild, IEnumerable<Replication> page, int year,
        Func<Replication, string?> attribute)
    {
        foreach (var r in page)
        {
            if (attribute(r) is not { } child) continue;
            if (!byChild.TryGetValue(child, out var tally)) byChild[child] = tally = new ReplicationTally();
            tally.Add(r, year);
        }
    }

    private static List<Tally<T>> Tallies<T>(SortedDictionary<string, long> tally) where T : struct, Enum =>
        Enum.GetValues<T>().Select(v => new Tally<T>(v, tally.GetValueOrDefault(v.ToString()))).ToList();

    private static ReportRow Row(string unitId, bool self, IReadOnlyList<UnitSummary> parts, int started)
    {
        var u = new UnitSummary();
        foreach (var p in parts) u.Add(p);
        return new ReportRow
        {
            UnitId = unitId,
            IsSelf = self,
            Entries = u.Count,
            Models = u.Of(u.ByKind, ReportEntryKind.Model),
            CollectiveExemplars = u.Of(u.ByKind, ReportEntryKind.CollectiveExemplar),
            IndividualExemplars = u.Of(u.ByKind, ReportEntryKind.IndividualExemplar),
            Drafts = u.Of(u.ByStatus, EntryStatus.Draft),
            Registered = u.Of(u.ByStatus, EntryStatus.Registered),
            Recognized = u.Of(u.ByStatus, EntryStatus.Recognized),
            Discontinued = u.Of(u.ByStatus, EntryStatus.Discontinued),
            New = u.Of(u.ByNovelty, EntryNovelty.New),
            Continuing = u.Of(u.ByNovelty, EntryNovelty.Continuing),
            Replicated = u.Of(u.ByNovelty, EntryNovelty.Replicated),
            HouseholdsReached = u.HouseholdsReached,
            PeopleReached = u.PeopleReached,
            MoneyMobilizedVnd = u.MoneyMobilizedVnd,
            ReplicationsStarted = started,
        };
    }
}

/// <summary>What the report counts of a set of replications for one year; tallies add up.</summary>
public sealed class ReplicationTally
{
    public int Planned { get; private set; }
    public int Started { get; private set; }
    public int Sustained { get; private set; }
    public int Discontinued { get; private set; }
    public int ActiveAtYearEnd { get; private set; }
    /// <summary>Sums over the replications ongoing at some point of the year.</summary>
    public long PeopleReached { get; private set; }
    public long HouseholdsReached { get; private set; }
    public long MoneyMobilizedVnd { get; private set; }

    public void Add(Replication r, int year)
    {
        var start = new DateOnly(year, 1, 1);
        var end = new DateOnly(year, 12, 31);
        if (r.PlannedOn.Year == year) Planned++;
        if (r.StartedOn?.Year == year) Started++;
        if (r.SustainedOn?.Year == year) Sustained++;
        if (r.DiscontinuedOn?.Year == year) Discontinued++;
        if (r.PlannedOn <= end && (r.DiscontinuedOn is null || r.DiscontinuedOn > end)) ActiveAtYearEnd++;
        if (r.PlannedOn <= end && (r.DiscontinuedOn is null || r.DiscontinuedOn >= start))
        {
            PeopleReached += r.Outcome.PeopleReached ?? 0;
            HouseholdsReached += r.Outcome.HouseholdsReached ?? 0;
            MoneyMobilizedVnd += r.Outcome.MoneyMobilizedVnd ?? 0;
        }
    }

    public void Add(ReplicationTally other)
    {
        Planned += other.Planned;
        Started += other.Started;
        Sustained += other.Sustained;
        Discontinued += other.Discontinued;
        ActiveAtYearEnd += other.ActiveAtYearEnd;
        PeopleReached += other.PeopleReached;
        HouseholdsReached += other.HouseholdsReached;
        MoneyMobilizedVnd += other.MoneyMobilizedVnd;
    }
}
