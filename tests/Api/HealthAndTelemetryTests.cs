using System.Diagnostics;
using DanVanKheo.Api.Fields;
using DanVanKheo.Api.Hosting;
using DanVanKheo.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace DanVanKheo.Tests.Api;

public sealed class TelemetryApiFactory : RegistryApiFactory
{
    public List<Activity> Spans { get; } = [];
    public List<MetricSnapshot> Metrics { get; } = [];
    public CapturingLoggerProvider Logs { get; } = new();

    protected override void AddSettings(IDictionary<string, string?> settings) =>
        settings[TelemetryRegistration.OtlpEndpoint] = "http://127.0.0.1:4317";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(s =>
        {
            s.AddSingleton<ILoggerProvider>(Logs);
            s.ConfigureOpenTelemetryTracerProvider(t => t.AddInMemoryExporter(Spans));
            s.ConfigureOpenTelemetryMeterProvider(m => m.AddInMemoryExporter(Metrics));
        });
    }
}

public sealed class TelemetryTests(TelemetryApiFactory factory) : IClassFixture<TelemetryApiFactory>
{
    [Fact]
    public async Task Each_operation_is_a_span_with_its_name_and_type_and_is_counted_by_outcome_and_error_code()
    {
        var client = factory.Client();
        var name = "Probe" + Guid.NewGuid().ToString("N")[..8];
        (await client.Run($"query {name} {{ fields {{ code }} }}")).AssertNoErrors();
        // A request refused before execution is named by its operationName (its document did not validate).
        var refused = await client.Send(new { query = $"query {name}Bad {{ noSuchField }}", operationName = name + "Bad" });
        Assert.Equal("GRAPHQL_VALIDATION_FAILED", refused.FirstErrorCode);

        factory.Services.GetRequiredService<TracerProvider>().ForceFlush();
        Activity[] spans;
        lock (factory.Spans) spans = [.. factory.Spans];
        var span = Assert.Single(spans, s => s.Source.Name == GraphQLTelemetry.SourceName && (string?)s.GetTagItem("graphql.operation.name") == name);
        Assert.Equal("query", span.GetTagItem("graphql.operation.type"));
        Assert.Equal($"query {name}", span.DisplayName);
        Assert.Equal("ok", span.GetTagItem("graphql.outcome"));
        // The operation's span sits under the ASP.NET Core request span.
        Assert.Contains(spans, s => s.Source.Name == "Microsoft.AspNetCore" && s.SpanId == span.ParentSpanId);

        factory.Services.GetRequiredService<MeterProvider>().ForceFlush();
        List<MetricSnapshot> metrics;
        lock (factory.Metrics) metrics = [.. factory.Metrics];
        Assert.Equal(1, Sum(metrics, "graphql.requests", ("graphql.operation.name", name), ("outcome", "ok")));
        Assert.Equal(1, Sum(metrics, "graphql.requests", ("graphql.operation.name", name + "Bad"), ("outcome", "refused")));
        Assert.True(Sum(metrics, "graphql.errors", ("code", "GRAPHQL_VALIDATION_FAILED")) >= 1);
    }

