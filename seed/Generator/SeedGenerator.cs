using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Diagnostics;
using DanVanKheo.Api.Councils;
using DanVanKheo.Api.Entries;
using DanVanKheo.Api.Replications;
using DanVanKheo.Api.Rounds;
using DanVanKheo.Api.Fields;
using DanVanKheo.Api.Units;
using Microsoft.Extensions.DependencyInjection;

namespace DanVanKheo.Seed.Generation;

/// <summary>
/// Fills a store with a realistic, deterministic dataset through the API's own ports and domain
/// rules: the same seed gives the same documents, byte for byte, in any store.
/// </summary>
public sealed class SeedGenerator(SeedOptions options)
{
    /// <summary>The dataset's "today": nothing in it happens later, whatever the wall clock says.</summary>
    public static DateOnly AsOf { get; } = new(2026, 6, 30);

    internal static DateTime AsOfMoment { get; } = AsOf.ToDateTime(new TimeOnly(10, 0), DateTimeKind.Utc);

    /// <summary>In run order: councils, rounds and replications after the entries they are about.</summary>
    private static readonly ImmutableArray<ISeedStage> Stages =
        [new FieldStage(), new UnitStage(), new EntryStage(), new RoundStage(), new ReplicationStage()];

    public SeedOptions Options { get; } = options;

    public Task<SeedSummary> RunAsync(IServiceProvider services, IProgress<SeedProgress>? progress = null, CancellationToken ct = default) =>
        RunAsync(new SeedStores(
            services.GetRequiredService<IUnitStore>(),
            services.GetRequiredService<IFieldStore>(),
            services.GetRequiredService<IEntryStore>(),
            services.GetService<ICouncilStore>(),
            services.GetService<IRoundStore>(),
            services.GetService<IReplicationStore>()), progress, ct);

    public async Task<SeedSummary> RunAsync(SeedStores stores, IProgress<SeedProgress>? progress = null, CancellationToken ct = default)
    {
        Options.Validate();
        var clock = Stopwatch.StartNew();
        var summary = new SeedSummary { Seed = Options.Seed, Scale = Options.Scale };
        var context = new SeedContext(Options, stores, SeedData.Load(), summary);
        foreach (var stage in Stages)
        {
            ct.ThrowIfCancellationRequested();
            await stage.RunAsync(context, progress, ct);
        }
        summary.Elapsed = clock.Elapsed;
        return summary;
    }
}
