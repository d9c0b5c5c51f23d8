using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace DanVanKheo.Bench;

/// <summary>
/// N WebSocket subscribers (graphql-transport-ws, real sockets to the API started as a process
/// on a fresh LiteDB file) on <c>entryRegistered</c>; one entry is registered per second, so each
/// subscriber receives one event per second. Delivery latency is measured from the moment the
/// registering mutation is sent (an upper bound: it includes the mutation itself) to its arrival
/// at each subscriber.
/// </summary>
public static class SubscribersBench
{

    private sealed record Figures(int Subscribers, bool Shared, int Connected, int Failed, long Delivered, long Expected, double P50, double P90, double P99, double Max);

    /// <summary>
    /// <c>--subscribers N</c> (one size) or <c>--sizes 1000,2500,5000</c>; <c>--compare</c> runs each
    /// size twice in a row, with shared executions on and off, and prints the ratios.
    /// </summary>
    public static async Task<int> RunAsync(string[] args)
    {
        var seconds = Arg(args, "--seconds", 20);
        var sizes = Array.IndexOf(args, "--sizes") is var at and >= 0 && at + 1 < args.Length
            ? args[at + 1].Split(',').Select(int.Parse).ToArray()
            : [Arg(args, "--subscribers", 5000)];
        var compare = args.Contains("--compare");
        var results = new List<Figures>();
        foreach (var size in sizes)
            foreach (var shared in compare ? new[] { true, false } : [true])
            {
                Console.WriteLine($"--- {size} subscribers, shared executions {(shared ? "on" : "off")}; load average {LoadAverage()}");
                var f = await RunOnceAsync(size, seconds, shared);
                if (f is null) return 1;
                results.Add(f);
            }
        Console.WriteLine();
        Console.WriteLine("| subscribers | shared | delivered | p50 ms | p90 ms | p99 ms | max ms |");
        Console.WriteLine("| ---: | --- | ---: | ---: | ---: | ---: | ---: |");
        foreach (var f in results)
            Console.WriteLine($"| {f.Subscribers:N0} | {(f.Shared ? "on" : "off")} | {f.Delivered:N0} / {f.Expected:N0} | {f.P50:F0} | {f.P90:F0} | {f.P99:F0} | {f.Max:F0} |");
        if (compare)
            foreach (var g in results.GroupBy(r => r.Subscribers))
                if (g.FirstOrDefault(r => r.Shared) is { } on && g.FirstOrDefault(r => !r.Shared) is { } off)
                    Console.WriteLine($"{g.Key:N0} subscribers: p50 off/on {off.P50 / on.P50:F1}x, p99 off/on {off.P99 / on.P99:F1}x");
        Console.WriteLine($"load average at the end: {LoadAverage()}");
        return 0;
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    private static async Task<Figures?> RunOnceAsync(int subscribers, int seconds, bool shared)
    {
        var root = ApiProcess.RepoRoot();
        var dll = Path.Combine(root, "api", "bin", "Release", "net10.0", "DanVanKheo.Api.dll");
        if (!File.Exists(dll))
        {
            Console.Error.WriteLine($"{dll} not found: build with -c Release first.");
            return null;
        }
        var port = ApiProcess.FreePort();
        var file = Path.Combine(Path.GetTempPath(), $"dvk-bench-subs-{Guid.NewGuid():N}.db");
        var psi = new ProcessStartInfo("dotnet", [dll, "--urls", $"http://127.0.0.1:{port}"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        psi.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        psi.Environment["Storage__LiteDbPath"] = file;
        psi.Environment["Storage__SeedDemoData"] = "false";
        psi.Environment["Authentication__Schemes__Bearer__ValidIssuer"] = ApiProcess.Issuer;
        psi.Environment["Authentication__Schemes__Bearer__ValidAudiences__0"] = ApiProcess.Audience;
        psi.Environment["Authentication__Schemes__Bearer__SigningKeys__0__Issuer"] = ApiProcess.Issuer;
        psi.Environment["Authentication__Schemes__Bearer__SigningKeys__0__Value"] = Convert.ToBase64String(ApiProcess.Key);
        psi.Environment["Subscriptions__MaxConnectionsPerCaller"] = (subscribers + 10).ToString();
        psi.Environment["Subscriptions__ShareExecutions"] = shared ? "true" : "false";
        psi.Environment["RateLimiting__AnonymousPerMinute"] = "10000000"; // N sockets from one IP would otherwise be refused as a flood
        psi.Environment["RateLimiting__AuthenticatedPerMinute"] = "10000000";
        psi.Environment["GraphQL__TrustedDocumentsOnly"] = "false"; // the bench's own set-up mutations are not in schema/operations
        psi.Environment["Logging__LogLevel__Default"] = "Warning";
        using var api = Process.Start(psi)!;
        api.OutputDataReceived += (_, _) => { };
        api.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine("api: " + e.Data); };
        api.BeginOutputReadLine();
        api.BeginErrorReadLine();
        try
        {
            var baseUri = new Uri($"http://127.0.0.1:{port}");
            using var http = new HttpClient { BaseAddress = baseUri };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ApiProcess.Token("bench-admin", ["Registry.Admin"]));
            await WaitUntilUpAsync(http);
            var province = await MutateAsync(http, "mutation($i: CreateUnitInput!) { createUnit(input: $i) { unit { id } errors { message } } }",
                new { i = new { code = "BENCH.TINH", name = "Tỉnh Thử Tải", kind = "PROVINCE" } }, "createUnit.unit.id");
            var commune = await MutateAsync(http, "mutation($i: CreateUnitInput!) { createUnit(input: $i) { unit { id } errors { message } } }",
                new { i = new { code = "BENCH.XA", name = "Xã Thử Tải", kind = "COMMUNE", parentId = province } }, "createUnit.unit.id");
            var fields = JsonNode.Parse(await (await http.PostAsync("/graphql", Json(new { query = "{ fields { id } }" }))).Content.ReadAsStringAsync())!;
            var fieldId = fields["data"]!["fields"]![0]!["id"]!.GetValue<string>();

            Console.WriteLine($"connecting {subscribers} subscribers…");
            var sw = Stopwatch.StartNew();
            var sent = new System.Collections.Concurrent.ConcurrentDictionary<string, long>();
            var latencies = new System.Collections.Concurrent.ConcurrentBag<double>();
            using var stop = new CancellationTokenSource();
            var clients = new List<Task<int>>();
            var connected = 0;
            var failed = 0;
            using var gate = new SemaphoreSlim(64);
            for (var i = 0; i < subscribers; i++)
            {
                await gate.WaitAsync();
                clients.Add(SubscriberAsync(port, province, sent, latencies, () => { Interlocked.Increment(ref connected); gate.Release(); },
                    () => { Interlocked.Increment(ref failed); gate.Release(); }, stop.Token));
            }
            while (Volatile.Read(ref connected) + Volatile.Read(ref failed) < subscribers) await Task.Delay(100);
            Console.WriteLine($"{connected} subscribed ({failed} failed) in {sw.Elapsed.TotalSeconds:F1} s; producing 1 event/s for {seconds} s");
            await Task.Delay(1000);

            for (var s = 0; s < seconds; s++)
            {
                var tick = Stopwatch.StartNew();
                var draft = await MutateAsync(http, "mutation($i: CreateEntryInput!) { createEntry(input: $i) { entry { id } errors { message } } }",
                    new { i = new { unitId = commune, title = $"Mô hình thử tải số {s + 1}", summary = "Đo độ trễ phát sự kiện.", kind = "MODEL", fieldId, level = "COMMUNE" } },
                    "createEntry.entry.id");
                sent[draft] = Stopwatch.GetTimestamp();
                await MutateAsync(http, "mutation($i: SubmitEntryInput!) { submitEntry(input: $i) { entry { id } errors { message } } }",
                    new { i = new { id = draft, version = 1 } }, "submitEntry.entry.id");
                var rest = TimeSpan.FromSeconds(1) - tick.Elapsed;
                if (rest > TimeSpan.Zero) await Task.Delay(rest);
            }
            await Task.Delay(3000);
            await stop.CancelAsync();
            var received = (await Task.WhenAll(clients)).Sum();
            var sorted = latencies.OrderBy(x => x).ToArray();
            double P(double q) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];
            Console.WriteLine($"subscribers: {connected} connected, {failed} refused or failed");
            Console.WriteLine($"events: {seconds} produced, {received} delivered of {seconds * (long)connected} expected");
            Console.WriteLine($"delivery latency (submitEntry sent → event received): p50 {P(0.50):F0} ms, p90 {P(0.90):F0} ms, p99 {P(0.99):F0} ms, max {P(1):F0} ms");
            return new Figures(subscribers, shared, connected, failed, received, seconds * (long)connected, P(0.50), P(0.90), P(0.99), P(1));
        }
        finally
        {
            if (!api.HasExited) api.Kill(entireProcessTree: true);
            await api.WaitForExitAsync();
            foreach (var f in new[] { file, file.Replace(".db", "-log.db") })
                if (File.Exists(f)) File.Delete(f);
        }
    }

