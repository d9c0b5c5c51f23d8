using System.Collections.Concurrent;
using System.Diagnostics;
using DanVanKheo.Api.Audit;
using DanVanKheo.Api.Auth;
using DanVanKheo.Api.Entries;
using DanVanKheo.Api.Fields;
using DanVanKheo.Api.Storage.LiteDb;
using DanVanKheo.Api.Units;

namespace DanVanKheo.Bench;

/// <summary>
/// Concurrent entry writes on the embedded store, 1 writer against 16, in alternating rounds of
/// one run: first at the store port (an insert with its audit event, group commit off and on),
/// then <c>createEntry</c> over HTTP against the API started as a process.
/// </summary>
public static class WritesBench
{
    public static async Task<int> RunAsync(string[] args)
    {
        var seconds = double.Parse(SearchBench.Arg(args, "--seconds") ?? "5", System.Globalization.CultureInfo.InvariantCulture);
        var rounds = int.Parse(SearchBench.Arg(args, "--rounds") ?? "2", System.Globalization.CultureInfo.InvariantCulture);
        var clients = int.Parse(SearchBench.Arg(args, "--clients") ?? "16", System.Globalization.CultureInfo.InvariantCulture);
        Console.WriteLine($"load: {File.ReadAllText("/proc/loadavg").Trim()}");
        if (!args.Contains("--http-only")) StoreLevel(seconds, rounds, clients);
        await HttpLevel(seconds, rounds, clients);
        Console.WriteLine($"load: {File.ReadAllText("/proc/loadavg").Trim()}");
        return 0;
    }

    private static void StoreLevel(double seconds, int rounds, int clients)
    {
        var file = Path.Combine(Path.GetTempPath(), $"dvk-bench-writes-{Guid.NewGuid():N}.db");
        try
        {
            using var db = new LiteDbContext(file);
            var store = new LiteDbEntryStore(db);
            var unit = UnitRules.Create(new("BENCH.XA", "Xã Thử Tải", UnitKind.Commune, null, null, null), null, DateTime.UtcNow);
            long sequence = 0;
            Console.WriteLine();
            Console.WriteLine($"store port: InsertAsync with its audit event, {seconds:0.#} s per cell, {rounds} rounds alternating");
            Console.WriteLine("| group commit | writers | inserts/s | commits/s | ratio to 1 writer |");
            Console.WriteLine("| --- | ---: | ---: | ---: | ---: |");
            foreach (var _ in Enumerable.Range(0, rounds))
                foreach (var batch in new[] { 1, 64 })
                {
                    db.MaxBatch = batch;
                    double? single = null;
                    foreach (var writers in new[] { 1, clients })
                    {
                        var commits = db.Commits;
                        var sw = Stopwatch.StartNew();
                        var done = 0L;
                        var threads = Enumerable.Range(0, writers).Select(_ => new Thread(() =>
                        {
                            while (sw.Elapsed.TotalSeconds < seconds)
                            {
                                var n = Interlocked.Increment(ref sequence);
                                var entry = EntryRules.CreateDraft(new() { Title = $"Mô hình dân vận khéo số {n}", Summary = "Đo ghi đồng thời.", FieldId = Field.Standard[0].Id },
                                    unit, Field.Standard[0], null, 2025, "bench", DateTime.UtcNow);
                                var scope = new AuditScope
                                {
                                    Actor = new Caller("bench", "Bench", new HashSet<string> { Roles.Editor }, unit.Id),
                                    Action = "createEntry", RequestId = "bench-" + n, Timestamp = DateTime.UtcNow,
                                };
                                store.InsertAsync(entry, scope).GetAwaiter().GetResult();
                                Interlocked.Increment(ref done);
                            }
                        })).ToList();
                        threads.ForEach(t => t.Start());
                        threads.ForEach(t => t.Join());
                        var rate = done / sw.Elapsed.TotalSeconds;
                        single ??= rate;
                        Console.WriteLine($"| {(batch > 1 ? "on" : "off")} | {writers} | {rate:N0} | {(db.Commits - commits) / sw.Elapsed.TotalSeconds:N0} | {rate / single:F2}× |");
                    }
                }
        }
        finally
        {
            foreach (var f in Directory.GetFiles(Path.GetTempPath(), Path.GetFileNameWithoutExtension(file) + "*")) File.Delete(f);
            var index = LiteDbContext.SearchDirectoryOf(file);
            if (Directory.Exists(index)) Directory.Delete(index, true);
        }
    }

