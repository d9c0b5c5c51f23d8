using DanVanKheo.Api.Entries;
using DanVanKheo.Api.Seeding;
using DanVanKheo.Seed;
using DanVanKheo.Seed.Generation;

namespace DanVanKheo.Tests.Seed;

public sealed class SeedDeterminismTests
{
    private static async Task<SeedSummary> SeedAsync(TempLiteDb db, SeedOptions options)
    {
        await using var services = SeedCli.BuildServices(db.Target);
        return await new SeedGenerator(options).RunAsync(services);
    }

    [Fact]
    public async Task Same_seed_gives_byte_identical_stores()
    {
        var options = new SeedOptions { Seed = 7, Entries = 1_200, BatchSize = 500 };
        using var a = new TempLiteDb();
        using var b = new TempLiteDb();
        using var c = new TempLiteDb();

        await SeedAsync(a, options);
        await SeedAsync(b, options);
        await SeedAsync(c, options with { Seed = 8 });

        var exportA = a.Export();
        Assert.Contains("DVK-2021-000001", exportA, StringComparison.Ordinal);
        foreach (var collection in new[] { "councils", "rounds", "nominations", "ballots", "ballot_history", "tallies", "recognitions", "replications" })
            Assert.Contains("## " + collection + "\n{", exportA, StringComparison.Ordinal);
        Assert.Equal(exportA, b.Export());
        Assert.NotEqual(exportA, c.Export());
    }

    [Fact]
    public async Task Appending_with_the_same_seed_reuses_the_units_and_adds_new_codes_and_ids()
    {
        using var db = new TempLiteDb();
        var options = new SeedOptions { Seed = 3, Entries = 200 };
        var first = await SeedAsync(db, options);
        var second = await SeedAsync(db, options);

        Assert.Equal(first.UnitsInCatalog, first.UnitsInserted);
        Assert.Equal(0, second.UnitsInserted);
        await using var services = SeedCli.BuildServices(db.Target);
        var store = (IEntryStore)services.GetService(typeof(IEntryStore))!;
        Assert.Equal(400, await store.CountAsync());
    }

    [Fact]
    public async Task Demo_data_loads_the_small_province_dataset()
    {
        using var db = new TempLiteDb();
        await using var services = SeedCli.BuildServices(db.Target);

        var text = await DemoData.LoadAsync(services, CancellationToken.None);

        Assert.Contains("300 entries", text, StringComparison.Ordinal);
        Assert.Matches(@" [2-4] rounds, ", text);
        Assert.Matches(@" [1-7][0-9] replications", text);
        Assert.Equal(300, await ((IEntryStore)services.GetService(typeof(IEntryStore))!).CountAsync());
    }
}
