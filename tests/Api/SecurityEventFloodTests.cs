using System.Collections.Concurrent;
using DanVanKheo.Api.Hosting;
using DanVanKheo.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DanVanKheo.Tests.Api;

/// <summary>Keeps every formatted log line, with its structured values.</summary>
public sealed class CapturingLoggerProvider : ILoggerProvider
{
    public ConcurrentQueue<(string Category, string Message, IReadOnlyList<KeyValuePair<string, object?>> State)> Lines { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(CapturingLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.Lines.Enqueue((category, formatter(state, exception) + (exception is null ? "" : " " + exception),
                state as IReadOnlyList<KeyValuePair<string, object?>> ?? []));
    }
}

public sealed class FloodApiFactory : RegistryApiFactory
{
    public const int Detailed = 3;
    public CapturingLoggerProvider Logs { get; } = new();

    protected override void AddSettings(IDictionary<string, string?> settings)
    {
        settings["SecurityEvents:DetailedPerClientPerMinute"] = Detailed.ToString();
        settings["SecurityEvents:FlushInterval"] = "00:10:00"; // the test flushes itself
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(s =>
        {
            s.AddSingleton<ILoggerProvider>(Logs);
            s.AddTransient<IStartupFilter, ClientIpStartupFilter>();
        });
    }
}

public sealed class SecurityEventFloodTests(FloodApiFactory factory) : IClassFixture<FloodApiFactory>
{
    private readonly RegistryScenario _s = new(factory);

    private async Task<List<System.Text.Json.Nodes.JsonNode>> SecurityEvents()
    {
        var r = (await _s.Auditor.Run("{ auditEvents(first: 200, where: { kind: SECURITY }) { totalCount nodes { action reason requestId actor { id } } } }")).AssertNoErrors();
        return r.At("auditEvents.nodes").AsArray().Select(n => n!).ToList();
    }

    [Fact]
    public async Task A_flood_of_refusals_grows_the_audit_log_by_a_bounded_number_of_events()
    {
        var before = (await SecurityEvents()).Count;
        const int flood = 200;
        var anonymous = factory.Client();
        anonymous.Http.DefaultRequestHeaders.Add(ClientIpStartupFilter.Header, "10.99.0.1");
        await Parallel.ForEachAsync(Enumerable.Range(0, flood), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) =>
        {
            var r = await anonymous.Run($"mutation {{ createUnit(input: {{ code: \"FLOOD{i}\", name: \"Lũ\", kind: COMMUNE }}) {{ errors {{ code }} }} }}");
            Assert.Equal(401, r.Status);
        });
        var during = await SecurityEvents();
        // A minute boundary during the flood may give the client a second budget.
        Assert.InRange(during.Count - before, FloodApiFactory.Detailed, 2 * FloodApiFactory.Detailed);

        await factory.Services.GetRequiredService<SecurityEventLog>().FlushAsync(all: true);
        var after = await SecurityEvents();
        var summaries = after.Where(e => e["action"]!.GetValue<string>() == SecurityEventLog.SummaryAction).ToList();
        Assert.InRange(summaries.Count, 1, 2);
        var counted = summaries.Sum(e => int.Parse(e["reason"]!.GetValue<string>().Split(' ')[0]));
        Assert.Equal(flood, during.Count - before + counted);
        // Summaries are written in Vietnamese, like every reason in the audit log; they name the refused field.
        Assert.All(summaries, e => Assert.Contains("Thao tác thay đổi (mutation) cần có token đăng nhập.", e["reason"]!.GetValue<string>()));
        Assert.All(summaries, e => Assert.Contains("createUnit", e["reason"]!.GetValue<string>()));
        Assert.All(summaries, e => Assert.Contains("ip:10.99.0.1", e["reason"]!.GetValue<string>()));

        // Every refusal was logged, with its request id and reason.
        var logged = factory.Logs.Lines.Where(l => l.Category == typeof(SecurityEventLog).FullName && l.Message.Contains("Refused createUnit")).ToList();
        Assert.True(logged.Count >= flood, $"{logged.Count} log lines");
        Assert.All(logged, l => Assert.Contains(l.State, kv => kv.Key == "RequestId" && kv.Value is string { Length: > 0 }));
    }

    [Fact]
    public async Task Refusals_of_invalid_tokens_are_logged_without_the_token()
    {
        var token = RegistryApiFactory.Token("u1", ["Registry.Admin"], expires: DateTime.UtcNow.AddMinutes(-10));
        var r = await factory.Client(token).Run("{ __typename }");
        Assert.Equal(401, r.Status);
        var line = factory.Logs.Lines.LastOrDefault(l => l.Message.Contains("(bearer token)"));
        Assert.NotNull(line.Message);
        Assert.Contains(line.State, kv => kv.Key == "Reason" && kv.Value is string reason && reason.Contains("invalid or expired"));
        Assert.DoesNotContain(factory.Logs.Lines, l => l.Message.Contains(token) || l.Message.Contains(token.Split('.')[2]));
    }
}
