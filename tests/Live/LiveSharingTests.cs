using System.Text.Json.Nodes;
using DanVanKheo.Api.GraphQL;
using DanVanKheo.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static DanVanKheo.Tests.Rounds.RoundScenario;

namespace DanVanKheo.Tests.Live;

/// <summary>Subscribers with the same document, variables and authorization view share one execution per event.</summary>
public sealed class LiveSharingTests(RegistryApiFactory factory) : IClassFixture<RegistryApiFactory>
{
    private readonly RegistryScenario _s = new(factory);

    private const string EntryRegistered = """
        subscription($w: EntryRegisteredFilterInput, $after: String) { entryRegistered(where: $w, after: $after) {
          cursor action entry { id code status title } } }
        """;

    private LiveGroups Groups => factory.Services.GetRequiredService<LiveGroups>();

    private static JsonNode Payload(WsFrame f)
    {
        Assert.True(f.Type == "next", $"Expected next, got {f.Message?.ToJsonString()} / close {f.CloseCode} {f.CloseReason}");
        return f.Message!["payload"]!["data"]!["entryRegistered"]!;
    }

    /// <summary>The next <paramref name="count"/> results on one connection, by subscription id, in arrival order.</summary>
    private static async Task<Dictionary<string, List<JsonNode>>> ReceiveAsync(WsClient ws, int count)
    {
        var byId = new Dictionary<string, List<JsonNode>>();
        for (var i = 0; i < count; i++)
        {
            var f = await ws.ReceiveAsync();
            var id = f.Message?["id"]?.GetValue<string>() ?? throw new Xunit.Sdk.XunitException($"Expected a result, got {f.Message?.ToJsonString()} / close {f.CloseCode}");
            (byId.TryGetValue(id, out var list) ? list : byId[id] = []).Add(Payload(f));
        }
        return byId;
    }

    private async Task WaitForGroupsAsync(int expected)
    {
        for (var i = 0; i < 100 && Groups.SharedGroupCount != expected; i++) await Task.Delay(50);
        Assert.Equal(expected, Groups.SharedGroupCount);
    }

    [Fact]
    public async Task Identical_subscriptions_share_one_group_keep_their_own_ids_and_outlive_the_subscriber_that_started_it()
    {
        var province = Id(await _s.CreateUnit("Tỉnh Hậu Giang chia sẻ", "PROVINCE"));
        var commune = Id(await _s.CreateUnit("Xã Vị Thủy", "COMMUNE", province));
        var otherProvince = Id(await _s.CreateUnit("Tỉnh Sóc Trăng chia sẻ", "PROVINCE"));
        var editor = _s.EditorOf(commune, "editor-share");
        var where = new { w = new { unitId = province } };
        var baseline = Groups.SharedGroupCount;

        var starter = await WsClient.ConnectAsync(factory);
        await starter.SubscribeAsync("first", EntryRegistered, where);
        await using var a = await WsClient.ConnectAsync(factory);
        await a.SubscribeAsync("x", EntryRegistered, where);
        await a.SubscribeAsync("y", EntryRegistered, where); // the same connection twice: two members, two ids
        await using var b = await WsClient.ConnectAsync(factory);
        await b.SubscribeAsync("z", EntryRegistered, where);
        await using var other = await WsClient.ConnectAsync(factory);
        await other.SubscribeAsync("o", EntryRegistered, new { w = new { unitId = otherProvince } });
        await using var signedIn = await WsClient.ConnectAsync(factory, RegistryApiFactory.Token("viewer-share"));
        await signedIn.SubscribeAsync("s", EntryRegistered, where);
        // Anonymous ones on the province share one group; other variables and another caller have their own.
        await WaitForGroupsAsync(baseline + 3);

        var first = Id(await _s.Submit(editor, await _s.CreateEntry(editor, commune, "Mô hình “Đèn đường năng lượng mặt trời”")));
        var fromStarter = Payload(await starter.NextOfAsync("first"));
        var onA = await ReceiveAsync(a, 2);
        var (x, y) = (onA["x"].Single(), onA["y"].Single());
        var z = Payload(await b.NextOfAsync("z"));
        var s = Payload(await signedIn.NextOfAsync("s"));
        Assert.Equal(first, Id(fromStarter["entry"]!));
        Assert.All(new[] { x, y, z, s }, p => Assert.Equal(fromStarter.ToJsonString(), p.ToJsonString()));
        Assert.True(await other.QuietAsync(TimeSpan.FromMilliseconds(400)), "an entry of another province was delivered");

        // The subscriber whose execution the group runs leaves; the others keep receiving, in order.
        await starter.DisposeAsync();
        await Task.Delay(200);
        var second = Id(await _s.Submit(editor, await _s.CreateEntry(editor, commune, "Mô hình “Vườn rau sạch”")));
        var third = Id(await _s.Submit(editor, await _s.CreateEntry(editor, commune, "Mô hình “Sân chơi cho trẻ em”")));
        var later = await ReceiveAsync(a, 4);
        Assert.Equal([second, third], later["x"].Select(p => Id(p["entry"]!)));
        Assert.Equal([second, third], later["y"].Select(p => Id(p["entry"]!)));
        Assert.Equal(second, Id(Payload(await b.NextOfAsync("z"))["entry"]!));
        Assert.Equal(third, Id(Payload(await b.NextOfAsync("z"))["entry"]!));

        // A member that completes leaves the group; the last one to leave ends it.
        await a.SendAsync(new { id = "x", type = "complete" });
        await a.SendAsync(new { id = "y", type = "complete" });
        await b.SendAsync(new { id = "z", type = "complete" });
        await other.SendAsync(new { id = "o", type = "complete" });
        await signedIn.SendAsync(new { id = "s", type = "complete" });
        await WaitForGroupsAsync(baseline);
    }

