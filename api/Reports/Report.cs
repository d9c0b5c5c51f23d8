using DanVanKheo.Api.Entries;
using DanVanKheo.Api.Replications;
using DanVanKheo.Api.Units;

namespace DanVanKheo.Api.Reports;

/// <summary>Which entries a report reads: one year, filed under (or owned by) any of <see cref="UnitIds"/>.</summary>
public sealed record ReportScope(IReadOnlyList<string> UnitIds, bool IncludeSubunits, int Year, EntryVisibility Visibility);

/// <summary>
/// Entries that share every dimension a report breaks down by, counted and summed: what the
/// MongoDB pipeline groups by, and one entry's contribution in the LiteDB summary.
/// </summary>
public sealed record EntryGroup
{
    public int Year { get; init; }
    public string UnitId { get; init; } = "";
    public IReadOnlyList<string> UnitLineage { get; init; } = [];
    public string FieldId { get; init; } = "";
    public EntryKind Kind { get; init; }
    public ExemplarType? ExemplarType { get; init; }
    public EntryLevel Level { get; init; }
    public EntryStatus Status { get; init; }
    public EntryNovelty Novelty { get; init; }
    public long Count { get; init; }
    public long HouseholdsReached { get; init; }
    public long PeopleReached { get; init; }
    public long MoneyMobilizedVnd { get; init; }
    public double LandDonatedM2 { get; init; }
    public long Workdays { get; init; }

    public string Key => ReportRules.GroupKey(Year, UnitId, UnitLineage, FieldId, Kind, ExemplarType, Level, Status, Novelty);
}

/// <summary>
/// What a report reads per (year, unit, lineage as registered, drafts or not): counts and sums,
/// and one-way tallies by field, kind, level, status and novelty (plus recognized entries by
/// level). Every report section is a sum of these, so a province is a few thousand rows however
/// many entries it has. Tally keys are field ids and enum names.
/// </summary>
public sealed class UnitSummary
{
    public int Year { get; init; }
    public string UnitId { get; init; } = "";
    public IReadOnlyList<string> UnitLineage { get; init; } = [];
    /// <summary>True for the row counting the unit's drafts, false for its other entries.</summary>
    public bool Drafts { get; init; }
    public long Count { get; set; }
    public long HouseholdsReached { get; set; }
    public long PeopleReached { get; set; }
    public long MoneyMobilizedVnd { get; set; }
    public double LandDonatedM2 { get; set; }
    public long Workdays { get; set; }
    public SortedDictionary<string, long> ByField { get; init; } = new(StringComparer.Ordinal);
    public SortedDictionary<string, long> ByKind { get; init; } = new(StringComparer.Ordinal);
    public SortedDictionary<string, long> ByLevel { get; init; } = new(StringComparer.Ordinal);
    public SortedDictionary<string, long> ByStatus { get; init; } = new(StringComparer.Ordinal);
    public SortedDictionary<string, long> ByNovelty { get; init; } = new(StringComparer.Ordinal);
    public SortedDictionary<string, long> RecognizedByLevel { get; init; } = new(StringComparer.Ordinal);

    public string Key => KeyOf(Year, UnitId, UnitLineage, Drafts);

    public static string KeyOf(int year, string unitId, IReadOnlyList<string> lineage, bool drafts) =>
        string.Join('|', year, unitId, string.Join(',', lineage), drafts ? "D" : "P");

    public static UnitSummary EmptyFor(EntryGroup g) => new()
    {
        Year = g.Year, UnitId = g.UnitId, UnitLineage = g.UnitLineage, Drafts = g.Status == EntryStatus.Draft,
    };

    /// <summary>Adds (sign 1) or takes out (sign −1) a group of entries.</summary>
    public void Add(EntryGroup g, int sign = 1)
    {
        var n = sign * g.Count;
        Count += n;
        HouseholdsReached += sign * g.HouseholdsReached;
        PeopleReached += sign * g.PeopleReached;
        MoneyMobilizedVnd += sign * g.MoneyMobilizedVnd;
        LandDonatedM2 += sign * g.LandDonatedM2;
        Workdays += sign * g.Workdays;
        Bump(ByField, g.FieldId, n);
        Bump(ByKind, ReportRules.KindOf(g.Kind, g.ExemplarType).ToString(), n);
        Bump(ByLevel, g.Level.ToString(), n);
        Bump(ByStatus, g.Status.ToString(), n);
        Bump(ByNovelty, g.Novelty.ToString(), n);
        if (g.Status == EntryStatus.Recognized) Bump(RecognizedByLevel, g.Level.ToString(), n);
    }

