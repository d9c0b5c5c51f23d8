using System.Collections.Concurrent;
using System.Net;
using DanVanKheo.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace DanVanKheo.Tests.Api;

/// <summary>
/// The connection's address comes from a test header (the in-memory server has none), and what
/// the API saw once its pipeline ran (client address, scheme) is kept per probe id.
/// </summary>
public sealed class ProxiedApiFactory : RegistryApiFactory
{
    public const string KnownProxy = "10.20.0.1", KnownNetwork = "10.30.0.0/16";
    public const int AnonymousPerMinute = 3;
    public const string Probe = "X-Test-Probe";

    public ConcurrentDictionary<string, (string? Client, string Scheme)> Seen { get; } = new();

    protected override void AddSettings(IDictionary<string, string?> settings)
    {
        settings["Proxy:KnownProxies:0"] = KnownProxy;
        settings["Proxy:KnownNetworks:0"] = KnownNetwork;
        settings["RateLimiting:AnonymousPerMinute"] = AnonymousPerMinute.ToString();
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(s => s.AddSingleton<IStartupFilter>(new Recorder(this)));
    }

    private sealed class Recorder(ProxiedApiFactory factory) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(async (http, nextMiddleware) =>
            {
                if (http.Request.Headers.TryGetValue(ClientIpStartupFilter.Header, out var ip))
                    http.Connection.RemoteIpAddress = IPAddress.Parse(ip.ToString());
                var probe = http.Request.Headers[Probe].ToString();
                await nextMiddleware(http);
                if (probe.Length > 0) factory.Seen[probe] = (http.Connection.RemoteIpAddress?.ToString(), http.Request.Scheme);
            });
            next(app);
        };
    }
}

public sealed class ForwardedHeadersTests(ProxiedApiFactory factory) : IClassFixture<ProxiedApiFactory>
{
    private static int _next;

    private static string NewClient() => $"203.0.113.{Interlocked.Increment(ref _next)}";

    private async Task<(HttpStatusCode Status, string? Client, string Scheme)> Send(string peer, string? forwardedFor, string? forwardedProto = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql")
        {
            Content = new StringContent("""{"query":"{ __typename }"}""", System.Text.Encoding.UTF8, "application/json"),
        };
        var probe = Guid.NewGuid().ToString("N");
        request.Headers.Add(ClientIpStartupFilter.Header, peer);
        request.Headers.Add(ProxiedApiFactory.Probe, probe);
        if (forwardedFor is not null) request.Headers.Add("X-Forwarded-For", forwardedFor);
        if (forwardedProto is not null) request.Headers.Add("X-Forwarded-Proto", forwardedProto);
        using var response = await factory.CreateClient().SendAsync(request);
        var seen = factory.Seen[probe];
        return (response.StatusCode, seen.Client, seen.Scheme);
    }

    [Theory]
    [InlineData(ProxiedApiFactory.KnownProxy)]
    [InlineData("10.30.7.9")]
    public async Task A_known_proxy_names_the_client_and_the_scheme(string proxy)
    {
        var client = NewClient();
        var (status, seenClient, scheme) = await Send(proxy, client, "https");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(client, seenClient);
        Assert.Equal("https", scheme);
    }

    [Fact]
    public async Task An_unknown_sender_cannot_pick_its_address_or_scheme()
    {
        var peer = "192.0.2.77";
        var (status, seenClient, scheme) = await Send(peer, NewClient(), "https");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(peer, seenClient);
        Assert.Equal("http", scheme);
    }

    [Fact]
    public async Task Behind_a_known_proxy_each_client_has_its_own_rate_limit_budget()
    {
        var first = NewClient();
        for (var i = 0; i < ProxiedApiFactory.AnonymousPerMinute; i++)
            Assert.Equal(HttpStatusCode.OK, (await Send(ProxiedApiFactory.KnownProxy, first)).Status);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await Send(ProxiedApiFactory.KnownProxy, first)).Status);
        // Another client behind the same proxy is not counted against the first one's budget.
        Assert.Equal(HttpStatusCode.OK, (await Send(ProxiedApiFactory.KnownProxy, NewClient())).Status);
    }

    [Fact]
    public async Task Behind_an_unknown_sender_a_new_forwarded_address_does_not_buy_a_new_budget()
    {
        var peer = "198.51.100.23";
        for (var i = 0; i < ProxiedApiFactory.AnonymousPerMinute; i++)
            Assert.Equal(HttpStatusCode.OK, (await Send(peer, NewClient())).Status);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await Send(peer, NewClient())).Status);
    }
}
