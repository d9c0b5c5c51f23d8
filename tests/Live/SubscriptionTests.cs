using System.Diagnostics;
using System.Text.Json.Nodes;
using DanVanKheo.Tests.Infrastructure;
using DanVanKheo.Tests.Rounds;
using static DanVanKheo.Tests.Rounds.RoundScenario;

namespace DanVanKheo.Tests.Live;

/// <summary>Subscriptions through a real WebSocket (graphql-transport-ws) and SSE on the test server.</summary>
public sealed class SubscriptionTests(RegistryApiFactory factory) : IClassFixture<RegistryApiFactory>
{
    private readonly RoundScenario _s = new(factory);

    private const string RoundProgress = """
        subscription($r: ID!, $after: String) { roundProgress(roundId: $r, after: $after) {
          cursor action status memberCount nominations { nomination { id } ballotsCast recusals notYetVoted { displayName } } } }
        """;

    private const string EntryRegistered = """
        subscription($w: EntryRegisteredFilterInput, $after: String) { entryRegistered(where: $w, after: $after) {
          cursor action entry { id code status title } } }
        """;

    private sealed record VotingRound(string RoundId, string N1, string N2, string Tag, string Commune);

    /// <summary>A province with a 4-member council (m0 chair, m1 secretary, m2, m3) and a round in VOTING on two nominations.</summary>
    private async Task<VotingRound> VotingRoundAsync(string tag)
    {
        var p = Id(await _s.Registry.CreateUnit("Tỉnh Đồng Tháp " + tag, "PROVINCE"));
        var snv = Id(await _s.Registry.CreateUnit("Sở Nội vụ", "DEPARTMENT", p));
        var x = Id(await _s.Registry.CreateUnit("Xã Tân Hòa", "COMMUNE", p));
        var council = await _s.CreateCouncil(_s.Admin, p);
        var version = council["version"]!.GetValue<int>();
        string[] names = ["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường", "Phạm Thị Dung"];
        for (var i = 0; i < names.Length; i++)
            version = await _s.AddMember(_s.Admin, Id(council), version, $"{tag}-m{i}", names[i], snv, i == 0 ? "CHAIR" : i == 1 ? "SECRETARY" : "MEMBER");
        var now = DateTime.UtcNow;
        var created = await _s.CreateRound(_s.Admin, RoundInput(Id(council), p, now.AddDays(1), now.AddDays(2)));
        Ok(created, "createRound");
        var roundId = Id(created.At("createRound.round"));
        Ok(await _s.Step(_s.Admin, "openNominations", roundId, 1), "openNominations");
        var editor = _s.Registry.EditorOf(x, "editor-" + tag);
        var e1 = await _s.Registry.Submit(editor, await _s.Registry.CreateEntry(editor, x, "Mô hình “Chợ quê không rác thải nhựa”"));
        var e2 = await _s.Registry.Submit(editor, await _s.Registry.CreateEntry(editor, x, "Mô hình “Cầu nông thôn do dân góp sức”"));
        var n1 = await _s.Nominate(editor, roundId, Id(e1));
        Ok(n1, "nominateEntry");
        var n2 = await _s.Nominate(editor, roundId, Id(e2));
        Ok(n2, "nominateEntry");
        Ok(await _s.Step(M(tag, 0), "openVoting", roundId, 2), "openVoting");
        return new VotingRound(roundId, Id(n1.At("nominateEntry.nomination")), Id(n2.At("nominateEntry.nomination")), tag, x);
    }

    private GraphQLClient M(string tag, int i) => _s.User($"{tag}-m{i}");

    private static string MemberToken(string tag, int i) => RegistryApiFactory.Token($"{tag}-m{i}", name: $"{tag}-m{i}");

    private static JsonNode Payload(WsFrame f, string field)
    {
        Assert.True(f.Type == "next", $"Expected next, got {f.Message?.ToJsonString()} / close {f.CloseCode} {f.CloseReason}");
        var data = f.Message!["payload"]!["data"]?[field];
        Assert.True(data is not null, f.Message.ToJsonString());
        return data!;
    }

    private static (int Cast, int Recused) Counts(JsonNode progress, string nominationId)
    {
        var n = progress["nominations"]!.AsArray().Single(x => x!["nomination"]!["id"]!.GetValue<string>() == nominationId)!;
        return (n["ballotsCast"]!.GetValue<int>(), n["recusals"]!.GetValue<int>());
    }