    private static async Task HttpLevel(double seconds, int rounds, int clients)
    {
        var file = Path.Combine(Path.GetTempPath(), $"dvk-bench-writes-http-{Guid.NewGuid():N}.db");
        try
        {
            await using var api = await ApiProcess.StartAsync(file);
            var province = (await api.PostAsync("mutation($i: CreateUnitInput!) { createUnit(input: $i) { unit { id } } }",
                new { i = new { code = "BENCH.TINH", name = "Tỉnh Thử Tải", kind = "PROVINCE" } }))["createUnit"]!["unit"]!["id"]!.GetValue<string>();
            var commune = (await api.PostAsync("mutation($i: CreateUnitInput!) { createUnit(input: $i) { unit { id } } }",
                new { i = new { code = "BENCH.XA", name = "Xã Thử Tải", kind = "COMMUNE", parentId = province } }))["createUnit"]!["unit"]!["id"]!.GetValue<string>();
            var fieldId = (await api.PostAsync("{ fields { id } }"))["fields"]![0]!["id"]!.GetValue<string>();
            const string create = "mutation($i: CreateEntryInput!) { createEntry(input: $i) { entry { id code } errors { code message } } }";
            var n = 0;
            async Task<double> One()
            {
                var i = Interlocked.Increment(ref n);
                var sw = Stopwatch.StartNew();
                var data = await api.PostAsync(create, new { i = new { unitId = commune, title = $"Mô hình dân vận khéo số {i}", summary = "Đo ghi đồng thời qua HTTP.", kind = "MODEL", fieldId, level = "COMMUNE" } });
                if (data["createEntry"]!["entry"] is null) throw new InvalidOperationException(data.ToJsonString());
                return sw.Elapsed.TotalMilliseconds;
            }
            for (var w = 0; w < 50; w++) await One(); // JIT and caches
            Console.WriteLine();
            Console.WriteLine($"createEntry over HTTP (API process, Production, group commit on), {seconds:0.#} s per cell, {rounds} rounds alternating");
            Console.WriteLine("| round | clients | req/s | p50 ms | p99 ms | ratio to 1 client |");
            Console.WriteLine("| ---: | ---: | ---: | ---: | ---: | ---: |");
            for (var r = 1; r <= rounds; r++)
            {
                double? single = null;
                foreach (var c in new[] { 1, clients })
                {
                    var times = new ConcurrentBag<double>();
                    var sw = Stopwatch.StartNew();
                    await Task.WhenAll(Enumerable.Range(0, c).Select(async _ =>
                    {
                        while (sw.Elapsed.TotalSeconds < seconds) times.Add(await One());
                    }));
                    var rate = times.Count / sw.Elapsed.TotalSeconds;
                    single ??= rate;
                    var sorted = times.Order().ToArray();
                    Console.WriteLine($"| {r} | {c} | {rate:N0} | {sorted[sorted.Length / 2]:F1} | {sorted[(int)Math.Ceiling(sorted.Length * 0.99) - 1]:F1} | {rate / single:F2}× |");
                }
            }
            var count = (await api.PostAsync("{ entries(first: 1) { totalCount } }"))["entries"]!["totalCount"]!.GetValue<long>();
            Console.WriteLine($"entries stored: {count:N0} (created: {n:N0}); API RSS {api.Rss().Now:F0} MiB");
        }
        finally
        {
            foreach (var f in Directory.GetFiles(Path.GetTempPath(), Path.GetFileNameWithoutExtension(file) + "*")) File.Delete(f);
            var index = LiteDbContext.SearchDirectoryOf(file);
            if (Directory.Exists(index)) Directory.Delete(index, true);
        }
    }
}