    /// <summary>Adds another summary of the same key.</summary>
    public void Add(UnitSummary other)
    {
        Count += other.Count;
        HouseholdsReached += other.HouseholdsReached;
        PeopleReached += other.PeopleReached;
        MoneyMobilizedVnd += other.MoneyMobilizedVnd;
        LandDonatedM2 += other.LandDonatedM2;
        Workdays += other.Workdays;
        foreach (var (mine, theirs) in new[] { (ByField, other.ByField), (ByKind, other.ByKind), (ByLevel, other.ByLevel),
                     (ByStatus, other.ByStatus), (ByNovelty, other.ByNovelty), (RecognizedByLevel, other.RecognizedByLevel) })
            foreach (var (k, v) in theirs) Bump(mine, k, v);
    }

    private static void Bump(SortedDictionary<string, long> tally, string key, long n)
    {
        var v = tally.GetValueOrDefault(key) + n;
        if (v == 0) tally.Remove(key);
        else tally[key] = v;
    }

    public long Of<T>(SortedDictionary<string, long> tally, T key) where T : struct, Enum => tally.GetValueOrDefault(key.ToString());

    /// <summary>Everything in one line, for comparing stores.</summary>
    public override string ToString()
    {
        static string T(SortedDictionary<string, long> d) => string.Join(",", d.Select(x => $"{x.Key}={x.Value}"));
        return $"{Key}: {Count} {HouseholdsReached} {PeopleReached} {MoneyMobilizedVnd} {LandDonatedM2} {Workdays} " +
               $"[{T(ByField)}] [{T(ByKind)}] [{T(ByLevel)}] [{T(ByStatus)}] [{T(ByNovelty)}] [{T(RecognizedByLevel)}]";
    }
}

/// <summary>Storage port for the report's entry aggregation.</summary>
public interface IReportStore
{
    /// <summary>The summaries in scope (visibility applied), in key order.</summary>
    Task<IReadOnlyList<UnitSummary>> SummarizeAsync(ReportScope scope, CancellationToken ct = default);
}

public sealed record RecognitionTally(EntryLevel Level, string Form, long Count);

/// <summary>Model, collective exemplar or individual exemplar: the kinds a report counts.</summary>
public enum ReportEntryKind
{
    Model,
    CollectiveExemplar,
    IndividualExemplar,
}

public sealed record Tally<T>(T Key, long Count);

public sealed record ResultTotals(long HouseholdsReached, long PeopleReached, long MoneyMobilizedVnd, double LandDonatedM2, long Workdays);

public sealed record RecognitionSection(string Source, IReadOnlyList<Tally<EntryLevel>> ByLevel, IReadOnlyList<Tally<string>> ByForm, long Total);

public sealed record ReplicationSection(
    int Planned, int Started, int Sustained, int Discontinued, int ActiveAtYearEnd,
    long PeopleReached, long HouseholdsReached, long MoneyMobilizedVnd);

/// <summary>One line of the roll-up: a child unit (or the unit itself for its own entries).</summary>
public sealed record ReportRow
{
    public string UnitId { get; init; } = "";
    public bool IsSelf { get; init; }
    public long Entries { get; init; }
    public long Models { get; init; }
    public long CollectiveExemplars { get; init; }
    public long IndividualExemplars { get; init; }
    public long Drafts { get; init; }
    public long Registered { get; init; }
    public long Recognized { get; init; }
    public long Discontinued { get; init; }
    public long New { get; init; }
    public long Continuing { get; init; }
    public long Replicated { get; init; }
    public long HouseholdsReached { get; init; }
    public long PeopleReached { get; init; }
    public long MoneyMobilizedVnd { get; init; }
    public int ReplicationsStarted { get; init; }
}

/// <summary>The annual report (báo cáo kết quả) for a unit and a year.</summary>
public sealed record AnnualReport
{
    public required Unit Unit { get; init; }
    public int Year { get; init; }
    public bool IncludeSubunits { get; init; }
    public DateOnly? AsOf { get; init; }
    public long TotalEntries { get; init; }
    public IReadOnlyList<Tally<string>> ByField { get; init; } = [];
    public IReadOnlyList<Tally<ReportEntryKind>> ByKind { get; init; } = [];
    public IReadOnlyList<Tally<EntryLevel>> ByLevel { get; init; } = [];
    public IReadOnlyList<Tally<EntryStatus>> ByStatus { get; init; } = [];
    public IReadOnlyList<Tally<EntryNovelty>> ByNovelty { get; init; } = [];
    public ResultTotals Results { get; init; } = new(0, 0, 0, 0, 0);
    public RecognitionSection Recognitions { get; init; } = new(ReportRules.RecognitionStore, [], [], 0);
    public ReplicationSection Replications { get; init; } = new(0, 0, 0, 0, 0, 0, 0, 0);
    public IReadOnlyList<LeaderboardRow> TopReplicated { get; init; } = [];
    public IReadOnlyList<ReportRow> Children { get; init; } = [];
}
