using System.Collections.Frozen;
using System.Collections.Immutable;
using DanVanKheo.Api.Entries;
using DanVanKheo.Api.Fields;
using DanVanKheo.Api.Councils;
using DanVanKheo.Api.Replications;
using DanVanKheo.Api.Rounds;
using DanVanKheo.Api.Units;

namespace DanVanKheo.Seed.Generation;

/// <summary>
/// The store ports a run writes through: the same ones the API uses. Without the council, round
/// and replication stores (tests that keep entries in memory) only units, fields and entries are generated.
/// </summary>
public sealed record SeedStores(IUnitStore Units, IFieldStore Fields, IEntryStore Entries,
    ICouncilStore? Councils = null, IRoundStore? Rounds = null, IReplicationStore? Replications = null);

/// <summary>What the stages of one run share.</summary>
internal sealed class SeedContext(SeedOptions options, SeedStores stores, SeedData data, SeedSummary summary)
{
    public SeedOptions Options { get; } = options;
    public SeedStores Stores { get; } = stores;
    public SeedData Data { get; } = data;
    public SeedSummary Summary { get; } = summary;
    public UnitCatalog? Units { get; set; }
    public IReadOnlyList<Field> Fields { get; set; } = [];
    /// <summary>Councils and rounds to run, with the candidates the entry stage offers them.</summary>
    public RecognitionPlan? Plan { get; set; }
    /// <summary>Entries the entry stage created as replications of an earlier model.</summary>
    public List<ReplicationSeed> Replicated { get; set; } = [];
    /// <summary>Model-unit pairs already adopted (one active replication per pair).</summary>
    public HashSet<string> AdoptedPairs { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>
/// One aggregate's part of a run. Stages run in order and each draws from its own random stream
/// (<see cref="SeedRandom.For"/>), so rounds, councils, nominations and replications can be added
/// as further stages after <see cref="EntryStage"/> without changing the units and entries a seed yields.
/// </summary>
internal interface ISeedStage
{
    string Name { get; }
    Task RunAsync(SeedContext context, IProgress<SeedProgress>? progress, CancellationToken ct);
}

internal sealed class FieldStage : ISeedStage
{
    public string Name => "Fields";

    public async Task RunAsync(SeedContext context, IProgress<SeedProgress>? progress, CancellationToken ct)
    {
        await context.Stores.Fields.EnsureStandardAsync(ct);
        context.Fields = await context.Stores.Fields.ListAsync(ct);
        context.Summary.Fields = context.Fields.Count;
    }
}

internal sealed class UnitStage : ISeedStage
{
    public string Name => "Units";

    public async Task RunAsync(SeedContext context, IProgress<SeedProgress>? progress, CancellationToken ct)
    {
        var catalog = UnitCatalog.Build(context.Data, context.Options.Scale, SeedRandom.For(context.Options.Seed, Name));
        var total = catalog.Units.Count;
        progress?.Report(new SeedProgress(Name, 0, total));

        var inserted = 0;
        if (await context.Stores.Units.CountAsync(ct) > 0 && await AdoptStoredAsync(context.Stores.Units, catalog, ct))
            progress?.Report(new SeedProgress(Name, total, total));
        else
        {
            await context.Stores.Units.InsertManyAsync([.. catalog.Units.Select(u => u.Unit)], ct);
            inserted = total;
            progress?.Report(new SeedProgress(Name, total, total));
        }
        catalog.Seal();
        context.Units = catalog;
        context.Summary.UnitsInCatalog = total;
        context.Summary.UnitsInserted = inserted;
    }

    /// <summary>
    /// On an append the dataset's units are usually there already: entries then go to the stored
    /// units. Returns false when none of them is stored (they are inserted next to what is there).
    /// </summary>
    private static async Task<bool> AdoptStoredAsync(IUnitStore store, UnitCatalog catalog, CancellationToken ct)
    {
        var stored = new Dictionary<string, Unit>(StringComparer.Ordinal);
        foreach (var u in catalog.Units)
            if (await store.GetByCodeAsync(u.Unit.Code, ct) is { } s) stored[u.Unit.Code] = s;
        if (stored.Count == 0) return false;
        if (stored.Count < catalog.Units.Count)
            throw new SeedException(
                $"The store holds {stored.Count:N0} of the {catalog.Units.Count:N0} units of this dataset, not all of them: " +
                "it was seeded at another scale or from other data. Reset it, or append at the scale it was seeded with.");
        foreach (var u in catalog.Units) u.Unit = stored[u.Unit.Code];
        return true;
    }
}

internal sealed class EntryStage : ISeedStage
{
    /// <summary>Share of registrations per year: the movement grows, and 2026 is only half over.</summary>
    internal static readonly ImmutableArray<(int Year, double Share)> YearShares =
        [(2021, 0.13), (2022, 0.15), (2023, 0.17), (2024, 0.19), (2025, 0.20), (2026, 0.16)];

    public string Name => "Entries";

    public async Task RunAsync(SeedContext context, IProgress<SeedProgress>? progress, CancellationToken ct)
    {
        var catalog = context.Units ?? throw new InvalidOperationException("Units are seeded before entries.");
        var total = context.Options.Entries;
        var store = context.Stores.Entries;
        // Salted with what is already stored so that appending with the same seed adds new ids.
        var existing = await store.CountAsync(ct);
        var random = SeedRandom.For(context.Options.Seed, Name, existing);
        var factory = new EntryFactory(catalog, context.Fields, context.Data.Templates, random, SeedGenerator.AsOfMoment);
        var plan = context.Plan = context.Stores.Rounds is null ? null
            : RecognitionPlan.Build(catalog, context.Options, context.Data.Templates, SeedRandom.For(context.Options.Seed, "Plan", existing));
        var summary = context.Summary;
        var fieldNames = context.Fields.ToDictionary(f => f.Id, f => f.Name, StringComparer.Ordinal);
        var batch = new List<Entry>(Math.Min(context.Options.BatchSize, Math.Max(total, 1)));
        long done = 0;
        progress?.Report(new SeedProgress(Name, 0, total));

        var counts = Apportion(total, YearShares.Select(y => y.Share).ToArray());
        for (var y = 0; y < YearShares.Length; y++)
        {
            var year = YearShares[y].Year;
            var n = counts[y];
            var start = new DateTime(year, 1, 1, 0, 0, 0, DateTimeKind.Utc);
            var end = year == SeedGenerator.AsOf.Year ? SeedGenerator.AsOf.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc)
                : start.AddYears(1).AddDays(-1);
            var span = (end - start).TotalDays;
            for (var offset = 0; offset < n; offset += batch.Capacity)
            {
                ct.ThrowIfCancellationRequested();
                var size = Math.Min(batch.Capacity, n - offset);
                // Only registered entries take codes, so exactly their count is reserved: codes stay contiguous.
                var staysDraft = new bool[size];
                var registered = 0;
                for (var i = 0; i < size; i++)
                    if (!(staysDraft[i] = factory.StaysDraft(year))) registered++;
                var next = registered == 0 ? 0 : await store.ReserveSequenceAsync(year, registered, ct);
                for (var i = 0; i < size; i++)
                {
                    // Stratified and monotone in i, so codes follow registration dates; front-loaded
                    // because units register at the start of the year.
                    var position = (offset + i + random.Double()) / n;
                    var day = start.AddDays(Math.Floor(span * (1 - Math.Pow(1 - position, 1.5))));
                    var at = day.AddSeconds(3_600 + random.Number(0, 9 * 3_600 - 1)).AddMilliseconds(random.Number(0, 999));
                    var entry = factory.Create(year, staysDraft[i] ? null : next++, at);
                    batch.Add(entry);
                    plan?.Offer(entry);
                    Count(summary, entry, fieldNames);
                }
                await store.InsertManyAsync(batch, ct);
                done += batch.Count;
                summary.EntriesInserted = done;
                batch.Clear();
                progress?.Report(new SeedProgress(Name, done, total));
            }
        }
        context.Replicated = factory.Replicated;
        context.AdoptedPairs = factory.AdoptedPairs;
    }

    private static void Count(SeedSummary summary, Entry e, Dictionary<string, string> fieldNames)
    {
        Increment(summary.EntriesByYear, e.Year);
        Increment(summary.EntriesByStatus, e.Status.ToString().ToUpperInvariant());
        Increment(summary.EntriesByKind, e.ExemplarType is { } t
            ? "EXEMPLAR " + t.ToString().ToUpperInvariant()
            : e.Kind.ToString().ToUpperInvariant());
        Increment(summary.EntriesByField, fieldNames[e.FieldId]);
    }

    internal static void Increment<TKey>(SortedDictionary<TKey, long> counts, TKey key) where TKey : notnull =>
        counts[key] = counts.GetValueOrDefault(key) + 1;

    /// <summary>Largest-remainder split of <paramref name="total"/> by <paramref name="shares"/>: sums exactly.</summary>
    internal static int[] Apportion(int total, double[] shares)
    {
        var sum = shares.Sum();
        var exact = shares.Select(s => total * s / sum).ToArray();
        var counts = exact.Select(x => (int)Math.Floor(x)).ToArray();
        var left = total - counts.Sum();
        foreach (var i in Enumerable.Range(0, shares.Length).OrderByDescending(i => exact[i] - counts[i]).ThenBy(i => i).Take(left))
            counts[i]++;
        return counts;
    }
}
