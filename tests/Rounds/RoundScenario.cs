using System.Text.Json.Nodes;
using DanVanKheo.Tests.Infrastructure;

namespace DanVanKheo.Tests.Rounds;

/// <summary>Builds councils and rounds through the public API.</summary>
public sealed class RoundScenario(RegistryApiFactory factory)
{
    public RegistryScenario Registry { get; } = new(factory);

    public GraphQLClient Admin => Registry.Admin;
    public GraphQLClient Anonymous => Registry.Anonymous;

    public GraphQLClient User(string subject) => factory.Client(RegistryApiFactory.Token(subject, name: subject));

    public static string Id(JsonNode node) => node["id"]!.GetValue<string>();

    public static void Ok(GraphQLResponse r, string payload)
    {
        r.AssertNoErrors();
        Assert.True(r.At(payload + ".errors").AsArray().Count == 0, r.Body);
    }

    public static string ErrorCode(GraphQLResponse r, string payload)
    {
        r.AssertNoErrors();
        var errors = r.At(payload + ".errors").AsArray();
        Assert.True(errors.Count > 0, $"Expected {payload} to be refused: {r.Body}");
        return errors[0]!["code"]!.GetValue<string>();
    }

    public async Task<JsonNode> CreateCouncil(GraphQLClient client, string unitId, string name = "Hội đồng Thi đua – Khen thưởng tỉnh")
    {
        var r = await client.Run("mutation($i: CreateCouncilInput!) { createCouncil(input: $i) { council { id version } errors { code message } } }",
            new { i = new { unitId, name } });
        Ok(r, "createCouncil");
        return r.At("createCouncil.council");
    }

    public async Task<int> AddMember(GraphQLClient client, string councilId, int version, string userId, string displayName, string homeUnitId, string role = "MEMBER")
    {
        var r = await client.Run("mutation($i: AddCouncilMemberInput!) { addCouncilMember(input: $i) { council { version } errors { code message } } }",
            new { i = new { councilId, version, userId, displayName, homeUnitId, role } });
        Ok(r, "addCouncilMember");
        return r.At("addCouncilMember.council.version").GetValue<int>();
    }

    public static object RoundInput(string councilId, string scopeUnitId, DateTime nominationsCloseAt, DateTime votingClosesAt,
        int? maxRecognitions = null, string name = "Xét chọn mô hình Dân vận khéo tiêu biểu tỉnh năm 2025") => new
    {
        councilId, name, level = "PROVINCE", year = 2025, scopeUnitId,
        rubric = new[]
        {
            new { name = "Hiệu quả thiết thực", weight = 60, maxScore = 10 },
            new { name = "Khả năng nhân rộng", weight = 40, maxScore = 5 },
        },
        rule = new
        {
            quorum = new { numerator = 2, denominator = 3 },
            threshold = new { numerator = 1, denominator = 2 },
            @base = "ALL_MEMBERS",
            comparison = "GREATER_THAN",
            minimumAverageScore = new { numerator = 50, denominator = 1 },
        },
        maxRecognitions,
        recognition = new { form = "Bằng khen", issuingLevel = "PROVINCE", issuer = "Ủy ban nhân dân tỉnh" },
        nominationsCloseAt = nominationsCloseAt.ToString("O"),
        votingClosesAt = votingClosesAt.ToString("O"),
    };

    public async Task<GraphQLResponse> CreateRound(GraphQLClient client, object input) =>
        await client.Run("mutation($i: CreateRoundInput!) { createRound(input: $i) { round { id version status } errors { code message field } } }", new { i = input });

    public async Task<GraphQLResponse> Step(GraphQLClient client, string mutation, string roundId, int version) =>
        await client.Run($"mutation($i: RoundStepInput!) {{ {mutation}(input: $i) {{ round {{ id version status }} errors {{ code message }} }} }}",
            new { i = new { id = roundId, version } });

    public async Task<GraphQLResponse> Nominate(GraphQLClient client, string roundId, string entryId) =>
        await client.Run("mutation($i: NominateEntryInput!) { nominateEntry(input: $i) { nomination { id version key } errors { code message field } } }",
            new { i = new { roundId, entryId, justification = "Mô hình đã mang lại hiệu quả rõ rệt, được nhân dân đồng tình hưởng ứng." } });

    public async Task<GraphQLResponse> Cast(GraphQLClient client, string nominationId, string choice, int[]? scores, string? comment = null) =>
        await client.Run("mutation($i: CastBallotInput!) { castBallot(input: $i) { ballot { choice revision scores } errors { code message } } }",
            new { i = new { nominationId, choice, scores, comment } });

    public async Task<GraphQLResponse> Recuse(GraphQLClient client, string nominationId, string reason = "Tôi từng công tác tại đơn vị đề nghị.") =>
        await client.Run("mutation($i: RecuseInput!) { recuse(input: $i) { ballot { choice revision } errors { code message } } }",
            new { i = new { nominationId, reason } });

    public async Task<JsonNode> RegisteredEntry(string unitId, string title)
    {
        var editor = Registry.EditorOf(unitId, "editor-" + unitId[..6]);
        return await Registry.Submit(editor, await Registry.CreateEntry(editor, unitId, title));
    }
}