    [Fact]
    public async Task A_resuming_subscriber_replays_on_its_own_then_a_new_identical_one_joins_a_fresh_group()
    {
        var province = Id(await _s.CreateUnit("Tỉnh Trà Vinh chia sẻ", "PROVINCE"));
        var commune = Id(await _s.CreateUnit("Xã Càng Long", "COMMUNE", province));
        var editor = _s.EditorOf(commune, "editor-share-resume");
        var baseline = Groups.SharedGroupCount;
        string cursor;
        await using (var first = await WsClient.ConnectAsync(factory))
        {
            await first.SubscribeAsync("e", EntryRegistered, new { w = new { unitId = province } });
            await WaitForGroupsAsync(baseline + 1);
            await _s.Submit(editor, await _s.CreateEntry(editor, commune, "Mô hình một"));
            cursor = Payload(await first.NextOfAsync("e"))["cursor"]!.GetValue<string>();
        }
        await WaitForGroupsAsync(baseline);
        var missed = Id(await _s.Submit(editor, await _s.CreateEntry(editor, commune, "Mô hình hai")));

        await using var resumed = await WsClient.ConnectAsync(factory);
        await resumed.SubscribeAsync("r", EntryRegistered, new { w = new { unitId = province }, after = cursor });
        Assert.Equal(missed, Id(Payload(await resumed.NextOfAsync("r"))["entry"]!));
        Assert.Equal(baseline, Groups.SharedGroupCount); // a resume is never shared

        await using var fresh = await WsClient.ConnectAsync(factory);
        await fresh.SubscribeAsync("f", EntryRegistered, new { w = new { unitId = province } });
        await WaitForGroupsAsync(baseline + 1);
        var live = Id(await _s.Submit(editor, await _s.CreateEntry(editor, commune, "Mô hình ba")));
        Assert.Equal(live, Id(Payload(await resumed.NextOfAsync("r"))["entry"]!));
        Assert.Equal(live, Id(Payload(await fresh.NextOfAsync("f"))["entry"]!));
        Assert.True(await resumed.QuietAsync(TimeSpan.FromMilliseconds(300)), "an event was delivered twice");
    }
}
