using System.Diagnostics;
using DanVanKheo.Api.Entries;
using DanVanKheo.Api.Reports;
using DanVanKheo.Api.Units;

namespace DanVanKheo.Bench;

/// <summary>
/// `report [n]`: n (default 200,000) entries for a province of 10 districts × 100 communes,
/// created with EntryRules.CreateDraft/Submit and a fixed Random, inserted with
/// IEntryStore.InsertManyAsync; then times the whole-province report: the first one (which
/// builds the maintained summary), steady-state ones, and one after 500 entries changed.
/// </summary>
public static class ReportBench
{
    public static async Task<int> RunAsync(string[] args)
    {
        var total = args.Length > 0 ? int.Parse(args[0]) : 200_000;
        using var store = new BenchStore();
        var rnd = new Random(42);
        var sw = Stopwatch.StartNew();

        var province = BenchStore.Unit("BENCH", "Tỉnh Thử Nghiệm", UnitKind.Province, null);
        var districts = Enumerable.Range(1, 10).Select(i => BenchStore.Unit($"BENCH.D{i}", $"Huyện {i}", UnitKind.District, province)).ToList();
        var communes = districts.SelectMany(d => Enumerable.Range(1, 100).Select(i => BenchStore.Unit($"{d.Code}.X{i}", $"Xã {i} – {d.Name}", UnitKind.Commune, d))).ToList();
        await store.Units.InsertManyAsync([province, .. districts, .. communes]);

        var entries = new List<Entry>(total);
        for (var i = 1; i <= total; i++)
        {
            var roll = rnd.Next(100);
            var status = roll < 5 ? EntryStatus.Draft : roll < 15 ? EntryStatus.Recognized : roll < 20 ? EntryStatus.Discontinued : EntryStatus.Registered;
            var unit = rnd.Next(50) == 0 ? districts[rnd.Next(districts.Count)] : communes[rnd.Next(communes.Count)];
            entries.Add(BenchStore.Entry(unit, $"Mô hình dân vận khéo số {i}", i, rnd, rnd.Next(5) == 0 ? 2023 : 2024, status));
        }
        Console.WriteLine($"generated {total:N0} entries in {sw.Elapsed.TotalSeconds:F1} s");
        sw.Restart();
        for (var i = 0; i < entries.Count; i += 20_000)
            await store.Entries.InsertManyAsync(entries.GetRange(i, Math.Min(20_000, entries.Count - i)));
        Console.WriteLine($"inserted in {sw.Elapsed.TotalSeconds:F1} s");

        var request = new ReportRequest(province, 2024, true, null, EntryVisibility.Public);
        sw.Restart();
        var report = await store.Assembler.BuildAsync(request, default);
        Console.WriteLine($"first report (builds the summary from {total:N0} entries): {sw.Elapsed.TotalMilliseconds:F0} ms, {report.TotalEntries:N0} entries counted, {report.Children.Count} child rows");
        for (var run = 1; run <= 3; run++)
        {
            sw.Restart();
            report = await store.Assembler.BuildAsync(request, default);
            Console.WriteLine($"report run {run}: {sw.Elapsed.TotalMilliseconds:F0} ms ({report.TotalEntries:N0} entries)");
        }
        sw.Restart();
        var rolled = await store.Assembler.BuildAsync(request with { AsOf = new DateOnly(2025, 7, 1), Visibility = EntryVisibility.Everything }, default);
        Console.WriteLine($"report with asOf and drafts: {sw.Elapsed.TotalMilliseconds:F0} ms ({rolled.TotalEntries:N0} entries)");

        var changed = entries.Where(e => e.Status == EntryStatus.Registered && e.Year == 2024).Take(500).ToList();
        foreach (var e in changed)
        {
            var expected = e.Version;
            EntryRules.Discontinue(e, "Đánh giá lại", DateTime.UtcNow);
            await store.Entries.ReplaceAsync(e, expected);
        }
        sw.Restart();
        var after = await store.Assembler.BuildAsync(request, default);
        var discontinued = after.ByStatus.Single(t => t.Key == EntryStatus.Discontinued).Count - report.ByStatus.Single(t => t.Key == EntryStatus.Discontinued).Count;
        Console.WriteLine($"report after 500 entries changed: {sw.Elapsed.TotalMilliseconds:F0} ms (+{discontinued} discontinued)");
        return discontinued == changed.Count ? 0 : 1;
    }
}
