using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;

namespace DanVanKheo.Bench;

/// <summary>
/// The embedded store at national scale, end to end: seeds the file with the seed CLI unless it
/// exists (timing it and its peak RSS), starts the API on it as a process (listening, search
/// index and report summary ready, RSS), runs the ten-query search table over HTTP with
/// totalCount, a national province's annual report, then restarts the API and times the first
/// report and the first search after the restart.
/// </summary>
public static class ScaleBench
{
    private static readonly string[] Queries =
    [
        "dan van kheo", "kheo", "khe van dong", "nong thon moi", "giam ngheo",
        "hien dat lam duong", "phu quoc", "chuyen doi so", "cai cach thu tuc hanh chinh", "tom lua",
    ];

    private const string Search = "query($q: String!) { entries(first: 20, where: { search: $q }) { totalCount nodes { id code title } } }";
    private const string Report = """
        query($u: ID!, $y: Int!, $asOf: DateOnly) {
          report(unitId: $u, year: $y, asOf: $asOf) {
            totalEntries byField { field { code } count } byStatus { status count }
            results { householdsReached peopleReached }
            recognitions { total } replications { planned started }
            topReplicated { entry { title } replications }
            children { unit { name } entries models registered }
          }
        }
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        var file = SearchBench.Arg(args, "--file") ?? "/work/data-perf/national.db";
        var units = SearchBench.Arg(args, "--units") ?? "national";
        var runs = int.Parse(SearchBench.Arg(args, "--runs") ?? "40", CultureInfo.InvariantCulture);
        var provinceCode = SearchBench.Arg(args, "--province") ?? "AG2025";
        Console.WriteLine($"load: {Load()}");
        if (!File.Exists(file)) await SeedAsync(file, units, SearchBench.Arg(args, "--entries"));
        else Console.WriteLine($"reusing {file} ({new FileInfo(file).Length / 1_048_576.0:N0} MiB; seed it again by deleting it)");

        string unitId;
        await using (var api = await ApiProcess.StartAsync(file))
        {
            Console.WriteLine($"start 1: listening {api.Listening.TotalSeconds:F1} s after the process started");
            var ready = await ReadyAsync(api, TimeSpan.FromMinutes(30));
            Console.WriteLine($"start 1: ready (search index and report summary up to date) {ready.TotalSeconds:F1} s after start; RSS {api.Rss().Now:F0} MiB");
            unitId = await ProvinceAsync(api, provinceCode);
            await SearchTableAsync(api, runs);
            var (first, again) = (await TimeAsync(() => ReportAsync(api, unitId)), await TimeAsync(() => ReportAsync(api, unitId)));
            Console.WriteLine($"report ({provinceCode}, 2025, asOf 2025-07-01), warm server: {first:F0} ms, then {again:F0} ms");
            GC.KeepAlive(await api.PostAsync("{ __typename }"));
            var (now, peak) = api.Rss();
            Console.WriteLine($"start 1: RSS after warm-up {now:F0} MiB (peak {peak:F0} MiB)");
        }

        await using (var api = await ApiProcess.StartAsync(file))
        {
            Console.WriteLine($"restart: listening {api.Listening.TotalSeconds:F1} s after the process started");
            var report = await TimeAsync(() => ReportAsync(api, unitId));
            Console.WriteLine($"restart: first report {report:F0} ms (sent as soon as the API listened; {api.SinceStart.Elapsed.TotalSeconds:F1} s after start)");
            var search = await TimeAsync(() => api.PostAsync(Search, new { q = "dan van kheo" }, anonymous: true));
            Console.WriteLine($"restart: first search \"dan van kheo\" {search:F0} ms; second report {await TimeAsync(() => ReportAsync(api, unitId)):F0} ms");
            var ready = await ReadyAsync(api, TimeSpan.FromMinutes(30));
            Console.WriteLine($"restart: ready {ready.TotalSeconds:F1} s after start; RSS {api.Rss().Now:F0} MiB (peak {api.Rss().Peak:F0} MiB)");
            Console.WriteLine("restart log:");
            foreach (var line in api.Log.Split('\n').Where(l => l.Contains("index", StringComparison.OrdinalIgnoreCase) || l.Contains("summary", StringComparison.OrdinalIgnoreCase)))
                Console.WriteLine("  " + line.Trim());
        }
        Console.WriteLine($"load: {Load()}");
        return 0;
    }

    private static string Load() => File.ReadAllText("/proc/loadavg").Trim();

    private static async Task SeedAsync(string file, string units, string? entries)
    {
        var dll = Path.Combine(ApiProcess.RepoRoot(), "seed", "bin", "Release", "net10.0", "DanVanKheo.Seed.dll");
        if (!File.Exists(dll)) throw new FileNotFoundException($"{dll} not found: build the seed with -c Release first.");
        List<string> arguments = [dll, "--store", "litedb:" + file, "--seed", "42", "--units", units];
        if (entries is not null) arguments.AddRange(["--entries", entries]);
        var sw = Stopwatch.StartNew();
        using var seed = Process.Start(new ProcessStartInfo("dotnet", arguments) { RedirectStandardOutput = true })!;
        seed.OutputDataReceived += (_, _) => { };
        seed.BeginOutputReadLine();
        double peak = 0;
        while (!seed.HasExited)
        {
            try
            {
                var line = File.ReadAllLines($"/proc/{seed.Id}/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
                if (line is not null) peak = Math.Max(peak, double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024);
            }
            catch (IOException)
            {
            }
            await Task.Delay(500);
        }
        Console.WriteLine($"seeding ({units}): {sw.Elapsed.TotalMinutes:F1} min wall, peak RSS {peak:F0} MiB, exit code {seed.ExitCode}, file {new FileInfo(file).Length / 1_048_576.0:N0} MiB");
    }

    /// <summary>Time from start until both the search index and the report summary logged that they are up to date.</summary>
    private static async Task<TimeSpan> ReadyAsync(ApiProcess api, TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < until)
        {
            var log = api.Log;
            if (log.Contains("Search index ready", StringComparison.Ordinal) && log.Contains("Report summary up to date", StringComparison.Ordinal))
                return api.ReadyAt ?? api.SinceStart.Elapsed;
            await Task.Delay(50);
        }
        throw new TimeoutException("Not ready:\n" + api.Log);
    }

    private static async Task<string> ProvinceAsync(ApiProcess api, string code)
    {
        var data = await api.PostAsync("query($c: String!) { unit(code: $c) { id name } }", new { c = code });
        return data["unit"]?["id"]?.GetValue<string>() ?? throw new InvalidOperationException($"No unit {code}.");
    }

    private static Task<JsonNode> ReportAsync(ApiProcess api, string unitId) =>
        api.PostAsync(Report, new { u = unitId, y = 2025, asOf = "2025-07-01" }, anonymous: true);

    private static async Task<double> TimeAsync(Func<Task<JsonNode>> call)
    {
        var sw = Stopwatch.StartNew();
        await call();
        return sw.Elapsed.TotalMilliseconds;
    }

    private static async Task SearchTableAsync(ApiProcess api, int runs)
    {
        Console.WriteLine();
        Console.WriteLine($"| query | matches | p50 ms | p95 ms | ({runs} runs each over HTTP, anonymous, first page of 20 with totalCount, code desc; load {Load()})");
        Console.WriteLine("| --- | ---: | ---: | ---: |");
        foreach (var q in Queries)
        {
            var data = await api.PostAsync(Search, new { q }, anonymous: true);
            var total = data["entries"]!["totalCount"]!.GetValue<long>();
            var times = new List<double>();
            for (var i = 0; i < runs; i++) times.Add(await TimeAsync(() => api.PostAsync(Search, new { q }, anonymous: true)));
            times.Sort();
            Console.WriteLine($"| {q} | {total:N0} | {times[times.Count / 2]:F1} | {times[(int)Math.Ceiling(times.Count * 0.95) - 1]:F1} |");
        }
        Console.WriteLine();
    }
}