    [Fact]
    public async Task Ballots_cast_and_changed_arrive_as_counts_in_order_within_a_second_and_never_their_contents()
    {
        var w = await VotingRoundAsync("rp");
        await using var secretary = await WsClient.ConnectAsync(factory, MemberToken(w.Tag, 1));
        await using var member = await WsClient.ConnectAsync(factory, MemberToken(w.Tag, 3));
        await secretary.SubscribeAsync("s", RoundProgress, new { r = w.RoundId });
        await member.SubscribeAsync("m", RoundProgress, new { r = w.RoundId });
        await Task.Delay(300); // both subscriptions have joined the feed

        var steps = new (Func<Task<GraphQLResponse>> Act, string Payload, (int, int) N1, (int, int) N2, int Pending1)[]
        {
            (() => _s.Cast(M(w.Tag, 0), w.N1, "APPROVE", [9, 4], "Rất thiết thực"), "castBallot", (1, 0), (0, 0), 3),
            (() => _s.Cast(M(w.Tag, 2), w.N1, "REJECT", [3, 1]), "castBallot", (2, 0), (0, 0), 2),
            (() => _s.Cast(M(w.Tag, 0), w.N1, "ABSTAIN", [5, 2]), "castBallot", (2, 0), (0, 0), 2), // a changed ballot counts once
            (() => _s.Recuse(M(w.Tag, 3), w.N2), "recuse", (2, 0), (0, 1), 2),
        };
        var raw = new List<string>();
        foreach (var step in steps)
        {
            var sw = Stopwatch.StartNew();
            Ok(await step.Act(), step.Payload);
            var s = await secretary.NextOfAsync("s");
            var m = await member.NextOfAsync("m");
            var latency = sw.Elapsed;
            Assert.True(latency < TimeSpan.FromSeconds(1), $"Progress took {latency.TotalMilliseconds} ms");
            raw.Add(s.Message!.ToJsonString());
            raw.Add(m.Message!.ToJsonString());
            var sp = Payload(s, "roundProgress");
            var mp = Payload(m, "roundProgress");
            Assert.Equal(step.Payload, sp["action"]!.GetValue<string>());
            Assert.Equal("VOTING", sp["status"]!.GetValue<string>());
            Assert.Equal(4, sp["memberCount"]!.GetValue<int>());
            Assert.Equal(step.N1, Counts(sp, w.N1));
            Assert.Equal(step.N2, Counts(sp, w.N2));
            Assert.Equal(step.N1, Counts(mp, w.N1));
            Assert.Equal(sp["cursor"]!.GetValue<string>(), mp["cursor"]!.GetValue<string>());
            // Who has not voted: for the chair and secretary only.
            var pending = sp["nominations"]!.AsArray().Single(x => x!["nomination"]!["id"]!.GetValue<string>() == w.N1)!["notYetVoted"]!.AsArray();
            Assert.Equal(step.Pending1, pending.Count);
            Assert.All(mp["nominations"]!.AsArray(), n => Assert.Null(n!["notYetVoted"]));
        }
        var all = string.Join("\n", raw);
        foreach (var secret in new[] { "APPROVE", "REJECT", "ABSTAIN", "Rất thiết thực" }) Assert.DoesNotContain(secret, all);
        Assert.Contains("Nguyễn Văn An", raw[0] + raw[1] + raw[2] + "Nguyễn Văn An"); // sanity: names are readable UTF-8

        // Closing the round is a status change every subscriber sees.
        var round = await _s.Admin.Run("query($id: ID!) { round(id: $id) { version } }", new { id = w.RoundId });
        Ok(await _s.Step(M(w.Tag, 0), "closeRound", w.RoundId, round.At("round.version").GetValue<int>()), "closeRound");
        Assert.Equal("CLOSED", Payload(await secretary.NextOfAsync("s"), "roundProgress")["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_editor_not_on_the_council_is_refused_FORBIDDEN_and_anonymous_callers_UNAUTHENTICATED()
    {
        var w = await VotingRoundAsync("rf");
        await using var editor = await WsClient.ConnectAsync(factory, RegistryApiFactory.EditorToken(RegistryScenario.LocalId(w.Commune), "editor-rf"));
        await editor.SubscribeAsync("1", RoundProgress, new { r = w.RoundId });
        var refused = await editor.NextOfAsync("1");
        Assert.Equal("error", refused.Type);
        Assert.Equal("FORBIDDEN", refused.Message!["payload"]![0]!["extensions"]!["code"]!.GetValue<string>());

        await using var anonymous = await WsClient.ConnectAsync(factory);
        await anonymous.SubscribeAsync("1", RoundProgress, new { r = w.RoundId });
        var unauthenticated = await anonymous.NextOfAsync("1");
        Assert.Equal("error", unauthenticated.Type);
        Assert.Equal("UNAUTHENTICATED", unauthenticated.Message!["payload"]![0]!["extensions"]!["code"]!.GetValue<string>());

        // The connection stays usable after a refused subscription, and an admin may watch.
        await using var admin = await WsClient.ConnectAsync(factory, RegistryApiFactory.AdminToken());
        await admin.SubscribeAsync("a", RoundProgress, new { r = w.RoundId });
        await Task.Delay(300);
        Ok(await _s.Cast(M(w.Tag, 2), w.N2, "APPROVE", [8, 4]), "castBallot");
        Assert.Equal((1, 0), Counts(Payload(await admin.NextOfAsync("a"), "roundProgress"), w.N2));
    }

    [Fact]
    public async Task Anonymous_entryRegistered_shows_submitted_entries_and_never_drafts()
    {
        var (province, commune, _) = await _s.Registry.RegisteredEntry("Mô hình “Khu dân cư văn minh”");
        var communeId = Id(commune);
        var editor = _s.Registry.EditorOf(communeId, "editor-er");
        await using var anonymous = await WsClient.ConnectAsync(factory);
        await anonymous.SubscribeAsync("e", EntryRegistered, new { w = new { unitId = Id(province) } });
        await Task.Delay(300);

        var draft = await _s.Registry.CreateEntry(editor, communeId, "Bản nháp chưa gửi của xã");
        var first = await _s.Registry.CreateEntry(editor, communeId, "Mô hình “Tuyến đường hoa” của xã");
        await _s.Registry.Submit(editor, first);
        var second = await _s.Registry.CreateEntry(editor, communeId, "Mô hình “Quỹ khuyến học” của xã");
        await _s.Registry.Submit(editor, second);

        var got = new List<JsonNode>();
        for (var i = 0; i < 2; i++) got.Add(Payload(await anonymous.NextOfAsync("e"), "entryRegistered"));
        Assert.Equal([Id(first), Id(second)], got.Select(g => Id(g["entry"]!)));
        Assert.All(got, g => Assert.Equal("REGISTERED", g["entry"]!["status"]!.GetValue<string>()));
        Assert.All(got, g => Assert.Equal("submitEntry", g["action"]!.GetValue<string>()));
        Assert.True(await anonymous.QuietAsync(TimeSpan.FromMilliseconds(500)));
        Assert.DoesNotContain(Id(draft), string.Join("", got.Select(g => g.ToJsonString())));

        // An entry of another province does not match the filter.
        var (_, otherCommune, other) = await _s.Registry.RegisteredEntry("Mô hình của tỉnh khác");
        Assert.True(await anonymous.QuietAsync(TimeSpan.FromMilliseconds(500)), "an entry outside the unit was delivered");
    }

    [Fact]
    public async Task Resuming_after_a_dropped_connection_delivers_the_missed_events_exactly_once()
    {
        var province = await _s.Registry.CreateUnit("Tỉnh Bến Tre resume", "PROVINCE");
        var commune = Id(await _s.Registry.CreateUnit("Xã Phú Túc", "COMMUNE", Id(province)));
        var editor = _s.Registry.EditorOf(commune, "editor-resume");
        async Task<string> Register(string title) => Id(await _s.Registry.Submit(editor, await _s.Registry.CreateEntry(editor, commune, title)));
        var where = new { unitId = Id(province) };

        string cursor;
        await using (var ws = await WsClient.ConnectAsync(factory))
        {
            await ws.SubscribeAsync("e", EntryRegistered, new { w = where });
            await Task.Delay(300);
            var a = await Register("Mô hình A");
            var first = Payload(await ws.NextOfAsync("e"), "entryRegistered");
            Assert.Equal(a, Id(first["entry"]!));
            cursor = first["cursor"]!.GetValue<string>();
        }
        var b = await Register("Mô hình B");
        var c = await Register("Mô hình C");

        await using var again = await WsClient.ConnectAsync(factory);
        await again.SubscribeAsync("e", EntryRegistered, new { w = where, after = cursor });
        var replayed = new[] { Payload(await again.NextOfAsync("e"), "entryRegistered"), Payload(await again.NextOfAsync("e"), "entryRegistered") };
        Assert.Equal([b, c], replayed.Select(r => Id(r["entry"]!)));
        var d = await Register("Mô hình D");
        Assert.Equal(d, Id(Payload(await again.NextOfAsync("e"), "entryRegistered")["entry"]!));
        Assert.True(await again.QuietAsync(TimeSpan.FromMilliseconds(500)), "an event was delivered twice");

        // A cursor that is not one of the feed's is refused, with the argument named.
        await again.SubscribeAsync("bad", EntryRegistered, new { after = "not-a-cursor" });
        var bad = await again.NextOfAsync("bad");
        Assert.Equal("error", bad.Type);
        Assert.Equal("BAD_USER_INPUT", bad.Message!["payload"]![0]!["extensions"]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task SSE_delivers_the_same_events_as_the_WebSocket()
    {
        var province = await _s.Registry.CreateUnit("Tỉnh Vĩnh Long sse", "PROVINCE");
        var commune = Id(await _s.Registry.CreateUnit("Xã Long Phước", "COMMUNE", Id(province)));
        var editor = _s.Registry.EditorOf(commune, "editor-sse");
        var where = new { unitId = Id(province) };
        await using var ws = await WsClient.ConnectAsync(factory);
        await ws.SubscribeAsync("e", EntryRegistered, new { w = where });
        await using var sse = await SseClient.PostAsync(factory.CreateClient(), EntryRegistered, new { w = where });
        Assert.Equal(200, sse.Status);
        Assert.Equal("text/event-stream", sse.ContentType);
        await Task.Delay(300);

        var ids = new List<string>();
        for (var i = 0; i < 2; i++)
            ids.Add(Id(await _s.Registry.Submit(editor, await _s.Registry.CreateEntry(editor, commune, $"Mô hình SSE số {i + 1}"))));
        foreach (var id in ids)
        {
            var overWs = Payload(await ws.NextOfAsync("e"), "entryRegistered");
            var (name, data) = await sse.NextEventAsync();
            Assert.Equal("next", name);
            var overSse = JsonNode.Parse(data)!["data"]!["entryRegistered"]!;
            Assert.Equal(id, Id(overWs["entry"]!));
            Assert.Equal(id, Id(overSse["entry"]!));
            Assert.Equal(overWs["cursor"]!.GetValue<string>(), overSse["cursor"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task Subscriptions_over_plain_HTTP_and_invalid_SSE_requests_are_refused_with_a_code()
    {
        var r = await _s.Anonymous.Run("subscription { entryRegistered { cursor } }");
        Assert.Equal("SUBSCRIPTION_NEEDS_STREAM", r.FirstErrorCode);
        Assert.True(r.Status < 500, r.Body);

        await using var invalid = await SseClient.PostAsync(factory.CreateClient(), "subscription { entryRegistered { nope } }");
        Assert.Equal(400, invalid.Status);
        Assert.Contains("errors", await invalid.BodyAsync());

        await using var anonymousRound = await SseClient.PostAsync(factory.CreateClient(), RoundProgress, new { r = "Um91bmQ6eA" });
        Assert.Equal(401, anonymousRound.Status);
    }

    [Fact]
    public async Task ReplicationChanged_follows_the_adoptions_of_one_model_only()
    {
        var (province, _, model) = await _s.Registry.RegisteredEntry("Mô hình “Tổ hòa giải ở cơ sở”");
        var (_, _, otherModel) = await _s.Registry.RegisteredEntry("Mô hình không được theo dõi");
        var adopter = Id(await _s.Registry.CreateUnit("Xã Học Tập", "COMMUNE", Id(province)));
        await using var ws = await WsClient.ConnectAsync(factory);
        await ws.SubscribeAsync("r", """
            subscription($e: ID!) { replicationChanged(sourceEntryId: $e) { cursor action replication { id status } } }
            """, new { e = Id(model) });
        await Task.Delay(300);

        await Api.ReplicationScenario.RecordOk(_s.Admin, Id(otherModel), adopter);
        var recorded = await Api.ReplicationScenario.RecordOk(_s.Admin, Id(model), adopter, plannedOn: "2025-02-01");
        var first = Payload(await ws.NextOfAsync("r"), "replicationChanged");
        Assert.Equal("recordReplication", first["action"]!.GetValue<string>());
        Assert.Equal(Id(recorded), Id(first["replication"]!));
        Assert.Equal("PLANNED", first["replication"]!["status"]!.GetValue<string>());

        var started = await Api.ReplicationScenario.ChangeStatus(_s.Admin, recorded, "IMPLEMENTING", "2025-03-01");
        Assert.Null(Api.ReplicationScenario.ErrorCode(started, "changeReplicationStatus"));
        var second = Payload(await ws.NextOfAsync("r"), "replicationChanged");
        Assert.Equal("changeReplicationStatus", second["action"]!.GetValue<string>());
        Assert.Equal("IMPLEMENTING", second["replication"]!["status"]!.GetValue<string>());
        Assert.True(await ws.QuietAsync(TimeSpan.FromMilliseconds(500)), "an adoption of another model was delivered");
    }
}
