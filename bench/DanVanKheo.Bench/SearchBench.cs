using System.Diagnostics;
using DanVanKheo.Api.Common;
using DanVanKheo.Api.Entries;
using DanVanKheo.Api.Fields;
using DanVanKheo.Api.Storage;
using DanVanKheo.Api.Units;
using DanVanKheo.Seed.Generation;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace DanVanKheo.Bench;

/// <summary>
/// Search latency on the embedded store at scale: seeds N entries once (the file is kept for
/// reruns), then times catalogue searches the way the entries query runs them.
/// </summary>
public static class SearchBench
{
    public static async Task<int> RunAsync(string[] args)
    {
        var entries = int.Parse(Arg(args, "--entries") ?? "200000");
        var file = Arg(args, "--file") ?? Path.Combine(Path.GetTempPath(), $"dvk-bench-search-{entries}.db");
        await using var services = Services(file);
        var entryStore = services.GetRequiredService<IEntryStore>();
        if (await entryStore.CountAsync() < entries)
        {
            Console.WriteLine($"seeding {entries:N0} entries into {file} …");
            var sw = Stopwatch.StartNew();
            var stores = new SeedStores(services.GetRequiredService<IUnitStore>(), services.GetRequiredService<IFieldStore>(), entryStore);
            await new SeedGenerator(new SeedOptions { Seed = 42, Entries = entries }).RunAsync(stores);
            Console.WriteLine($"seeded in {sw.Elapsed.TotalSeconds:F0} s");
        }
        Console.WriteLine($"store: {await entryStore.CountAsync():N0} entries, {new FileInfo(file).Length / 1_048_576.0:F0} MiB");
        var build = Stopwatch.StartNew();
        services.GetRequiredService<DanVanKheo.Api.Storage.LiteDb.LiteDbContext>().EntryIndex.WaitUntilReady(TimeSpan.FromMinutes(30));
        Console.WriteLine($"search index ready in {build.Elapsed.TotalMilliseconds:F0} ms");

        var queries = new[] { "dan van kheo", "khe van dong", "hien dat lam duong", "chuyen doi so", "kheo", "phu quoc", "cai cach thu tuc hanh chinh" };
        foreach (var q in queries)
        {
            var filter = new EntryFilter { SearchTerms = EntryRules.SearchTerms(q), Visibility = EntryVisibility.Public };
            var times = new List<double>();
            Page<Entry>? page = null;
            for (var i = 0; i < 6; i++)
            {
                var sw = Stopwatch.StartNew();
                page = await entryStore.FindAsync(filter, new EntrySort(), new PageRequest(20, CountTotal: true));
                times.Add(sw.Elapsed.TotalMilliseconds);
            }
            var warm = times.Skip(1).Order().ToList();
            Console.WriteLine($"search \"{q}\": {page!.TotalCount,7:N0} matches, first page of 20 with total count: first {times[0],7:F1} ms, median {warm[warm.Count / 2],7:F1} ms");
            var noCount = Stopwatch.StartNew();
            await entryStore.FindAsync(filter, new EntrySort(), new PageRequest(20, CountTotal: false));
            Console.WriteLine($"{"",10}first page without total count: {noCount.Elapsed.TotalMilliseconds,7:F1} ms");
        }
        return 0;
    }

    internal static ServiceProvider Services(string file)
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:LiteDbPath"] = file,
            ["Storage:SeedDemoData"] = "false",
        }).Build();
        var services = new ServiceCollection().AddLogging().AddStorage(config).BuildServiceProvider();
        services.GetRequiredService<IFieldStore>().EnsureStandardAsync().GetAwaiter().GetResult();
        return services;
    }

    internal static string? Arg(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
