using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using DanVanKheo.Api.Common;
using DanVanKheo.Api.Entries;
using DanVanKheo.Api.Hosting;
using DanVanKheo.Api.Storage.LiteDb;
using DanVanKheo.Api.Units;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DanVanKheo.Bench;

/// <summary>
/// <c>graphql-raw [--entries 20000] [--seconds 5] [--rounds 3] [--connections 8]</c>: the API hosted
/// in process (the real services and middleware, Production settings, Kestrel on loopback) beside
/// raw endpoints that call the same store ports and write the same JSON; wrk (or, without it, an
/// in-process HttpClient loop) drives each pair in alternating rounds and the bench prints req/s,
/// p50/p99 and the GraphQL ÷ raw ratio for node by id, 20 nodes by id and a search page.
/// </summary>
public static partial class GraphQLRawBench
{
    private const string Selection = "id code title status unit { name }";
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private sealed record Scenario(string Name, string GraphQLBody, string RawPath);

    private sealed record Run(double RequestsPerSecond, double P50Ms, double P99Ms, long Errors);

    public static async Task<int> RunAsync(string[] args)
    {
        var entries = int.Parse(SearchBench.Arg(args, "--entries") ?? "20000", CultureInfo.InvariantCulture);
        var seconds = int.Parse(SearchBench.Arg(args, "--seconds") ?? "5", CultureInfo.InvariantCulture);
        var rounds = int.Parse(SearchBench.Arg(args, "--rounds") ?? "3", CultureInfo.InvariantCulture);
        var connections = int.Parse(SearchBench.Arg(args, "--connections") ?? "8", CultureInfo.InvariantCulture);
        var file = Path.Combine(Path.GetTempPath(), $"dvk-bench-{Guid.NewGuid():N}.db");
        var scripts = Directory.CreateTempSubdirectory("dvk-wrk-");
        WebApplication? app = null;
        try
        {
            app = await StartAsync(file);
            var (node, twenty) = await SeedAsync(app.Services, entries);
            var db = app.Services.GetRequiredService<LiteDbContext>();
            if (!db.EntryIndex.WaitUntilReady(TimeSpan.FromMinutes(5))) throw new InvalidOperationException("The search index did not catch up.");
            var baseUrl = app.Urls.First(u => u.StartsWith("http://", StringComparison.Ordinal)).TrimEnd('/');

            const string search = "dan van";
            Scenario[] scenarios =
            [
                new("node by id", Body($"query Node($id: ID!) {{ node(id: $id) {{ ... on Entry {{ {Selection} }} }} }}", new { id = node }),
                    "/raw/node?id=" + Uri.EscapeDataString(node)),
                new("20 nodes by id", Body($"query Nodes($ids: [ID!]!) {{ nodes(ids: $ids) {{ ... on Entry {{ {Selection} }} }} }}", new { ids = twenty }),
                    "/raw/nodes?ids=" + Uri.EscapeDataString(string.Join(',', twenty))),
                new("search page (20 + totalCount)", Body($"query Search($q: String) {{ entries(first: 20, where: {{ search: $q }}) {{ totalCount nodes {{ {Selection} }} }} }}", new { q = search }),
                    "/raw/search?q=" + Uri.EscapeDataString(search)),
            ];

            using var http = new HttpClient { BaseAddress = new Uri(baseUrl) };
            foreach (var s in scenarios) await CheckSameJsonAsync(http, s);

            var wrk = FindWrk();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{entries:N0} entries, LiteDB; {rounds} alternating rounds of {seconds} s per side, {connections} connections, driver: {(wrk is null ? "in-process HttpClient loop" : "wrk")}; {Environment.ProcessorCount} cores; load average before: {LoadAverage()}"));
            Console.WriteLine();
            Console.WriteLine("| scenario | GraphQL req/s | raw req/s | GraphQL ÷ raw | GraphQL p50 / p99 ms | raw p50 / p99 ms | per-round ratios |");
            Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | --- |");
            foreach (var s in scenarios)
            {
                var graphql = new List<Run>();
                var raw = new List<Run>();
                // Warm-up: JIT, document cache, index searcher, connection pools.
                await DriveAsync(wrk, scripts.FullName, baseUrl, s, graphQL: true, 2, connections);
                await DriveAsync(wrk, scripts.FullName, baseUrl, s, graphQL: false, 2, connections);
                for (var r = 0; r < rounds; r++)
                {
                    // Alternate which side goes first, so drift in the machine's load hits both alike.
                    var graphQLFirst = r % 2 == 0;
                    foreach (var side in graphQLFirst ? new[] { true, false } : [false, true])
                        (side ? graphql : raw).Add(await DriveAsync(wrk, scripts.FullName, baseUrl, s, side, seconds, connections));
                }
                var g = graphql.Average(x => x.RequestsPerSecond);
                var w = raw.Average(x => x.RequestsPerSecond);
                var perRound = string.Join(" ", graphql.Zip(raw, (a, b) => (a.RequestsPerSecond / b.RequestsPerSecond).ToString("0.00", CultureInfo.InvariantCulture)));
                var errors = graphql.Sum(x => x.Errors) + raw.Sum(x => x.Errors);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {s.Name} | {g:N0} | {w:N0} | **{g / w:0.00}×** | {Median(graphql, x => x.P50Ms):0.00} / {Median(graphql, x => x.P99Ms):0.00} | {Median(raw, x => x.P50Ms):0.00} / {Median(raw, x => x.P99Ms):0.00} | {perRound}{(errors > 0 ? $" ({errors} non-2xx!)" : "")} |"));
            }
            Console.WriteLine();
            Console.WriteLine($"load average after: {LoadAverage()}");
            return 0;
        }
        finally
        {
            if (app is not null)
            {
                await app.StopAsync();
                await app.DisposeAsync();
            }
            scripts.Delete(recursive: true);
            foreach (var f in new[] { file, file.Replace(".db", "-log.db") })
                if (File.Exists(f)) File.Delete(f);
            var index = LiteDbContext.SearchDirectoryOf(file);
            if (Directory.Exists(index)) Directory.Delete(index, recursive: true);
        }
    }

