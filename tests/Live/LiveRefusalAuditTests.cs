using System.Text.Json.Nodes;
using DanVanKheo.Api.Hosting;
using DanVanKheo.Tests.Infrastructure;
using DanVanKheo.Tests.Rounds;
using Microsoft.Extensions.DependencyInjection;
using static DanVanKheo.Tests.Rounds.RoundScenario;

namespace DanVanKheo.Tests.Live;

/// <summary>Few detailed security events per client and minute, so the aggregation shows; the test flushes itself.</summary>
public sealed class LiveRefusalApiFactory : RegistryApiFactory
{
    public const int Detailed = 2;

    protected override void AddSettings(IDictionary<string, string?> settings)
    {
        settings["SecurityEvents:DetailedPerClientPerMinute"] = Detailed.ToString();
        settings["SecurityEvents:FlushInterval"] = "00:10:00";
    }
}

/// <summary>Refused subscriptions and protocol refusals become security events, as refused HTTP requests do.</summary>
public sealed class LiveRefusalAuditTests(LiveRefusalApiFactory factory) : IClassFixture<LiveRefusalApiFactory>
{
    private readonly RoundScenario _s = new(factory);

    private const string RoundProgress = "subscription($r: ID!) { roundProgress(roundId: $r) { cursor status } }";

    private async Task<List<JsonNode>> SecurityEventsAsync(string actorOrReason)
    {
        var r = (await _s.Registry.Auditor.Run("{ auditEvents(first: 200, where: { kind: SECURITY }) { nodes { action reason targetType actor { id } } } }")).AssertNoErrors();
        return [.. r.At("auditEvents.nodes").AsArray().Select(n => n!)
            .Where(n => n["actor"]?["id"]?.GetValue<string>() == actorOrReason || n["reason"]!.GetValue<string>().Contains(actorOrReason, StringComparison.Ordinal))];
    }

    private static async Task AssertClosedAsync(WsClient ws, int code)
    {
        WsFrame f;
        do f = await ws.ReceiveAsync(TimeSpan.FromSeconds(10));
        while (f.CloseCode is null);
        Assert.Equal(code, f.CloseCode);
    }

    [Fact]
    public async Task Refused_roundProgress_subscriptions_are_audited_then_counted_per_client_and_minute()
    {
        var province = Id(await _s.Registry.CreateUnit("Tỉnh Kiên Giang từ chối", "PROVINCE"));
        var commune = Id(await _s.Registry.CreateUnit("Xã Hòn Đất", "COMMUNE", province));
        var council = await _s.CreateCouncil(_s.Admin, province);
        var now = DateTime.UtcNow;
        var created = await _s.CreateRound(_s.Admin, RoundInput(Id(council), province, now.AddDays(1), now.AddDays(2)));
        Ok(created, "createRound");
        var roundId = Id(created.At("createRound.round"));

        const string subject = "editor-live-refused";
        await using var ws = await WsClient.ConnectAsync(factory, RegistryApiFactory.EditorToken(RegistryScenario.LocalId(commune), subject));
        const int attempts = 5;
        for (var i = 0; i < attempts; i++)
        {
            await ws.SubscribeAsync($"r{i}", RoundProgress, new { r = roundId });
            var refused = await ws.NextOfAsync($"r{i}");
            Assert.Equal("error", refused.Type);
            Assert.Equal("FORBIDDEN", refused.Message!["payload"]![0]!["extensions"]!["code"]!.GetValue<string>());
        }

        // The first ones one by one, with the caller, the field and the policy …
        var detailed = await SecurityEventsAsync(subject);
        Assert.InRange(detailed.Count, LiveRefusalApiFactory.Detailed, 2 * LiveRefusalApiFactory.Detailed); // a minute boundary gives a second budget
        Assert.All(detailed, e => Assert.Equal("roundProgress", e["action"]!.GetValue<string>()));
        Assert.All(detailed, e => Assert.Equal("CouncilMemberOrAdminOfTarget", e["targetType"]!.GetValue<string>()));

        // … the rest counted in one event per client, refusal and minute.
        await factory.Services.GetRequiredService<SecurityEventLog>().FlushAsync(all: true);
        var summaries = (await SecurityEventsAsync("sub:" + subject)).Where(e => e["action"]!.GetValue<string>() == SecurityEventLog.SummaryAction).ToList();
        var counted = summaries.Sum(e => int.Parse(e["reason"]!.GetValue<string>().Split(' ')[0]));
        Assert.Equal(attempts, detailed.Count + counted);
        Assert.All(summaries, e => Assert.Contains("refusals of roundProgress", e["reason"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_forged_token_4403_a_subscribe_before_ack_4401_and_an_expired_token_4403_are_audited()
    {
        await using (var forged = await WsClient.OpenAsync(factory))
        {
            await forged.SendAsync(new { type = "connection_init", payload = new { Authorization = "Bearer " + RegistryApiFactory.Token("forger", key: new byte[48]) } });
            await AssertClosedAsync(forged, 4403);
        }
        Assert.NotEmpty(await SecurityEventsAsync("The bearer token in connection_init is invalid or expired."));

        await using (var early = await WsClient.OpenAsync(factory))
        {
            await early.SubscribeAsync("1", "subscription { entryRegistered { cursor } }");
            await AssertClosedAsync(early, 4401);
        }
        var beforeAck = await SecurityEventsAsync("A subscribe message came before connection_ack.");
        Assert.Contains(beforeAck, e => e["action"]!.GetValue<string>() == "subscribe");

        const string subject = "live-short-lived";
        await using (var expiring = await WsClient.ConnectAsync(factory, RegistryApiFactory.Token(subject, expires: DateTime.UtcNow.AddSeconds(2))))
        {
            await expiring.SubscribeAsync("1", "subscription { entryRegistered { cursor } }");
            var f = await expiring.NextOfAsync("1", TimeSpan.FromSeconds(8));
            Assert.Equal(4403, f.CloseCode);
        }
        var expired = await SecurityEventsAsync(subject);
        Assert.Contains(expired, e => e["reason"]!.GetValue<string>().Contains("expired while a live connection was open", StringComparison.Ordinal));

        // SSE: a bad token is a 401 and an event too.
        await using var refused = await SseClient.PostAsync(factory.CreateClient(), "subscription { entryRegistered { cursor } }",
            token: RegistryApiFactory.Token("forger-sse", key: new byte[48]));
        Assert.Equal(401, refused.Status);
        // Anonymous refusals share the client's budget (the test server has no remote address), so this
        // third one may already be counted rather than listed: the flush writes the count with the reason.
        await factory.Services.GetRequiredService<SecurityEventLog>().FlushAsync(all: true);
        Assert.NotEmpty(await SecurityEventsAsync("The bearer token of a GraphQL over SSE request is invalid or expired."));
    }
}
