using DanVanKheo.Api.Entries;
using DanVanKheo.Api.Replications;
using DanVanKheo.Api.Units;

namespace DanVanKheo.Api.Reports;

/// <summary>Which entries a report reads: one year, filed under (or owned by) any of <see cref="UnitIds"/>.</summary>
public sealed record ReportScope(IReadOnlyList<string> UnitIds, bool IncludeSubunits, int Year, EntryVisibility Visibility);

/// <summary>
/// Entries that share every dimension a report breaks down by, counted and summed. Both stores
/// compute these (MongoDB with an aggregation pipeline, LiteDB from a maintained summary) and
/// must return the same rows for the same data.
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

/// <summary>Storage port for the report's entry aggregation.</summary>
public interface IReportStore
{
    Task<IReadOnlyList<EntryGroup>> AggregateEntriesAsync(ReportScope scope, CancellationToken ct = default);
}

/// <summary>
/// Seam for the rounds feature: when a recognitions store exists it implements this and is
/// registered; until then the report falls back to counting RECOGNIZED entries by level.
/// </summary>
public interface IRecognitionReportSource
{
    Task<IReadOnlyList<RecognitionTally>> CountAsync(ReportScope scope, CancellationToken ct = default);
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
    public RecognitionSection Recognitions { get; init; } = new(ReportRules.RecognitionFallback, [], [], 0);
    public ReplicationSection Replications { get; init; } = new(0, 0, 0, 0, 0, 0, 0, 0);
    public IReadOnlyList<LeaderboardRow> TopReplicated { get; init; } = [];
    public IReadOnlyList<ReportRow> Children { get; init; } = [];
}