    private static async Task<int> SubscriberAsync(int port, string unitId, System.Collections.Concurrent.ConcurrentDictionary<string, long> sent,
        System.Collections.Concurrent.ConcurrentBag<double> latencies, Action connected, Action failed, CancellationToken stop)
    {
        using var ws = new ClientWebSocket();
        ws.Options.AddSubProtocol("graphql-transport-ws");
        ws.Options.KeepAliveInterval = TimeSpan.Zero;
        var count = 0;
        var signalled = false;
        try
        {
            await ws.ConnectAsync(new Uri($"ws://127.0.0.1:{port}/graphql"), stop);
            await SendAsync(ws, new { type = "connection_init" });
            var buffer = new byte[16 * 1024];
            var ack = await ReceiveAsync(ws, buffer, stop);
            if (ack?["type"]?.GetValue<string>() != "connection_ack") throw new InvalidOperationException("no ack");
            await SendAsync(ws, new
            {
                id = "1", type = "subscribe",
                payload = new { query = "subscription($w: EntryRegisteredFilterInput) { entryRegistered(where: $w) { cursor entry { id } } }", variables = new { w = new { unitId } } },
            });
            connected();
            signalled = true;
            // The clients share the machine with the API: read each message with a forward-only
            // reader, not a DOM, so the figures measure the server more than the clients.
            using var ms = new MemoryStream();
            while (!stop.IsCancellationRequested)
            {
                ms.SetLength(0);
                WebSocketReceiveResult r;
                do
                {
                    r = await ws.ReceiveAsync(buffer, stop);
                    if (r.MessageType == WebSocketMessageType.Close) return count;
                    ms.Write(buffer, 0, r.Count);
                }
                while (!r.EndOfMessage);
                var (type, id) = TypeAndEntryId(ms.GetBuffer().AsSpan(0, (int)ms.Length));
                if (type == "ping") await SendAsync(ws, new { type = "pong" });
                else if (type == "next" && id is not null && sent.TryGetValue(id, out var t0))
                {
                    latencies.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
                    count++;
                }
            }
        }
        catch (Exception) when (stop.IsCancellationRequested || signalled)
        {
        }
        catch (Exception)
        {
            if (!signalled) failed();
        }
        return count;
    }

