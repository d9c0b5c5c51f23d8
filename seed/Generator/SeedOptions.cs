namespace DanVanKheo.Seed.Generation;

public enum SeedScale
{
    /// <summary>Kiên Giang before and after the 1/7/2025 merger into the new An Giang.</summary>
    Province,

    /// <summary>The province dataset plus the other 33 provinces with generated communes.</summary>
    National,
}

public sealed record SeedOptions
{
    public const int MaxEntries = 5_000_000;

    public int Seed { get; init; } = 42;
    public int Entries { get; init; } = 300;
    public SeedScale Scale { get; init; } = SeedScale.Province;

    /// <summary>Entries per <c>InsertManyAsync</c> call: the only entries held in memory at once.</summary>
    public int BatchSize { get; init; } = 5_000;

    /// <summary>
    /// Only the province's council and its rounds of the last two years (no district councils):
    /// a couple of rounds for the demo dataset rather than one per council and year since 2021.
    /// </summary>
    public bool CompactRounds { get; init; }

    /// <summary>The small dataset an empty embedded store gets on first start.</summary>
    public static SeedOptions Demo { get; } = new() { Seed = 42, Entries = 300, Scale = SeedScale.Province, CompactRounds = true };

    public static int DefaultEntries(SeedScale scale) => scale == SeedScale.National ? 1_000_000 : 200_000;

    internal void Validate()
    {
        if (Entries is < 0 or > MaxEntries)
            throw new SeedException($"The number of entries must be between 0 and {MaxEntries:N0}.");
        if (BatchSize is < 1 or > 50_000)
            throw new SeedException("The batch size must be between 1 and 50,000.");
    }
}

/// <summary>Work done so far in one stage of a run.</summary>
public sealed record SeedProgress(string Stage, long Done, long Total);

/// <summary>A run cannot proceed: the message is meant for the operator.</summary>
public sealed class SeedException(string message) : Exception(message);

public sealed class SeedSummary
{
    public int Seed { get; init; }
    public SeedScale Scale { get; init; }
    public int UnitsInCatalog { get; set; }
    public int UnitsInserted { get; set; }
    public int Fields { get; set; }
    public long EntriesInserted { get; set; }
    public SortedDictionary<int, long> EntriesByYear { get; } = [];
    public SortedDictionary<string, long> EntriesByStatus { get; } = new(StringComparer.Ordinal);
    public SortedDictionary<string, long> EntriesByKind { get; } = new(StringComparer.Ordinal);
    public SortedDictionary<string, long> EntriesByField { get; } = new(StringComparer.Ordinal);
    public int Councils { get; set; }
    public int CouncilMembers { get; set; }
    public int Rounds { get; set; }
    public SortedDictionary<string, long> RoundsByStatus { get; } = new(StringComparer.Ordinal);
    public long Nominations { get; set; }
    /// <summary>Ballot writes: first ballots, changed ballots and recusals.</summary>
    public long Ballots { get; set; }
    public long Recognitions { get; set; }
    public long Replications { get; set; }
    public SortedDictionary<string, long> ReplicationsByStatus { get; } = new(StringComparer.Ordinal);
    public SortedDictionary<int, long> ReplicationsByGeneration { get; } = [];
    /// <summary>Adoptions of the most adopted model.</summary>
    public long TopModelAdoptions { get; set; }
    public TimeSpan Elapsed { get; set; }

    public override string ToString() =>
        $"seed {Seed}, {Scale.ToString().ToLowerInvariant()} scale: {UnitsInserted} units inserted ({UnitsInCatalog} in catalog), {EntriesInserted} entries, " +
        $"{Councils} councils, {Rounds} rounds, {Nominations} nominations, {Ballots} ballots, {Recognitions} recognitions, {Replications} replications";
}
