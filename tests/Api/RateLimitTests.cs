using System.Net;
using DanVanKheo.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace DanVanKheo.Tests.Api;

/// <summary>The in-memory server has no client address; tests say which one they are with a header.</summary>
public sealed class ClientIpStartupFilter : IStartupFilter
{
    public const string Header = "X-Test-Client-Ip";

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use((http, nextMiddleware) =>
        {
            if (http.Request.Headers.TryGetValue(Header, out var ip)) http.Connection.RemoteIpAddress = IPAddress.Parse(ip.ToString());
            return nextMiddleware(http);
        });
        next(app);
    };
}

public sealed class RateLimitedApiFactory : RegistryApiFactory
{
    public const int Anonymous = 5, Authenticated = 8, Mutations = 3, FailedAuthentications = 2;

    protected override void AddSettings(IDictionary<string, string?> settings)
    {
        settings["RateLimiting:AnonymousPerMinute"] = Anonymous.ToString();
        settings["RateLimiting:AuthenticatedPerMinute"] = Authenticated.ToString();
        settings["RateLimiting:MutationsPerMinute"] = Mutations.ToString();
        settings["RateLimiting:FailedAuthenticationsPerMinute"] = FailedAuthentications.ToString();
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(s => s.AddTransient<IStartupFilter, ClientIpStartupFilter>());
    }
}

public sealed class RateLimitTests(RateLimitedApiFactory factory) : IClassFixture<RateLimitedApiFactory>
{
    private static int _ip;

    private static string NewIp() => $"10.13.{Interlocked.Increment(ref _ip) / 250}.{_ip % 250 + 1}";

    private async Task<GraphQLResponse> Send(string ip, string query, string? token = null, object? variables = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql")
        {
            Content = new StringContent(System.Text.Json.JsonSerializer.Serialize(new { query, variables }), System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Add(ClientIpStartupFilter.Header, ip);
        return await new GraphQLClient(factory.CreateClient(), token).SendRaw(request);
    }

    private async Task<(int Status, string? RetryAfter, string Body)> SendWithHeaders(string ip, string? token = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql")
        {
            Content = new StringContent("{\"query\":\"{ __typename }\"}", System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Add(ClientIpStartupFilter.Header, ip);
        if (token is not null) request.Headers.Authorization = new("Bearer", token);
        using var response = await factory.CreateClient().SendAsync(request);
        return ((int)response.StatusCode, response.Headers.RetryAfter?.Delta?.TotalSeconds.ToString(), await response.Content.ReadAsStringAsync());
    }

    private static void AssertLimited((int Status, string? RetryAfter, string Body) r)
    {
        Assert.Equal(429, r.Status);
        Assert.NotNull(r.RetryAfter);
        Assert.InRange(int.Parse(r.RetryAfter!), 1, 60);
        Assert.Contains("\"code\":\"RATE_LIMITED\"", r.Body);
    }

    [Fact]
    public async Task Anonymous_callers_are_limited_per_ip_address()
    {
        var ip = NewIp();
        for (var i = 0; i < RateLimitedApiFactory.Anonymous; i++)
            Assert.Equal(200, (await SendWithHeaders(ip)).Status);
        AssertLimited(await SendWithHeaders(ip));
        Assert.Equal(200, (await SendWithHeaders(NewIp())).Status);
    }

    [Fact]
    public async Task Signed_in_callers_are_limited_per_subject_not_per_address()
    {
        var token = RegistryApiFactory.Token("rate-subject-" + Guid.NewGuid().ToString("N")[..8], ["Registry.Auditor"]);
        for (var i = 0; i < RateLimitedApiFactory.Authenticated; i++)
            Assert.Equal(200, (await SendWithHeaders(NewIp(), token)).Status);
        AssertLimited(await SendWithHeaders(NewIp(), token));
        // Another subject, and anonymous callers, from the same address are not affected.
        var ip = NewIp();
        Assert.Equal(200, (await SendWithHeaders(ip, RegistryApiFactory.Token("other-" + Guid.NewGuid().ToString("N")[..8]))).Status);
        Assert.Equal(200, (await SendWithHeaders(ip)).Status);
    }

    [Fact]
    public async Task Mutations_have_a_tighter_budget()
    {
        var token = RegistryApiFactory.AdminToken("rate-admin-" + Guid.NewGuid().ToString("N")[..8]);
        const string create = "mutation($i: CreateUnitInput!) { createUnit(input: $i) { unit { id } errors { code } } }";
        object Input() => new { i = new { code = RegistryScenario.UniqueCode("RL"), name = "Xã Giới Hạn", kind = "COMMUNE" } };
        for (var i = 0; i < RateLimitedApiFactory.Mutations; i++)
            (await Send(NewIp(), create, token, Input())).AssertNoErrors();
        var refused = await Send(NewIp(), create, token, Input());
        Assert.Equal(429, refused.Status);
        Assert.Equal("RATE_LIMITED", refused.FirstErrorCode);
        Assert.Null(refused.Data);
        // Reads still go through for the same subject.
        (await Send(NewIp(), "{ __typename }", token)).AssertNoErrors();
    }

    [Fact]
    public async Task Failed_authentication_has_the_tightest_budget()
    {
        var ip = NewIp();
        const string bad = "not.a.valid-token";
        for (var i = 0; i < RateLimitedApiFactory.FailedAuthentications; i++)
            Assert.Equal(401, (await SendWithHeaders(ip, bad)).Status);
        AssertLimited(await SendWithHeaders(ip, bad));
        Assert.Equal(401, (await SendWithHeaders(NewIp(), bad)).Status);
    }
}