    /// <summary>The message's type and, in a next, the first "id" inside "entry".</summary>
    private static (string? Type, string? EntryId) TypeAndEntryId(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        string? type = null;
        var inEntry = false;
        while (reader.Read())
        {
            if (reader.TokenType != JsonTokenType.PropertyName) continue;
            if (reader.CurrentDepth == 1 && reader.ValueTextEquals("type"u8) && reader.Read()) type = reader.GetString();
            else if (reader.ValueTextEquals("entry"u8)) inEntry = true;
            else if (inEntry && reader.ValueTextEquals("id"u8) && reader.Read()) return (type, reader.GetString());
        }
        return (type, null);
    }

    private static async Task SendAsync(ClientWebSocket ws, object message) =>
        await ws.SendAsync(JsonSerializer.SerializeToUtf8Bytes(message), WebSocketMessageType.Text, true, CancellationToken.None);

    private static async Task<JsonNode?> ReceiveAsync(ClientWebSocket ws, byte[] buffer, CancellationToken ct)
    {
        using var ms = new MemoryStream();
        WebSocketReceiveResult r;
        do
        {
            r = await ws.ReceiveAsync(buffer, ct);
            if (r.MessageType == WebSocketMessageType.Close) return null;
            ms.Write(buffer, 0, r.Count);
        }
        while (!r.EndOfMessage);
        return JsonNode.Parse(ms.ToArray());
    }

    private static StringContent Json(object body) => new(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");

    private static async Task<string> MutateAsync(HttpClient http, string query, object variables, string path)
    {
        var response = await http.PostAsync("/graphql", Json(new { query, variables }));
        var text = await response.Content.ReadAsStringAsync();
        JsonNode? node = JsonNode.Parse(text)!["data"];
        foreach (var part in path.Split('.')) node = node?[part];
        return node?.GetValue<string>() ?? throw new InvalidOperationException(text);
    }

    private static async Task WaitUntilUpAsync(HttpClient http)
    {
        for (var i = 0; i < 300; i++)
        {
            try
            {
                var r = await http.PostAsync("/graphql", Json(new { query = "{ __typename }" }));
                if (r.StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(200);
        }
        throw new TimeoutException("The API did not start.");
    }


    private static int Arg(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], out var v) ? v : fallback;
    }
}
