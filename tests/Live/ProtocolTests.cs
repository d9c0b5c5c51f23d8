using DanVanKheo.Tests.Infrastructure;

namespace DanVanKheo.Tests.Live;

/// <summary>The API with tight live-update limits, so the protocol's refusals show quickly.</summary>
public sealed class TightLimitsApiFactory : RegistryApiFactory
{
    protected override void AddSettings(IDictionary<string, string?> settings)
    {
        settings["Subscriptions:MaxConnectionsPerCaller"] = "2";
        settings["Subscriptions:MaxSubscriptionsPerConnection"] = "2";
        settings["Subscriptions:MaxMessageBytes"] = "4096";
        settings["Subscriptions:InitTimeout"] = "00:00:00.500";
        settings["Subscriptions:KeepAlive"] = "00:00:01";
        settings["Subscriptions:IdleTimeout"] = "00:00:03";
    }
}

/// <summary>graphql-transport-ws close codes and limits through a real socket.</summary>
public sealed class ProtocolTests(TightLimitsApiFactory factory) : IClassFixture<TightLimitsApiFactory>
{
    private const string Sub = "subscription { entryRegistered { cursor } }";

    private static async Task AssertClosed(WsClient ws, int code)
    {
        WsFrame f;
        do f = await ws.ReceiveAsync(TimeSpan.FromSeconds(10));
        while (f.CloseCode is null);
        Assert.Equal(code, f.CloseCode);
    }

    [Fact]
    public async Task No_connection_init_within_the_timeout_closes_4408()
    {
        await using var ws = await WsClient.OpenAsync(factory);
        await AssertClosed(ws, 4408);
    }

    [Fact]
    public async Task A_second_connection_init_closes_4429_and_subscribe_before_ack_closes_4401()
    {
        await using var twice = await WsClient.ConnectAsync(factory, RegistryApiFactory.Token("twice"));
        await twice.SendAsync(new { type = "connection_init" });
        await AssertClosed(twice, 4429);

        await using var early = await WsClient.OpenAsync(factory);
        await early.SubscribeAsync("1", Sub);
        await AssertClosed(early, 4401);
    }

    [Fact]
    public async Task A_duplicate_subscription_id_closes_4409_and_too_many_subscriptions_get_an_error()
    {
        await using var ws = await WsClient.ConnectAsync(factory, RegistryApiFactory.Token("dup-ids"));
        await ws.SubscribeAsync("a", Sub);
        await ws.SubscribeAsync("b", Sub);
        await ws.SubscribeAsync("c", Sub);
        var third = await ws.NextOfAsync("c");
        Assert.True(third.Type == "error", $"{third.Message?.ToJsonString()} / close {third.CloseCode} {third.CloseReason}");
        Assert.Equal("TOO_MANY_SUBSCRIPTIONS", third.Message!["payload"]![0]!["extensions"]!["code"]!.GetValue<string>());
        await ws.SubscribeAsync("a", Sub);
        await AssertClosed(ws, 4409);
    }

    [Fact]
    public async Task Invalid_messages_close_4400_and_oversized_ones_1009()
    {
        await using var garbage = await WsClient.ConnectAsync(factory, RegistryApiFactory.Token("garbage"));
        await garbage.SendTextAsync("{ not json");
        await AssertClosed(garbage, 4400);

        await using var unknown = await WsClient.ConnectAsync(factory, RegistryApiFactory.Token("unknown"));
        await unknown.SendAsync(new { type = "launch_missiles" });
        await AssertClosed(unknown, 4400);

        await using var big = await WsClient.ConnectAsync(factory, RegistryApiFactory.Token("big"));
        await big.SubscribeAsync("1", "subscription { entryRegistered { cursor } } # " + new string('x', 5000));
        await AssertClosed(big, 1009);
    }

    [Fact]
    public async Task A_bad_token_closes_4403_and_a_token_that_expires_closes_the_socket_4403()
    {
        await using var forged = await WsClient.OpenAsync(factory);
        await forged.SendAsync(new { type = "connection_init", payload = new { Authorization = "Bearer " + RegistryApiFactory.Token("x", key: new byte[48]) } });
        await AssertClosed(forged, 4403);

        var expiring = RegistryApiFactory.Token("short-lived", expires: DateTime.UtcNow.AddSeconds(2));
        await using var ws = await WsClient.ConnectAsync(factory, expiring);
        await ws.SubscribeAsync("1", Sub);
        var f = await ws.NextOfAsync("1", TimeSpan.FromSeconds(8));
        Assert.Equal(4403, f.CloseCode);
    }

    [Fact]
    public async Task A_connection_flood_from_one_caller_is_refused_4429_and_a_freed_slot_is_reusable()
    {
        var token = RegistryApiFactory.Token("flooder");
        var first = await WsClient.ConnectAsync(factory, token);
        await using var second = await WsClient.ConnectAsync(factory, token);
        await using (var third = await WsClient.OpenAsync(factory))
        {
            await third.SendAsync(new { type = "connection_init", payload = new { Authorization = "Bearer " + token } });
            await AssertClosed(third, 4429);
        }
        // Another caller is not affected.
        await using var other = await WsClient.ConnectAsync(factory, RegistryApiFactory.Token("someone-else"));
        await first.DisposeAsync();
        await Task.Delay(300);
        await using var again = await WsClient.ConnectAsync(factory, token);
    }

    [Fact]
    public async Task A_silent_client_is_closed_after_the_idle_timeout()
    {
        await using var ws = await WsClient.OpenAsync(factory);
        await ws.SendAsync(new { type = "connection_init" });
        // Read the ack but never answer pings: the server closes after IdleTimeout.
        var buffer = new byte[1024];
        var sw = System.Diagnostics.Stopwatch.StartNew();
        var closed = await ws.ReceiveRawUntilCloseAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(1001, closed);
        Assert.True(sw.Elapsed >= TimeSpan.FromSeconds(2.5), $"closed after {sw.Elapsed}");
    }

    [Fact]
    public async Task A_WebSocket_without_the_subprotocol_is_refused_and_the_limits_are_validated_on_start()
    {
        await Assert.ThrowsAnyAsync<Exception>(() => WsClient.OpenAsync(factory, "graphql-ws"));
        await using var bad = new BadOptionsFactory();
        var e = Assert.ThrowsAny<Exception>(() => bad.CreateClient());
        Assert.Contains("MaxConnectionsPerCaller", e.ToString());
    }

    private sealed class BadOptionsFactory : RegistryApiFactory
    {
        protected override void AddSettings(IDictionary<string, string?> settings) => settings["Subscriptions:MaxConnectionsPerCaller"] = "0";
    }
}
