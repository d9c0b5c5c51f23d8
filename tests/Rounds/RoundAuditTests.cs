using System.Text.Json.Nodes;
using DanVanKheo.Tests.Api;
using DanVanKheo.Tests.Infrastructure;

namespace DanVanKheo.Tests.Rounds;

/// <summary>Ballot events sealed until their round closes; refusals by non-members; no secret in round events.</summary>
public sealed class RoundAuditTests(RegistryApiFactory factory) : IClassFixture<RegistryApiFactory>
{
    private readonly RegistryScenario _s = new(factory);

    private const string Events = """
        query($w: AuditEventFilterInput) { auditEvents(where: $w, first: 20) { nodes { action sealed targetId changes { field after } } } }
        """;

    private async Task<JsonArray> Find(object where) =>
        (await _s.Auditor.Run(Events, new { w = where })).AssertNoErrors().At("auditEvents.nodes").AsArray();

    [Fact]
    public async Task A_ballot_event_is_sealed_until_the_round_closes_and_refusals_change_nothing()
    {
        var w = await World.CreateAsync(_s);
        var call = await MutationCases.All["castBallot"](_s, w);
        var chair = _s.As(RoundMutationCases.Chair);

        // Not a member: FORBIDDEN, a security event, no change.
        var outsider = await _s.As("nguoi-ngoai-hoi-dong").Run(call.Query, call.Variables);
        Assert.Equal("FORBIDDEN", outsider.RefusalCode);
        Assert.Single(await Find(new { kind = "SECURITY", actorId = "nguoi-ngoai-hoi-dong", action = "castBallot" }));

        var cast = (await chair.Run(call.Query.Replace("ballot { id }", "ballot { id nomination { round { id version } } }"), call.Variables)).AssertNoErrors();
        var ballotId = cast.At("castBallot.ballot.id").GetValue<string>();
        var round = cast.At("castBallot.ballot.nomination.round");
        var sealedEvent = Assert.Single(await Find(new { targetId = ballotId }))!;
        Assert.True(sealedEvent["sealed"]!.GetValue<bool>());
        Assert.Empty(sealedEvent["changes"]!.AsArray());

        var closed = (await chair.Run("mutation($i: RoundStepInput!) { closeRound(input: $i) { round { status } errors { code message } } }",
            new { i = new { id = round["id"]!.GetValue<string>(), version = round["version"]!.GetValue<int>() } })).AssertNoErrors();
        Assert.Equal("CLOSED", closed.At("closeRound.round.status").GetValue<string>());
        var opened = Assert.Single(await Find(new { targetId = ballotId }))!;
        Assert.False(opened["sealed"]!.GetValue<bool>());
        Assert.Contains(opened["changes"]!.AsArray(), c => c!["field"]!.GetValue<string>() == "choice" && c["after"]!.GetValue<string>() == "\"APPROVE\"");

        // The round's events never carry its pseudonym key.
        var roundEvents = await Find(new { targetId = round["id"]!.GetValue<string>() });
        Assert.Contains(roundEvents, e => e!["action"]!.GetValue<string>() == "closeRound");
        Assert.Contains(roundEvents, e => e!["action"]!.GetValue<string>() == "createRound");
        Assert.All(roundEvents, e => Assert.DoesNotContain(e!["changes"]!.AsArray(), c => c!["field"]!.GetValue<string>().Contains("pseudonym", StringComparison.OrdinalIgnoreCase)));
    }
}
