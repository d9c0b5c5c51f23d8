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
        using var response = await factory.CreateClient().GetAsync(path);
        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
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