    [Fact]
    public async Task Store_calls_are_spans_under_the_operation_and_registrations_and_ballots_are_counted()
    {
        // The SDK listens to every meter named "DanVanKheo" in the process, other tests' hosts
        // included; exact counts come from this host's own meter (its IMeterFactory's scope).
        var counted = new System.Collections.Concurrent.ConcurrentDictionary<string, long>();
        var scope = factory.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>();
        using var listener = new System.Diagnostics.Metrics.MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (ReferenceEquals(instrument.Meter.Scope, scope) && instrument.Name.StartsWith("registry.", StringComparison.Ordinal))
                    l.EnableMeasurementEvents(instrument);
            },
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            var key = instrument.Name;
            foreach (var tag in tags) key += $"|{tag.Key}={tag.Value}";
            counted.AddOrUpdate(key, value, (_, v) => v + value);
        });
        listener.Start();

        var rounds = new DanVanKheo.Tests.Rounds.RoundScenario(factory);
        var province = DanVanKheo.Tests.Rounds.RoundScenario.Id(await rounds.Registry.CreateUnit("Tỉnh Đo Lường", "PROVINCE"));
        var commune = DanVanKheo.Tests.Rounds.RoundScenario.Id(await rounds.Registry.CreateUnit("Xã Đo Lường", "COMMUNE", province));
        // The chair's home is a department: neither above nor below the nominating commune (no conflict of interest).
        var department = DanVanKheo.Tests.Rounds.RoundScenario.Id(await rounds.Registry.CreateUnit("Sở Nội vụ", "DEPARTMENT", province));
        var council = await rounds.CreateCouncil(rounds.Admin, province);
        await rounds.AddMember(rounds.Admin, DanVanKheo.Tests.Rounds.RoundScenario.Id(council), council["version"]!.GetValue<int>(),
            "metrics-chair", "Nguyễn Thị Đo", department, "CHAIR");
        var entry = await rounds.RegisteredEntry(commune, "Mô hình “Dân vận khéo” đo đếm được");
        var created = await rounds.CreateRound(rounds.Admin, DanVanKheo.Tests.Rounds.RoundScenario.RoundInput(
            DanVanKheo.Tests.Rounds.RoundScenario.Id(council), province, DateTime.UtcNow.AddDays(1), DateTime.UtcNow.AddDays(2)));
        DanVanKheo.Tests.Rounds.RoundScenario.Ok(created, "createRound");
        var roundId = DanVanKheo.Tests.Rounds.RoundScenario.Id(created.At("createRound.round"));
        var chair = rounds.User("metrics-chair");
        DanVanKheo.Tests.Rounds.RoundScenario.Ok(await rounds.Step(chair, "openNominations", roundId, 1), "openNominations");
        var nominated = await rounds.Nominate(rounds.Registry.EditorOf(commune, "metrics-editor"), roundId, DanVanKheo.Tests.Rounds.RoundScenario.Id(entry));
        DanVanKheo.Tests.Rounds.RoundScenario.Ok(nominated, "nominateEntry");
        DanVanKheo.Tests.Rounds.RoundScenario.Ok(await rounds.Step(chair, "openVoting", roundId, 2), "openVoting");
        var nomination = DanVanKheo.Tests.Rounds.RoundScenario.Id(nominated.At("nominateEntry.nomination"));
        DanVanKheo.Tests.Rounds.RoundScenario.Ok(await rounds.Cast(chair, nomination, "APPROVE", [9, 4]), "castBallot");
        // A refused mutation is counted by its code.
        var again = await rounds.Nominate(rounds.Registry.EditorOf(commune, "metrics-editor"), roundId, DanVanKheo.Tests.Rounds.RoundScenario.Id(entry));
        Assert.Equal("ROUND_NOT_OPEN", DanVanKheo.Tests.Rounds.RoundScenario.ErrorCode(again, "nominateEntry"));

        var name = "Store" + Guid.NewGuid().ToString("N")[..8];
        (await factory.Client().Run($"query {name} {{ entries(first: 1) {{ totalCount }} }}")).AssertNoErrors();

        factory.Services.GetRequiredService<TracerProvider>().ForceFlush();
        Activity[] spans;
        lock (factory.Spans) spans = [.. factory.Spans];
        var operation = Assert.Single(spans, s => s.Source.Name == GraphQLTelemetry.SourceName && (string?)s.GetTagItem("graphql.operation.name") == name);
        var byId = spans.ToDictionary(s => s.SpanId);
        bool Under(Activity span, Activity ancestor)
        {
            for (var p = span.ParentSpanId; byId.TryGetValue(p, out var parent); p = parent.ParentSpanId)
                if (parent.SpanId == ancestor.SpanId) return true;
            return false;
        }
        var find = Assert.Single(spans, s => s.Source.Name == StoreSpanProxy.SourceName && s.DisplayName == "IEntryStore.FindAsync" && Under(s, operation));
        Assert.Equal(RegistryApiFactory.OnMongo ? "mongodb" : "litedb", find.GetTagItem("db.system.name"));
        Assert.Equal(ActivityStatusCode.Unset, find.Status);
        Assert.Contains(spans, s => s.Source.Name == StoreSpanProxy.SourceName && s.DisplayName == "IRoundStore.CastBallotAsync");
        if (RegistryApiFactory.OnMongo)
            // The driver's own spans sit under the store span that issued them.
            Assert.Contains(spans, s => s.Source.Name == MongoDB.Driver.MongoTelemetry.ActivitySourceName && Under(s, find));

        factory.Services.GetRequiredService<MeterProvider>().ForceFlush();
        List<MetricSnapshot> metrics;
        lock (factory.Metrics) metrics = [.. factory.Metrics];
        // Exported: the round is this test's own, so its count is exact even in the shared exporter.
        Assert.Equal(1, Sum(metrics, "registry.ballots.cast", ("round.id", RegistryScenario.LocalId(roundId))));
        Assert.True(Sum(metrics, "registry.entries.registered") >= 1);
        Assert.True(Sum(metrics, "registry.refusals", ("mutation", "nominateEntry"), ("code", "ROUND_NOT_OPEN")) >= 1);
        // This host's own counts.
        Assert.Equal(1, counted.Where(c => c.Key.StartsWith("registry.entries.registered|", StringComparison.Ordinal)).Sum(c => c.Value));
        Assert.Contains("entry.level=", Assert.Single(counted.Keys, k => k.StartsWith("registry.entries.registered|", StringComparison.Ordinal)));
        Assert.Equal(1, counted.GetValueOrDefault($"registry.ballots.cast|round.id={RegistryScenario.LocalId(roundId)}"));
        Assert.Equal(1, counted.GetValueOrDefault("registry.refusals|mutation=nominateEntry|code=ROUND_NOT_OPEN"));
    }

    [Fact]
    public void The_OTLP_exporter_is_configured_when_the_endpoint_is_set()
    {
        _ = factory.Services; // starts the host
        Assert.Contains(factory.Logs.Lines, l => l.Message.Contains("exported over OTLP to http://127.0.0.1:4317"));
    }

    /// <summary>The latest cumulative value of a counter for the points whose tags include <paramref name="tags"/>.</summary>
    private static long Sum(List<MetricSnapshot> metrics, string name, params (string Key, string Value)[] tags)
    {
        long total = 0;
        foreach (var metric in metrics.Where(m => m.Name == name).TakeLast(1))
            foreach (var point in metric.MetricPoints)
            {
                var pointTags = new Dictionary<string, object?>();
                foreach (var tag in point.Tags) pointTags[tag.Key] = tag.Value;
                if (tags.All(t => Equals(pointTags.GetValueOrDefault(t.Key), t.Value))) total += point.GetSumLong();
            }
        return total;
    }
}

