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
    private static readonly string[] Queries =
    [
        "dan van kheo", "kheo", "khe van dong", "nong thon moi", "giam ngheo",
        "hien dat lam duong", "phu quoc", "chuyen doi so", "cai cach thu tuc hanh chinh", "tom lua",
    ];

    public static async Task<int> RunAsync(string[] args)
    {
        var entries = int.Parse(Arg(args, "--entries") ?? "200000", System.Globalization.CultureInfo.InvariantCulture);
        var runs = int.Parse(Arg(args, "--runs") ?? "40", System.Globalization.CultureInfo.InvariantCulture);
        var file = Arg(args, "--file") ?? Path.Combine(Path.GetTempPath(), $"dvk-bench-search-{entries}.db");
        var open = Stopwatch.StartNew();
        await using var services = Services(file);
        var db = services.GetRequiredService<DanVanKheo.Api.Storage.LiteDb.LiteDbContext>();
        Console.WriteLine($"store opened in {open.Elapsed.TotalMilliseconds:F0} ms (index: {db.EntryIndex.Startup})");
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
        db.EntryIndex.WaitUntilReady(TimeSpan.FromMinutes(30));
        Console.WriteLine($"search index ready {open.Elapsed.TotalMilliseconds:F0} ms after opening; on disk {DirectorySize(DanVanKheo.Api.Storage.LiteDb.LiteDbContext.SearchDirectoryOf(file)) / 1_048_576.0:F0} MiB");

        Console.WriteLine();
        Console.WriteLine($"| query | matches | p50 ms | p95 ms | p50 ms, no count | index alone p50 / p95 ms | ({runs} runs each, first page of 20 with totalCount, sorted by code desc)");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: |");
        foreach (var q in Queries)
        {
            var filter = new EntryFilter { SearchTerms = EntryRules.SearchTerms(q), Visibility = EntryVisibility.Public };
            var withCount = await Time(entryStore, filter, runs, count: true);
            var noCount = await Time(entryStore, filter, Math.Max(5, runs / 4), count: false);
            // The same search without reading the page's 20 entries from LiteDB: the engine's share.
            var index = await Time(new IndexOnly(db), filter, runs, count: true);
            Console.WriteLine($"| {q} | {withCount.Total:N0} | {withCount.P50:F1} | {withCount.P95:F1} | {noCount.P50:F1} | {index.P50:F1} / {index.P95:F1} |");
        }
        GC.Collect();
        using var self = Process.GetCurrentProcess();
        Console.WriteLine($"RSS after the searches: {self.WorkingSet64 / 1_048_576.0:F0} MiB (managed heap {GC.GetTotalMemory(false) / 1_048_576.0:F0} MiB)");
        return 0;
    }

    private static async Task<(long Total, double P50, double P95)> Time(IEntryStore store, EntryFilter filter, int runs, bool count)
    {
        var times = new List<double>();
        long total = 0;
        await store.FindAsync(filter, new EntrySort(), new PageRequest(20, CountTotal: count)); // warm-up
        for (var i = 0; i < runs; i++)
        {
            var sw = Stopwatch.StartNew();
            var page = await store.FindAsync(filter, new EntrySort(), new PageRequest(20, CountTotal: count));
            times.Add(sw.Elapsed.TotalMilliseconds);
            total = page.TotalCount;
        }
        times.Sort();
        return (total, times[times.Count / 2], times[(int)Math.Ceiling(times.Count * 0.95) - 1]);
    }

    /// <summary>Only the index's answer (ids of the page), timed like a store.</summary>
    private sealed class IndexOnly(DanVanKheo.Api.Storage.LiteDb.LiteDbContext db) : IEntryStore
    {
        public Task<Page<Entry>> FindAsync(EntryFilter filter, EntrySort sort, PageRequest page, CancellationToken ct = default)
        {
            var ids = db.EntryIndex.TryFind(filter, sort, page) ?? throw new InvalidOperationException("The index is not ready.");
            return Task.FromResult(new Page<Entry>([], ids.HasNextPage, ids.HasPreviousPage, ids.TotalCount));
        }

        public Task<long> ReserveSequenceAsync(int year, int count, CancellationToken ct = default) => throw new NotSupportedException();
        public Task InsertAsync(Entry entry, DanVanKheo.Api.Audit.AuditScope? audit, CancellationToken ct = default) => throw new NotSupportedException();
        public Task InsertManyAsync(IReadOnlyList<Entry> entries, CancellationToken ct = default) => throw new NotSupportedException();
        public Task<IReadOnlyList<Entry>> GetByIdsAsync(IReadOnlyCollection<string> ids, CancellationToken ct = default) => throw new NotSupportedException();
        public Task<Entry?> GetByCodeAsync(string code, CancellationToken ct = default) => throw new NotSupportedException();
        public Task<bool> ReplaceAsync(Entry entry, int expectedVersion, DanVanKheo.Api.Audit.AuditScope? audit, CancellationToken ct = default) => throw new NotSupportedException();
        public Task<long> CountAsync(CancellationToken ct = default) => throw new NotSupportedException();
        public Task<bool> RegisterAsync(Entry entry, int expectedVersion, DanVanKheo.Api.Audit.AuditScope? audit, CancellationToken ct = default) => throw new NotSupportedException();
        public Task<int> WithdrawDraftCodesAsync(CancellationToken ct = default) => throw new NotSupportedException();
    }

    private static long DirectorySize(string path) =>
        Directory.Exists(path) ? Directory.GetFiles(path).Sum(f => new FileInfo(f).Length) : 0;

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