    /// <summary>The API as Program builds it (Production, no trusted-documents-only, limits out of the way) plus the raw endpoints.</summary>
    private static async Task<WebApplication> StartAsync(string file)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = Environments.Production });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:LiteDbPath"] = file,
            ["Storage:SeedDemoData"] = "false",
            ["GraphQL:TrustedDocumentsOnly"] = "false",
            // The first request builds the schema; on a loaded machine that can outlast the default 10 s.
            ["GraphQL:ExecutionTimeout"] = "00:02:00",
            ["RateLimiting:AnonymousPerMinute"] = "10000000",
            ["RateLimiting:AuthenticatedPerMinute"] = "10000000",
            // Production refuses to start without token validation; reads are anonymous here.
            ["Authentication:Schemes:Bearer:ValidIssuer"] = "danvankheo-bench",
            ["Authentication:Schemes:Bearer:ValidAudiences:0"] = "danvankheo-api",
            ["Authentication:Schemes:Bearer:SigningKeys:0:Issuer"] = "danvankheo-bench",
            ["Authentication:Schemes:Bearer:SigningKeys:0:Value"] = Convert.ToBase64String(Encoding.UTF8.GetBytes("bench-signing-key-0123456789abcdef0123456789")),
        });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.AddRegistry();
        var app = builder.Build();
        await app.UseRegistryAsync();
        app.MapGet("/raw/node", RawNodeAsync);
        app.MapGet("/raw/nodes", RawNodesAsync);
        app.MapGet("/raw/search", RawSearchAsync);
        await app.StartAsync();
        return app;
    }

    private static async Task<(string Node, string[] Twenty)> SeedAsync(IServiceProvider services, int count)
    {
        var units = services.GetRequiredService<IUnitStore>();
        var store = services.GetRequiredService<IEntryStore>();
        var province = BenchStore.Unit("BENCH", "Tỉnh An Giang", UnitKind.Province, null);
        var communes = Enumerable.Range(0, 50).Select(i => BenchStore.Unit($"BENCH.X{i}", $"Xã Bình Hòa {i}", UnitKind.Commune, province)).ToList();
        await units.InsertManyAsync([province, .. communes]);
        string[] titles =
        [
            "Mô hình “Dân vận khéo” hiến đất làm đường giao thông nông thôn",
            "Mô hình chuyển đổi số trong cải cách thủ tục hành chính",
            "Mô hình giảm nghèo bền vững gắn với xây dựng nông thôn mới",
            "Mô hình tôm – lúa ở vùng ven biển",
            "Mô hình dân vận khéo trong phát triển du lịch Phú Quốc",
        ];
        var rnd = new Random(42);
        var year = RegistryClock.VietnamYear(BenchStore.Now);
        // A fresh file: codes DVK-<year>-000001 onwards.
        const long first = 1;
        var ids = new List<string>(count);
        for (var done = 0; done < count; done += 2000)
        {
            var batch = Enumerable.Range(done, Math.Min(2000, count - done))
                .Select(i => BenchStore.Entry(communes[i % communes.Count], titles[i % titles.Length] + $" (số {i})", first + i, rnd, year))
                .ToList();
            await store.InsertManyAsync(batch);
            ids.AddRange(batch.Select(e => e.Id));
        }
        var global = ids.Select(id => GlobalId.Encode(EntryGraphType.TypeName, id)).ToList();
        return (global[count / 2], [.. global.Skip(count / 3).Take(20)]);
    }

    private static string Body(string query, object variables) => JsonSerializer.Serialize(new { query, variables });

    // The raw endpoints: what a hand-written REST handler over the same ports does, writing the
    // GraphQL answer's JSON (same fields, order and visibility rules for anonymous callers).

    private static async Task RawNodeAsync(HttpContext http, IEntryStore entries, IUnitStore units)
    {
        var local = GlobalId.LocalIdOf(http.Request.Query["id"].ToString(), EntryGraphType.TypeName);
        var found = local is null ? [] : await entries.GetByIdsAsync([local], http.RequestAborted);
        var visible = found.Where(e => e.Status != EntryStatus.Draft).ToList();
        var names = await UnitNamesAsync(units, visible, http.RequestAborted);
        await WriteAsync(http, w =>
        {
            w.WritePropertyName("node");
            if (visible.Count == 0) w.WriteNullValue();
            else WriteEntry(w, visible[0], names);
        });
    }

    private static async Task RawNodesAsync(HttpContext http, IEntryStore entries, IUnitStore units)
    {
        var requested = http.Request.Query["ids"].ToString().Split(',', StringSplitOptions.RemoveEmptyEntries);
        var locals = requested.Select(id => GlobalId.LocalIdOf(id, EntryGraphType.TypeName)).ToList();
        var found = await entries.GetByIdsAsync([.. locals.OfType<string>().Distinct()], http.RequestAborted);
        var byId = found.Where(e => e.Status != EntryStatus.Draft).ToDictionary(e => e.Id);
        var names = await UnitNamesAsync(units, byId.Values, http.RequestAborted);
        await WriteAsync(http, w =>
        {
            w.WriteStartArray("nodes");
            foreach (var local in locals)
            {
                if (local is not null && byId.TryGetValue(local, out var e)) WriteEntry(w, e, names);
                else w.WriteNullValue();
            }
            w.WriteEndArray();
        });
    }

    private static async Task RawSearchAsync(HttpContext http, IEntryStore entries, IUnitStore units)
    {
        var filter = new EntryFilter { SearchTerms = EntryRules.SearchTerms(http.Request.Query["q"].ToString()), Visibility = EntryVisibility.Public };
        var page = await entries.FindAsync(filter, new EntrySort(), new PageRequest(PageRequest.DefaultPageSize), http.RequestAborted);
        var names = await UnitNamesAsync(units, page.Items, http.RequestAborted);
        await WriteAsync(http, w =>
        {
            w.WriteStartObject("entries");
            w.WriteNumber("totalCount", page.TotalCount);
            w.WriteStartArray("nodes");
            foreach (var e in page.Items) WriteEntry(w, e, names);
            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    private static async Task<Dictionary<string, string>> UnitNamesAsync(IUnitStore units, IEnumerable<Entry> entries, CancellationToken ct)
    {
        var ids = entries.Select(e => e.UnitId).Distinct().ToList();
        return ids.Count == 0 ? [] : (await units.GetByIdsAsync(ids, ct)).ToDictionary(u => u.Id, u => u.Name);
    }

    private static void WriteEntry(Utf8JsonWriter w, Entry e, Dictionary<string, string> unitNames)
    {
        w.WriteStartObject();
        w.WriteString("id", GlobalId.Encode(EntryGraphType.TypeName, e.Id));
        w.WriteString("code", e.Code);
        w.WriteString("title", e.Title);
        w.WriteString("status", ConstantCase(e.Status.ToString()));
        w.WriteStartObject("unit");
        w.WriteString("name", unitNames[e.UnitId]);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static async Task WriteAsync(HttpContext http, Action<Utf8JsonWriter> data)
    {
        http.Response.ContentType = "application/json; charset=utf-8";
        await using (var w = new Utf8JsonWriter(http.Response.BodyWriter, WriterOptions))
        {
            w.WriteStartObject();
            w.WriteStartObject("data");
            data(w);
            w.WriteEndObject();
            w.WriteEndObject();
        }
        await http.Response.BodyWriter.FlushAsync(http.RequestAborted);
    }

    private static string ConstantCase(string pascal) => PascalBoundary().Replace(pascal, "$1_$2").ToUpperInvariant();

    [GeneratedRegex("([a-z0-9])([A-Z])")]
    private static partial Regex PascalBoundary();

    /// <summary>Both sides must answer the same data, or the comparison means nothing.</summary>
    private static async Task CheckSameJsonAsync(HttpClient http, Scenario s)
    {
        using var post = new StringContent(s.GraphQLBody, Encoding.UTF8, "application/json");
        using var graphql = await http.PostAsync("/graphql", post);
        var g = await graphql.Content.ReadAsStringAsync();
        var r = await http.GetStringAsync(s.RawPath);
        if (!graphql.IsSuccessStatusCode || !JsonNode.DeepEquals(JsonNode.Parse(g), JsonNode.Parse(r)))
            throw new InvalidOperationException($"{s.Name}: GraphQL and raw answers differ.\nGraphQL: {g}\nraw:     {r}");
        if (g.Contains("\"nodes\":[]", StringComparison.Ordinal) || g.Contains("\"node\":null", StringComparison.Ordinal))
            throw new InvalidOperationException($"{s.Name}: the answer is empty: {g}");
    }

    private static string? FindWrk()
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator))
            if (dir.Length > 0 && File.Exists(Path.Combine(dir, "wrk"))) return Path.Combine(dir, "wrk");
        return null;
    }

    private static Task<Run> DriveAsync(string? wrk, string scripts, string baseUrl, Scenario s, bool graphQL, int seconds, int connections) =>
        wrk is null ? LoopAsync(baseUrl, s, graphQL, seconds, connections) : WrkAsync(wrk, scripts, baseUrl, s, graphQL, seconds, connections);

    private static async Task<Run> WrkAsync(string wrk, string scripts, string baseUrl, Scenario s, bool graphQL, int seconds, int connections)
    {
        var url = baseUrl + (graphQL ? "/graphql" : s.RawPath);
        var args = new List<string> { "-t", "2", "-c", connections.ToString(CultureInfo.InvariantCulture), "-d", $"{seconds}s", "--latency" };
        if (graphQL)
        {
            var script = Path.Combine(scripts, $"{Guid.NewGuid():N}.lua");
            await File.WriteAllTextAsync(script, $"""
                wrk.method = "POST"
                wrk.body = [==[{s.GraphQLBody}]==]
                wrk.headers["Content-Type"] = "application/json"
                wrk.headers["Accept"] = "application/graphql-response+json"
                """);
            args.AddRange(["-s", script]);
        }
        args.Add(url);
        var start = new ProcessStartInfo(wrk, args) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"wrk failed: {output}{await process.StandardError.ReadToEndAsync()}");
        var rps = double.Parse(Regex.Match(output, @"Requests/sec:\s+([\d.]+)").Groups[1].Value, CultureInfo.InvariantCulture);
        var errors = Regex.Match(output, @"Non-2xx or 3xx responses:\s+(\d+)") is { Success: true } m ? long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
        return new Run(rps, Latency(output, "50%"), Latency(output, "99%"), errors);
    }

    private static double Latency(string wrkOutput, string percentile)
    {
        var m = Regex.Match(wrkOutput, $@"\s{Regex.Escape(percentile)}\s+([\d.]+)(us|ms|s)\b");
        var value = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        return m.Groups[2].Value switch { "us" => value / 1000, "s" => value * 1000, _ => value };
    }

    /// <summary>Without wrk: <paramref name="connections"/> in-process clients in a closed loop (they share the cores with the server).</summary>
    private static async Task<Run> LoopAsync(string baseUrl, Scenario s, bool graphQL, int seconds, int connections)
    {
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = connections };
        using var http = new HttpClient(handler) { BaseAddress = new Uri(baseUrl) };
        var body = Encoding.UTF8.GetBytes(s.GraphQLBody);
        var until = Stopwatch.GetTimestamp() + (long)(seconds * (double)Stopwatch.Frequency);
        var latencies = new List<double>[connections];
        long errors = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, connections).Select(async c =>
        {
            var mine = latencies[c] = [];
            while (Stopwatch.GetTimestamp() < until)
            {
                var started = Stopwatch.GetTimestamp();
                using var response = graphQL
                    ? await http.PostAsync("/graphql", new ByteArrayContent(body) { Headers = { ContentType = new("application/json") } })
                    : await http.GetAsync(s.RawPath);
                await response.Content.CopyToAsync(Stream.Null);
                if (!response.IsSuccessStatusCode) Interlocked.Increment(ref errors);
                mine.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        }));
        var all = latencies.SelectMany(l => l).Order().ToList();
        return new Run(all.Count / clock.Elapsed.TotalSeconds, all[all.Count / 2], all[(int)(all.Count * 0.99)], errors);
    }

    private static double Median(List<Run> runs, Func<Run, double> value)
    {
        var sorted = runs.Select(value).Order().ToList();
        return sorted[sorted.Count / 2];
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
}
