using System.Diagnostics;
using DanVanKheo.Api.Replications;
using DanVanKheo.Api.Units;

namespace DanVanKheo.Bench;

/// <summary>
/// `lineage [n]`: a model with n (default 10,000) descendant replications over four generations
/// (10, 100, 1,000 adopters with derived entries, the rest adopting the third generation's
/// entries), then times its lineage and reach, and the ancestors of a leaf's source.
/// </summary>
public static class LineageBench
{
    public static async Task<int> RunAsync(string[] args)
    {
        var total = args.Length > 0 ? int.Parse(args[0]) : 10_000;
        using var store = new BenchStore();
        var rnd = new Random(20250701);
        var sw = Stopwatch.StartNew();

        var province = BenchStore.Unit("BENCH", "Tỉnh Thử Nghiệm", UnitKind.Province, null);
        var districts = Enumerable.Range(1, 20).Select(i => BenchStore.Unit($"BENCH.D{i}", $"Huyện {i}", UnitKind.District, province)).ToList();
        var units = new List<Unit> { province };
        units.AddRange(districts);
        var communes = Enumerable.Range(1, total + 1).Select(i => BenchStore.Unit($"BENCH.X{i}", $"Xã {i}", UnitKind.Commune, districts[i % districts.Count])).ToList();
        units.AddRange(communes);
        await store.Units.InsertManyAsync(units);

        long seq = 0;
        var original = BenchStore.Entry(communes[0], "Mô hình gốc Dân vận khéo", ++seq, rnd);
        var entries = new List<DanVanKheo.Api.Entries.Entry> { original };
        var replications = new List<Replication>();
        var level = new List<(DanVanKheo.Api.Entries.Entry Entry, Replication? By)> { (original, null) };
        var next = 1;
        foreach (var width in new[] { 10, 100, 1000, int.MaxValue })
        {
            var count = Math.Min(width, total - replications.Count);
            if (count <= 0) break;
            var isLeaf = width == int.MaxValue || replications.Count + count >= total;
            var nextLevel = new List<(DanVanKheo.Api.Entries.Entry, Replication?)>();
            for (var i = 0; i < count; i++)
            {
                var (source, parent) = level[i % level.Count];
                var unit = communes[next++];
                var derived = isLeaf ? null : BenchStore.Entry(unit, $"Nhân rộng tại {unit.Name}", ++seq, rnd);
                var r = ReplicationRules.Record(source, unit, derived, parent,
                    new ReplicationContent { Outcome = new ReplicationOutcome { PeopleReached = rnd.Next(1000) } },
                    new DateOnly(2024, 1 + rnd.Next(12), 1), "bench", BenchStore.Now);
                replications.Add(r);
                if (derived is not null)
                {
                    entries.Add(derived);
                    nextLevel.Add((derived, r));
                }
            }
            level = nextLevel;
        }
        await store.Entries.InsertManyAsync(entries);
        await store.Replications.InsertManyAsync(replications);
        Console.WriteLine($"fixture: {units.Count:N0} units, {entries.Count:N0} entries, {replications.Count:N0} replications in {sw.Elapsed.TotalSeconds:F1} s");

        for (var run = 1; run <= 3; run++)
        {
            sw.Restart();
            var lineage = await LineageReader.ReadAsync(store.Replications, original.Id, default);
            var readMs = sw.Elapsed.TotalMilliseconds;
            var reach = await LineageReader.ReachAsync(store.Units, lineage, new DateOnly(2025, 7, 1), default);
            Console.WriteLine($"run {run}: lineage of the original ({lineage.Descendants.Count:N0} descendants, {lineage.Generations} generations) " +
                              $"{readMs:F0} ms; with reach ({reach.AdoptingUnits:N0} units, {reach.Communes:N0} communes, {reach.Districts} districts) {sw.Elapsed.TotalMilliseconds:F0} ms");
        }
        var leafSource = replications[^1].SourceEntryId;
        sw.Restart();
        var up = await LineageReader.ReadAsync(store.Replications, leafSource, default);
        Console.WriteLine($"ancestors of a third-generation entry: {up.Ancestors.Count} up to the original in {sw.Elapsed.TotalMilliseconds:F0} ms");
        return 0;
    }
}