public sealed class HealthTests(RegistryApiFactory factory) : IClassFixture<RegistryApiFactory>
{
    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    public async Task Health_endpoints_answer_healthy(string path)
    {
        using var client = factory.CreateClient();
        // The new store's empty search index and report summary are built in the background, in moments.
        var response = await client.GetAsync(path);
        for (var i = 0; i < 100 && response.StatusCode != System.Net.HttpStatusCode.OK; i++)
        {
            response.Dispose();
            await Task.Delay(100);
            response = await client.GetAsync(path);
        }
        using (response)
        {
            Assert.Equal(200, (int)response.StatusCode);
            Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
        }
    }
}

/// <summary>An embedded store without a search index whose rebuild waits until the test lets it go.</summary>
public sealed class RebuildingIndexApiFactory : RegistryApiFactory
{
    public TaskCompletionSource CatchUp { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    protected override void AddSettings(IDictionary<string, string?> settings)
    {
        // The embedded store's own index is under test, whatever store the run's API tests use.
        settings["ConnectionStrings:Mongo"] = "";
        settings["Storage:SeedDemoData"] = "true";
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(s => s.AddSingleton(sp => new DanVanKheo.Api.Storage.LiteDb.LiteDbContext(
            DataFile, sp.GetRequiredService<ILoggerFactory>().CreateLogger("LiteDbContext"),
            DanVanKheo.Api.Storage.LiteDb.Search.EntryIndex.DefaultCommitInterval, CatchUp.Task)));
    }

    protected override void Dispose(bool disposing)
    {
        CatchUp.TrySetResult();
        base.Dispose(disposing);
    }
}

public sealed class SearchIndexReadinessTests(RebuildingIndexApiFactory factory) : IClassFixture<RebuildingIndexApiFactory>
{
    private const string Count = "{ entries(first: 1, where: { search: \"dan van\" }) { totalCount } }";

    [Fact]
    public async Task Ready_waits_for_the_search_index_rebuild_while_searches_answer_from_the_store()
    {
        using var http = factory.CreateClient();
        var client = factory.Client();
        var db = factory.Services.GetRequiredService<DanVanKheo.Api.Storage.LiteDb.LiteDbContext>();
        Assert.True(db.EntryIndex.Startup.Rebuild);

        // Rebuild held: not ready, but alive, and a search answers (from the store).
        for (var i = 0; i < 3; i++)
        {
            using var notReady = await http.GetAsync("/health/ready");
            Assert.Equal(503, (int)notReady.StatusCode);
            Assert.Equal("Unhealthy", await notReady.Content.ReadAsStringAsync());
        }
        using (var live = await http.GetAsync("/health/live")) Assert.Equal(200, (int)live.StatusCode);
        Assert.False(db.EntryIndex.IsReady);
        var fromStore = (await client.Run(Count)).AssertNoErrors().At("entries.totalCount").GetValue<int>();
        Assert.True(fromStore > 0, "the demo data has entries about 'dân vận'");

        factory.CatchUp.SetResult();
        var ready = await http.GetAsync("/health/ready");
        for (var i = 0; i < 300 && (int)ready.StatusCode != 200; i++)
        {
            ready.Dispose();
            await Task.Delay(100);
            ready = await http.GetAsync("/health/ready");
        }
        using (ready) Assert.Equal(200, (int)ready.StatusCode);

        // Ready means caught up: the index itself answers now, with what the store answered.
        Assert.True(db.EntryIndex.IsReady);
        Assert.Equal(db.Entries.Count(), db.EntryIndex.DocumentCount());
        Assert.Equal(fromStore, (await client.Run(Count)).AssertNoErrors().At("entries.totalCount").GetValue<int>());
    }
}

public sealed class BrokenStoreHealthTests(BrokenStoreApiFactory factory) : IClassFixture<BrokenStoreApiFactory>
{
    [Fact]
    public async Task Ready_fails_when_the_store_does_not_answer_while_live_holds()
    {
        using var client = factory.CreateClient();
        using var ready = await client.GetAsync("/health/ready");
        Assert.Equal(503, (int)ready.StatusCode);
        var body = await ready.Content.ReadAsStringAsync();
        Assert.Equal("Unhealthy", body);
        Assert.DoesNotContain(BrokenFieldStore.Secret, body);
        using var live = await client.GetAsync("/health/live");
        Assert.Equal(200, (int)live.StatusCode);
    }
}
