using System.Text.Json.Nodes;
using DanVanKheo.Tests.Infrastructure;

namespace DanVanKheo.Tests.Api;

/// <summary>Replication steps through the public API, the way a front-end would send them.</summary>
public static class ReplicationScenario
{
    public const string Fields = "id status version generation plannedOn startedOn sustainedOn discontinuedOn adaptationNotes outcome { peopleReached householdsReached moneyMobilizedVnd otherResults } derivedEntry { id novelty replicatedFrom { id } } adoptingUnit { id }";

    public static string Id(this JsonNode node) => node["id"]!.GetValue<string>();

    public static Task<GraphQLResponse> Record(GraphQLClient client, string sourceEntryId, string adoptingUnitId, string? derivedEntryId = null,
        object? outcome = null, string? plannedOn = null) =>
        client.Run($$"""
            mutation($input: RecordReplicationInput!) { recordReplication(input: $input) { replication { {{Fields}} } errors { code message field } } }
            """, new
        {
            input = new
            {
                sourceEntryId, adoptingUnitId, derivedEntryId, plannedOn,
                adaptationNotes = "Áp dụng tại các ấp, có điều chỉnh theo phong tục địa phương",
                outcome = outcome ?? new { peopleReached = 500, householdsReached = 120, moneyMobilizedVnd = 200_000_000L },
            },
        });

    public static async Task<JsonNode> RecordOk(GraphQLClient client, string sourceEntryId, string adoptingUnitId, string? derivedEntryId = null,
        long people = 500, string? plannedOn = null)
    {
        var r = await Record(client, sourceEntryId, adoptingUnitId, derivedEntryId, new { peopleReached = people }, plannedOn);
        r.AssertNoErrors();
        Assert.Empty(r.At("recordReplication.errors").AsArray());
        return r.At("recordReplication.replication");
    }

    public static Task<GraphQLResponse> Update(GraphQLClient client, JsonNode replication, string? derivedEntryId = null, object? outcome = null, int? version = null) =>
        client.Run($$"""
            mutation($input: UpdateReplicationInput!) { updateReplication(input: $input) { replication { {{Fields}} } errors { code message field } } }
            """, new { input = UpdateInput(replication, derivedEntryId, outcome, version) });

    /// <summary>Left out when not given: null would ask to remove the linked derived entry (updates are partial).</summary>
    private static JsonObject UpdateInput(JsonNode replication, string? derivedEntryId, object? outcome, int? version)
    {
        var input = new JsonObject
        {
            ["id"] = replication.Id(),
            ["version"] = version ?? replication["version"]!.GetValue<int>(),
            ["adaptationNotes"] = "Mở rộng ra toàn xã",
            ["outcome"] = System.Text.Json.JsonSerializer.SerializeToNode(outcome ?? new { peopleReached = 900, otherResults = "Thành lập 5 tổ tự quản" }),
        };
        if (derivedEntryId is not null) input["derivedEntryId"] = derivedEntryId;
        return input;
    }

    public static Task<GraphQLResponse> ChangeStatus(GraphQLClient client, JsonNode replication, string status, string? on = null, string? reason = null) =>
        client.Run($$"""
            mutation($input: ChangeReplicationStatusInput!) { changeReplicationStatus(input: $input) { replication { {{Fields}} } errors { code message field } } }
            """, new { input = new { id = replication.Id(), version = replication["version"]!.GetValue<int>(), status, on, reason } });

    public static string? ErrorCode(this GraphQLResponse r, string mutation)
    {
        r.AssertNoErrors();
        return r.At($"{mutation}.errors").AsArray().FirstOrDefault()?["code"]?.GetValue<string>();
    }
}
