using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using DanVanKheo.Api.Auth;
using DanVanKheo.Api.Common;
using DanVanKheo.Api.Councils;
using DanVanKheo.Api.Entries;
using DanVanKheo.Api.Replications;
using DanVanKheo.Api.Rounds;
using DanVanKheo.Api.Units;
using DanVanKheo.Api.Reports;
using DanVanKheo.Api.GraphQL;
using DanVanKheo.Api.Hosting;
using DanVanKheo.Api.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DanVanKheo.Bench;

/// <summary>
/// <c>bombs [repeats]</c>: the query bombs of issue 13 sent through the GraphQL transport
/// (GraphQLHttpEndpoint with the API's services, in process, no network), timing each refusal.
/// </summary>
public static class BombBench
{
    public static async Task<int> RunAsync(string[] args)
    {
        var repeats = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 20;
        var file = Path.Combine(Path.GetTempPath(), $"dvk-bench-{Guid.NewGuid():N}.db");
        try
        {
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Storage:LiteDbPath"] = file,
                ["Storage:SeedDemoData"] = "false",
            }).Build();
            var environment = new BenchEnvironment();
            var services = new ServiceCollection()
                .AddLogging()
                .AddSingleton<IConfiguration>(configuration)
                .AddSingleton(TimeProvider.System)
                .AddRegistryCore()
                .AddStorage(configuration)
                .AddRegistryAuth(configuration, environment)
                .AddUnits()
                .AddEntries()
                .AddReplications()
                .AddCouncils()
                .AddRounds()
                .AddReports()
                .AddRegistryGraphQL(configuration, environment)
                .AddRegistryRateLimits(configuration)
                .AddSecurityEvents(configuration)
                .BuildServiceProvider();
            var endpoint = services.GetRequiredService<GraphQLHttpEndpoint>();

            (string Name, string Query)[] bombs =
            [
                ("1,000 × entries(first:N){totalCount} (30 kB)", Repeated(1_000)),
                ("8 fragments × 10 spreads on Query (758 B)", FanOut(8, 10, false)),
                ("8 fragments × 10 spreads inside fields { }", FanOut(8, 10, true)),
                ("12 fragments × 10 spreads", FanOut(12, 10, false)),
                ("accepted: 50 × entries(first:N){totalCount}", Repeated(50)),
            ];
            await SendAsync(services, endpoint, "{ __typename }"); // warm-up: schema initialisation
            foreach (var (name, query) in bombs)
            {
                var times = new List<double>();
                string outcome = "";
                for (var i = 0; i < repeats; i++)
                {
                    var watch = Stopwatch.StartNew();
                    outcome = await SendAsync(services, endpoint, query);
                    times.Add(watch.Elapsed.TotalMilliseconds);
                }
                times.Sort();
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{name}: {Encoding.UTF8.GetByteCount(query):N0} bytes, {outcome}; first {times.Count} runs: median {times[times.Count / 2]:F1} ms, max {times[^1]:F1} ms"));
            }
            return 0;
        }
        finally
        {
            foreach (var f in new[] { file, file.Replace(".db", "-log.db") })
                if (File.Exists(f)) File.Delete(f);
        }
    }

    private static async Task<string> SendAsync(IServiceProvider services, GraphQLHttpEndpoint endpoint, string query)
    {
        using var scope = services.CreateScope();
        var http = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        http.Request.Method = "POST";
        http.Request.ContentType = "application/json";
        http.Request.Headers.Accept = "application/graphql-response+json";
        http.Request.Body = new MemoryStream(JsonSerializer.SerializeToUtf8Bytes(new { query }));
        var body = new MemoryStream();
        http.Response.Body = body;
        await endpoint.HandleAsync(http);
        using var doc = JsonDocument.Parse(body.ToArray());
        var code = doc.RootElement.TryGetProperty("errors", out var errors)
            ? errors[0].GetProperty("extensions").GetProperty("code").GetString()
            : "ok";
        return $"HTTP {http.Response.StatusCode} {code}";
    }

    private static string Repeated(int count) =>
        "{ " + string.Concat(Enumerable.Range(0, count).Select(i => $"e{i}: entries(first: {i % 200}) {{ totalCount }} ")) + "}";

    private static string FanOut(int levels, int fanOut, bool nested)
    {
        var sb = new StringBuilder(nested ? "{ fields { ...F0 } }\n" : "{ ...F0 }\n");
        for (var i = 0; i < levels; i++)
            sb.Append($"fragment F{i} on {(nested ? "Field" : "Query")} {{ ")
              .Append(i == levels - 1 ? (nested ? "code" : "__typename") : string.Concat(Enumerable.Repeat($"...F{i + 1} ", fanOut)))
              .Append(" }\n");
        return sb.ToString();
    }

    private sealed class BenchEnvironment : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = Environments.Development;
        public string ApplicationName { get; set; } = "DanVanKheo.Bench";
        public string ContentRootPath { get; set; } = AppContext.BaseDirectory;
        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}
