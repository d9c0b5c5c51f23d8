using System.Diagnostics;
using System.Text;
using DanVanKheo.Api.Fields;
using DanVanKheo.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace DanVanKheo.Tests.Api;

/// <summary>The documents issue 13 used to burn minutes of CPU.</summary>
public static class QueryBombs
{
    /// <summary>The same field repeated with different arguments (1,000 aliases, about 30 kB).</summary>
    public static string RepeatedField(int count = 1_000) =>
        "{ " + string.Concat(Enumerable.Range(0, count).Select(i => $"e{i}: entries(first: {i % 200}) {{ totalCount }} ")) + "}";

    /// <summary>Fragment fan-out: each of <paramref name="levels"/> fragments spreads the next <paramref name="fanOut"/> times.</summary>
    /// <param name="nested">Spread inside one root field (Field) instead of on Query.</param>
    public static string FragmentFanOut(int levels = 8, int fanOut = 10, bool nested = false)
    {
        var sb = new StringBuilder(nested ? "{ fields { ...F0 } }\n" : "{ ...F0 }\n");
        for (var i = 0; i < levels; i++)
        {
            sb.Append($"fragment F{i} on {(nested ? "Field" : "Query")} {{ ");
            sb.Append(i == levels - 1 ? (nested ? "code" : "__typename") : string.Concat(Enumerable.Repeat($"...F{i + 1} ", fanOut)));
            sb.Append(" }\n");
        }
        return sb.ToString();
    }

    /// <summary>Wide and nested: each level selects <paramref name="width"/> aliased parents.</summary>
    public static string AliasTree(int levels = 5, int width = 6)
    {
        string Level(int depth) => depth == 0 ? "code" :
            string.Concat(Enumerable.Range(0, width).Select(i => $"p{i}: parent {{ {Level(depth - 1)} }} "));
        return "{ units(first: 200) { nodes { " + Level(levels) + "} } }";
    }
}

public sealed class CostLimitTests(RegistryApiFactory factory) : IClassFixture<RegistryApiFactory>
{
    private readonly GraphQLClient _client = factory.Client();

    public static TheoryData<string, string> Bombs() => new()
    {
        { "1,000 repeated entries(first:N){totalCount}", QueryBombs.RepeatedField() },
        { "8x10 fragment fan-out", QueryBombs.FragmentFanOut() },
        { "12x10 fragment fan-out", QueryBombs.FragmentFanOut(12, 10) },
        { "alias tree 6^4", QueryBombs.AliasTree(4, 6) },
        { "nested 8x10 fragment fan-out", QueryBombs.FragmentFanOut(8, 10, nested: true) },
        { "51 root fields", QueryBombs.RepeatedField(51) },
    };

    [Theory]
    [MemberData(nameof(Bombs))]
    public async Task Bombs_are_refused_before_execution(string name, string query)
    {
        var r = await _client.Run(query, accept: "application/graphql-response+json");
        Assert.True(r.Status == 400, $"{name}: {r.Status} {r.Body[..Math.Min(300, r.Body.Length)]}");
        Assert.Equal("QUERY_TOO_COMPLEX", r.FirstErrorCode);
        Assert.Null(r.Data);
    }

    [Fact]
    public async Task Operations_within_the_bounds_still_run()
    {
        (await _client.Run(QueryBombs.RepeatedField(50))).AssertNoErrors();
        (await _client.Run(QueryBombs.FragmentFanOut(2, 10))).AssertNoErrors();
        (await _client.Run(QueryBombs.FragmentFanOut(3, 10, nested: true))).AssertNoErrors();
    }

    [Fact]
    public async Task The_error_counts_expanded_fields()
    {
        var root = await _client.Run(QueryBombs.FragmentFanOut());
        // Vietnamese by default, numbers grouped the Vietnamese way.
        Assert.Contains("10.000.000 trường gốc", root.Errors![0]!["message"]!.GetValue<string>());
        var nested = await _client.Run(QueryBombs.FragmentFanOut(nested: true));
        Assert.Contains("10.000.001 trường", nested.Errors![0]!["message"]!.GetValue<string>());
    }
}

/// <summary>A field store that takes its time and tells when it was cancelled.</summary>
public sealed class SlowFieldStore : IFieldStore
{
    public TaskCompletionSource Cancelled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async Task<IReadOnlyList<Field>> ListAsync(CancellationToken ct = default)
    {
        Started.TrySetResult();
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(60), ct);
        }
        catch (OperationCanceledException)
        {
            Cancelled.TrySetResult();
            throw;
        }
        return [];
    }

    public Task<IReadOnlyList<Field>> GetByIdsAsync(IReadOnlyCollection<string> ids, CancellationToken ct = default) => ListAsync(ct);
    public Task EnsureStandardAsync(CancellationToken ct = default) => Task.CompletedTask;
    public Task InsertAsync(Field field, CancellationToken ct = default) => Task.CompletedTask;
}

public class SlowStoreApiFactory : RegistryApiFactory
{
    public SlowFieldStore Store { get; } = new();

    protected virtual string Timeout => "00:00:02";

    protected override void AddSettings(IDictionary<string, string?> settings) => settings["GraphQL:ExecutionTimeout"] = Timeout;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(s => s.AddSingleton<IFieldStore>(Store));
    }
}

public sealed class PatientSlowStoreApiFactory : SlowStoreApiFactory
{
    protected override string Timeout => "00:01:00";
}

public sealed class ExecutionTimeoutTests(SlowStoreApiFactory factory) : IClassFixture<SlowStoreApiFactory>
{
    [Fact]
    public async Task A_slow_operation_is_stopped_at_the_execution_timeout()
    {
        (await factory.Client().Run("{ __typename }")).AssertNoErrors(); // warm up: the timeout is short
        var watch = Stopwatch.StartNew();
        var r = await factory.Client().Run("{ fields { name } }");
        Assert.True(factory.Store.Started.Task.IsCompleted, "the store was never reached");
        Assert.Equal("EXECUTION_TIMEOUT", r.FirstErrorCode);
        Assert.Null(r.Data);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), watch.Elapsed.ToString());
        await factory.Store.Cancelled.Task.WaitAsync(TimeSpan.FromSeconds(5));
    }
}

public sealed class ClientAbortTests(PatientSlowStoreApiFactory factory) : IClassFixture<PatientSlowStoreApiFactory>
{
    [Fact]
    public async Task Work_stops_when_the_client_goes_away()
    {
        using var client = factory.CreateClient();
        using var abort = new CancellationTokenSource();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql")
        {
            Content = new StringContent("{\"query\":\"{ fields { name } }\"}", Encoding.UTF8, "application/json"),
        };
        var sending = client.SendAsync(request, abort.Token);
        await factory.Store.Started.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False(factory.Store.Cancelled.Task.IsCompleted);
        abort.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sending);
        // The store's 60 s wait ends within seconds: the request's token reached it.
        await factory.Store.Cancelled.Task.WaitAsync(TimeSpan.FromSeconds(5));
    }
}
