using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using DanVanKheo.Tests.Infrastructure;
using DanVanKheo.Tests.Rounds;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using static DanVanKheo.Tests.Rounds.RoundScenario;

namespace DanVanKheo.Tests.Live;

/// <summary>The API on a real Kestrel port, for clients that open their own sockets.</summary>
public sealed class KestrelApiFactory : RegistryApiFactory
{
    public KestrelApiFactory()
    {
        UseKestrel(0);
        StartServer();
    }

    public Uri WebSocketUri
    {
        get
        {
            var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            return new Uri(address.Replace("http://", "ws://", StringComparison.Ordinal).TrimEnd('/') + "/graphql");
        }
    }
}

/// <summary>The official npm graphql-ws client (Node) against the API over a real socket.</summary>
public sealed class GraphQLWsClientTests(KestrelApiFactory factory) : IClassFixture<KestrelApiFactory>
{
    private readonly RoundScenario _s = new(factory);

    private static string NodeDir => Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "Live", "node");

    /// <summary>Installs the client from package-lock.json once (npm ci) when node_modules is missing.</summary>
    private static async Task EnsureClientAsync()
    {
        if (Directory.Exists(Path.Combine(NodeDir, "node_modules", "graphql-ws"))) return;
        using var npm = Process.Start(new ProcessStartInfo("npm", ["ci", "--no-audit", "--no-fund"]) { WorkingDirectory = NodeDir, RedirectStandardOutput = true, RedirectStandardError = true })!;
        await npm.WaitForExitAsync();
        Assert.True(npm.ExitCode == 0, "npm ci failed: " + await npm.StandardError.ReadToEndAsync());
    }

    private sealed class NodeSubscriber : IAsyncDisposable
    {
        private readonly Process _node;

        public NodeSubscriber(Uri url, string? token, string query, object variables, int max)
        {
            _node = Process.Start(new ProcessStartInfo("node", ["subscribe.mjs", url.ToString(), token ?? "-", query, JsonSerializer.Serialize(variables), max.ToString()])
            {
                WorkingDirectory = NodeDir,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            })!;
        }

        public async Task<JsonNode> NextLineAsync(TimeSpan? timeout = null)
        {
            using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(15));
            var line = await _node.StandardOutput.ReadLineAsync(cts.Token)
                       ?? throw new InvalidOperationException("node exited: " + await _node.StandardError.ReadToEndAsync());
            return JsonNode.Parse(line)!;
        }

        public async ValueTask DisposeAsync()
        {
            if (!_node.HasExited) _node.Kill(entireProcessTree: true);
            await _node.WaitForExitAsync();
            _node.Dispose();
        }
    }

    private const string Query = "subscription($r: ID!) { roundProgress(roundId: $r) { cursor action status nominations { ballotsCast recusals } } }";

    [Fact]
    public async Task The_graphql_ws_client_receives_round_progress_in_order_and_an_outsider_is_refused()
    {
        await EnsureClientAsync();
        var p = Id(await _s.Registry.CreateUnit("Tỉnh Hậu Giang node", "PROVINCE"));
        var snv = Id(await _s.Registry.CreateUnit("Sở Nội vụ", "DEPARTMENT", p));
        var x = Id(await _s.Registry.CreateUnit("Xã Vị Thanh", "COMMUNE", p));
        var council = await _s.CreateCouncil(_s.Admin, p);
        var version = council["version"]!.GetValue<int>();
        string[] names = ["Lý Văn Tám", "Mai Thị Chín", "Tạ Văn Mười"];
        for (var i = 0; i < names.Length; i++)
            version = await _s.AddMember(_s.Admin, Id(council), version, $"node-m{i}", names[i], snv, i == 0 ? "CHAIR" : "MEMBER");
        var now = DateTime.UtcNow;
        var created = await _s.CreateRound(_s.Admin, RoundInput(Id(council), p, now.AddDays(1), now.AddDays(2)));
        Ok(created, "createRound");
        var roundId = Id(created.At("createRound.round"));
        Ok(await _s.Step(_s.Admin, "openNominations", roundId, 1), "openNominations");
        var editor = _s.Registry.EditorOf(x, "editor-node");
        var entry = await _s.Registry.Submit(editor, await _s.Registry.CreateEntry(editor, x, "Mô hình “Ánh sáng đường quê”"));
        var nomination = await _s.Nominate(editor, roundId, Id(entry));
        Ok(nomination, "nominateEntry");
        var nominationId = Id(nomination.At("nominateEntry.nomination"));
        Ok(await _s.Step(_s.User("node-m0"), "openVoting", roundId, 2), "openVoting");

        await using var member = new NodeSubscriber(factory.WebSocketUri, RegistryApiFactory.Token("node-m1", name: "node-m1"), Query, new { r = roundId }, 3);
        Assert.Equal(true, (await member.NextLineAsync())["connected"]?.GetValue<bool>());
        await Task.Delay(500);

        var expected = new[] { 1, 2, 2 };
        Ok(await _s.Cast(_s.User("node-m0"), nominationId, "APPROVE", [9, 4]), "castBallot");
        var got = new List<JsonNode> { await member.NextLineAsync() };
        Ok(await _s.Cast(_s.User("node-m2"), nominationId, "REJECT", [2, 1]), "castBallot");
        got.Add(await member.NextLineAsync());
        Ok(await _s.Cast(_s.User("node-m0"), nominationId, "REJECT", [4, 2]), "castBallot");
        got.Add(await member.NextLineAsync());
        var progress = got.Select(g => g["next"]?["data"]?["roundProgress"] ?? throw new InvalidOperationException(g.ToJsonString())).ToList();
        Assert.Equal(expected, progress.Select(p => p["nominations"]![0]!["ballotsCast"]!.GetValue<int>()));
        Assert.All(progress, p => Assert.Equal("castBallot", p["action"]!.GetValue<string>()));
        Assert.Equal(3, progress.Select(p => p["cursor"]!.GetValue<string>()).Distinct().Count());
        Assert.DoesNotContain("REJECT", string.Join("", got.Select(g => g.ToJsonString())));

        // An editor who does not sit on the council: the client's error callback gets FORBIDDEN.
        await using var outsider = new NodeSubscriber(factory.WebSocketUri, RegistryApiFactory.EditorToken(RegistryScenario.LocalId(x), "editor-node"), Query, new { r = roundId }, 1);
        Assert.Equal(true, (await outsider.NextLineAsync())["connected"]?.GetValue<bool>());
        var refused = await outsider.NextLineAsync();
        Assert.Equal("FORBIDDEN", refused["error"]?[0]?["extensions"]?["code"]?.GetValue<string>());
    }
}
