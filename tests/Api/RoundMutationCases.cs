using System.Text.Json.Nodes;
using DanVanKheo.Tests.Infrastructure;

namespace DanVanKheo.Tests.Api;

/// <summary>
/// Cases for the council, round, nomination and ballot mutations. Council roles come from
/// membership, not tokens: every case's council (of the world's target unit) has the audit test's
/// admin <see cref="Chair"/> as CHAIR and the matrix's editor <see cref="Secretary"/> as SECRETARY,
/// both working for the unrelated unit (so no conflict of interest); the matrix's admin and
/// auditor are not members.
/// </summary>
public static class RoundMutationCases
{
    public const string Chair = "quan-tri-1";
    public const string Secretary = "editor-matrix";
    /// <summary>The secretary of a council the matrix's editor does not sit on (<see cref="ReadRound"/>, relation Other).</summary>
    public const string OtherSecretary = "thu-ky-khac";
    private const string Justification = "Mô hình đã mang lại hiệu quả rõ rệt, được nhân dân đồng tình hưởng ứng.";

    private static async Task<JsonNode> Ok(GraphQLClient client, string mutation, string query, object variables)
    {
        var r = (await client.Run(query, variables)).AssertNoErrors();
        Assert.True(r.At(mutation + ".errors").AsArray().Count == 0, r.Body);
        return r.At(mutation);
    }

    /// <summary>A council of the target unit with its chair and secretary; its id and version.</summary>
    public static async Task<(string Id, int Version)> Council(RegistryScenario s, World w, string secretary = Secretary)
    {
        var council = (await Ok(s.Admin, "createCouncil", "mutation($i: CreateCouncilInput!) { createCouncil(input: $i) { council { id version } errors { code message } } }",
            new { i = new { unitId = World.Id(w.Target), name = "Hội đồng Thi đua – Khen thưởng xã Vị Thủy" } }))["council"]!;
        var id = World.Id(council);
        var version = council["version"]!.GetValue<int>();
        foreach (var (user, name, role) in new[] { (Chair, "Phạm Quản Trị", "CHAIR"), (secretary, "Trần Thư Ký", "SECRETARY") })
            version = (await AddMember(s, id, version, user, name, World.Id(w.Other), role))["council"]!["version"]!.GetValue<int>();
        return (id, version);
    }

    private static Task<JsonNode> AddMember(RegistryScenario s, string councilId, int version, string userId, string displayName, string homeUnitId, string role) =>
        Ok(s.Admin, "addCouncilMember", "mutation($i: AddCouncilMemberInput!) { addCouncilMember(input: $i) { council { id version } errors { code message } } }",
            new { i = new { councilId, version, userId, displayName, homeUnitId, role } });

    private const string RoundFields = "round { id version status } errors { code message }";

    private static object RoundInput(string councilId, World w) => new
    {
        councilId, name = "Xét chọn mô hình Dân vận khéo tiêu biểu xã năm 2025", level = "COMMUNE", year = 2025, scopeUnitId = World.Id(w.Target),
        rubric = new[] { new { name = "Hiệu quả thiết thực", weight = 60, maxScore = 10 }, new { name = "Khả năng nhân rộng", weight = 40, maxScore = 5 } },
        rule = new
        {
            quorum = new { numerator = 1, denominator = 2 }, threshold = new { numerator = 1, denominator = 2 },
            @base = "ALL_MEMBERS", comparison = "GREATER_THAN",
        },
        recognition = new { form = "Giấy khen", issuingLevel = "COMMUNE", issuer = "Ủy ban nhân dân xã Vị Thủy" },
        nominationsCloseAt = DateTime.UtcNow.AddDays(1).ToString("O"),
        votingClosesAt = DateTime.UtcNow.AddDays(2).ToString("O"),
    };

    private static async Task<JsonNode> DraftRound(RegistryScenario s, World w, string secretary = Secretary)
    {
        var (council, _) = await Council(s, w, secretary);
        return (await Ok(s.Admin, "createRound", $"mutation($i: CreateRoundInput!) {{ createRound(input: $i) {{ {RoundFields} }} }}",
            new { i = RoundInput(council, w) }))["round"]!;
    }

    private static async Task<JsonNode> Step(RegistryScenario s, GraphQLClient client, string mutation, JsonNode round) =>
        (await Ok(client, mutation, $"mutation($i: RoundStepInput!) {{ {mutation}(input: $i) {{ {RoundFields} }} }}",
            new { i = new { id = World.Id(round), version = round["version"]!.GetValue<int>() } }))["round"]!;

    private static async Task<JsonNode> NominatingRound(RegistryScenario s, World w, string secretary = Secretary) =>
        await Step(s, s.Admin, "openNominations", await DraftRound(s, w, secretary));

    /// <summary>A registered entry of the target unit.</summary>
    private static async Task<JsonNode> Entry(RegistryScenario s, World w, string title) =>
        await s.Submit(s.Admin, await s.CreateEntry(s.Admin, World.Id(w.Target), title));

    private static async Task<JsonNode> Nominate(RegistryScenario s, JsonNode round, JsonNode entry) =>
        (await Ok(s.Admin, "nominateEntry", "mutation($i: NominateEntryInput!) { nominateEntry(input: $i) { nomination { id version } errors { code message } } }",
            new { i = new { roundId = World.Id(round), entryId = World.Id(entry), justification = Justification } }))["nomination"]!;

    /// <summary>A VOTING round with one nomination of a registered entry of the target unit.</summary>
    private static async Task<(JsonNode Round, JsonNode Nomination, JsonNode Entry)> VotingRound(RegistryScenario s, World w, string secretary = Secretary)
    {
        var round = await NominatingRound(s, w, secretary);
        var entry = await Entry(s, w, "Mô hình Dân vận khéo trong xây dựng nông thôn mới");
        var nomination = await Nominate(s, round, entry);
        round = await Step(s, s.Admin, "openVoting", round);
        return (round, nomination, entry);
    }

    private static Task<JsonNode> Cast(GraphQLClient member, JsonNode nomination) =>
        Ok(member, "castBallot", "mutation($i: CastBallotInput!) { castBallot(input: $i) { ballot { id } errors { code message } } }",
            new { i = new { nominationId = World.Id(nomination), choice = "APPROVE", scores = new[] { 9, 4 } } });

    /// <summary>A CLOSED round whose one nomination both members approved.</summary>
    private static async Task<(JsonNode Round, JsonNode Entry)> ClosedRound(RegistryScenario s, World w)
    {
        var (round, nomination, entry) = await VotingRound(s, w);
        await Cast(s.As(Chair), nomination);
        await Cast(s.As(Secretary), nomination);
        return (await Step(s, s.As(Chair), "closeRound", round), entry);
    }

    /// <summary>
    /// The round the read matrix reads results and ballots of (council roles and round status, not
    /// units, decide those reads, so the relation picks the round): one nomination, approved by
    /// both members. Own: CLOSED, the matrix's editor is the SECRETARY and voted; Other: CLOSED, the
    /// editor is not a member (another secretary voted); Parent: PUBLISHED, the editor voted; Child:
    /// still VOTING, the editor voted. Global ids of the round and its nomination.
    /// </summary>
    public static async Task<(string Round, string Nomination)> ReadRound(RegistryScenario s, World w, Relation relation)
    {
        var secretary = relation == Relation.Other ? OtherSecretary : Secretary;
        var (round, nomination, _) = await VotingRound(s, w, secretary);
        await Cast(s.As(Chair), nomination);
        await Cast(s.As(secretary), nomination);
        if (relation != Relation.Child) round = await Step(s, s.As(Chair), "closeRound", round);
        if (relation == Relation.Parent)
            await Ok(s.Admin, "publishRound", $"mutation($i: PublishRoundInput!) {{ publishRound(input: $i) {{ {RoundFields} }} }}",
                new { i = new { id = World.Id(round), version = round["version"]!.GetValue<int>(), decisionNumber = "126/QĐ-UBND", decisionDate = "2025-12-22" } });
        return (World.Id(round), World.Id(nomination));
    }

    private static MutationCall StepCall(string mutation, JsonNode round, string type, string before, string after) => new(
        $"mutation($i: RoundStepInput!) {{ {mutation}(input: $i) {{ {RoundFields} }} }}",
        new { i = new { id = World.Id(round), version = round["version"]!.GetValue<int>() } },
        "Round", mutation + ".round.id",
        id => [new(id, "status", before, after)]);

    public static readonly IReadOnlyDictionary<string, Func<RegistryScenario, World, Task<MutationCall>>> All =
        new Dictionary<string, Func<RegistryScenario, World, Task<MutationCall>>>
        {
            ["createCouncil"] = (_, w) => Task.FromResult(new MutationCall(
                "mutation($i: CreateCouncilInput!) { createCouncil(input: $i) { council { id } errors { code message } } }",
                new { i = new { unitId = World.Id(w.Target), name = "Ban Chỉ đạo Dân vận khéo xã Vị Thủy" } },
                "Council", "createCouncil.council.id",
                id => [new(id, "name", null, "Ban Chỉ đạo Dân vận khéo xã Vị Thủy"), new(id, "unitId", null, World.Id(w.Target))])),
            ["addCouncilMember"] = async (s, w) =>
            {
                var (council, version) = await Council(s, w);
                return new MutationCall(
                    "mutation($i: AddCouncilMemberInput!) { addCouncilMember(input: $i) { council { id } errors { code message } } }",
                    new { i = new { councilId = council, version, userId = "thanh-vien-3", displayName = "Lê Văn Ba", homeUnitId = World.Id(w.Other), role = "MEMBER" } },
                    "Council", "addCouncilMember.council.id",
                    id => [new(id, "version", version.ToString(), (version + 1).ToString())]);
            },
            ["removeCouncilMember"] = async (s, w) =>
            {
                var (council, version) = await Council(s, w);
                version = (await AddMember(s, council, version, "thanh-vien-3", "Lê Văn Ba", World.Id(w.Other), "MEMBER"))["council"]!["version"]!.GetValue<int>();
                return new MutationCall(
                    "mutation($i: RemoveCouncilMemberInput!) { removeCouncilMember(input: $i) { council { id } errors { code message } } }",
                    new { i = new { councilId = council, version, userId = "thanh-vien-3" } },
                    "Council", "removeCouncilMember.council.id",
                    id => [new(id, "version", version.ToString(), (version + 1).ToString())]);
            },
            ["createRound"] = async (s, w) =>
            {
                var (council, _) = await Council(s, w);
                return new MutationCall(
                    $"mutation($i: CreateRoundInput!) {{ createRound(input: $i) {{ {RoundFields} }} }}",
                    new { i = RoundInput(council, w) }, "Round", "createRound.round.id",
                    id => [new(id, "status", null, "DRAFT"), new(id, "name", null, "Xét chọn mô hình Dân vận khéo tiêu biểu xã năm 2025")]);
            },
            ["updateRound"] = async (s, w) =>
            {
                var round = await DraftRound(s, w);
                return new MutationCall(
                    $"mutation($i: UpdateRoundInput!) {{ updateRound(input: $i) {{ {RoundFields} }} }}",
                    new { i = new { id = World.Id(round), version = 1, name = "Xét chọn mô hình Dân vận khéo tiêu biểu năm 2025 (điều chỉnh)" } },
                    "Round", "updateRound.round.id",
                    id => [new(id, "name", "Xét chọn mô hình Dân vận khéo tiêu biểu xã năm 2025", "Xét chọn mô hình Dân vận khéo tiêu biểu năm 2025 (điều chỉnh)"),
                           new(id, "version", "1", "2")]);
            },
            ["openNominations"] = async (s, w) => StepCall("openNominations", await DraftRound(s, w), "Round", "DRAFT", "NOMINATING"),
            ["openVoting"] = async (s, w) =>
            {
                var round = await NominatingRound(s, w);
                await Nominate(s, round, await Entry(s, w, "Mô hình Tổ tự quản đường hoa"));
                return StepCall("openVoting", round, "Round", "NOMINATING", "VOTING");
            },
            ["closeRound"] = async (s, w) =>
            {
                var (round, nomination, _) = await VotingRound(s, w);
                await Cast(s.As(Chair), nomination);
                return StepCall("closeRound", round, "Round", "VOTING", "CLOSED");
            },
            ["publishRound"] = async (s, w) =>
            {
                var (round, entry) = await ClosedRound(s, w);
                return new MutationCall(
                    $"mutation($i: PublishRoundInput!) {{ publishRound(input: $i) {{ {RoundFields} }} }}",
                    new { i = new { id = World.Id(round), version = round["version"]!.GetValue<int>(), decisionNumber = "125/QĐ-UBND", decisionDate = "2025-12-20" } },
                    "Round", "publishRound.round.id",
                    id => [new(id, "status", "CLOSED", "PUBLISHED"), new(id, "decisionNumber", null, "125/QĐ-UBND"),
                           // the approved entry changes in the same event
                           new(World.Id(entry), "status", "REGISTERED", "RECOGNIZED")]);
            },
            ["nominateEntry"] = async (s, w) =>
            {
                var round = await NominatingRound(s, w);
                var entry = await Entry(s, w, "Mô hình Camera an ninh tự quản");
                return new MutationCall(
                    "mutation($i: NominateEntryInput!) { nominateEntry(input: $i) { nomination { id } errors { code message } } }",
                    new { i = new { roundId = World.Id(round), entryId = World.Id(entry), justification = Justification } },
                    "Nomination", "nominateEntry.nomination.id",
                    id => [new(id, "status", null, "ACTIVE"), new(id, "justification", null, Justification)]);
            },
            ["withdrawNomination"] = async (s, w) =>
            {
                var round = await NominatingRound(s, w);
                var nomination = await Nominate(s, round, await Entry(s, w, "Mô hình Bữa cơm nghĩa tình"));
                return new MutationCall(
                    "mutation($i: WithdrawNominationInput!) { withdrawNomination(input: $i) { nomination { id } errors { code message } } }",
                    new { i = new { id = World.Id(nomination), version = nomination["version"]!.GetValue<int>() } },
                    "Nomination", "withdrawNomination.nomination.id",
                    id => [new(id, "status", "ACTIVE", "WITHDRAWN")]);
            },
            // Ballot events are sealed until the round closes: no changes are shown yet.
            ["castBallot"] = async (s, w) =>
            {
                var (_, nomination, _) = await VotingRound(s, w);
                return new MutationCall(
                    "mutation($i: CastBallotInput!) { castBallot(input: $i) { ballot { id } errors { code message } } }",
                    new { i = new { nominationId = World.Id(nomination), choice = "APPROVE", scores = new[] { 8, 4 }, comment = "Hiệu quả rõ" } },
                    "Ballot", "castBallot.ballot.id", _ => []);
            },
            ["recuse"] = async (s, w) =>
            {
                var (_, nomination, _) = await VotingRound(s, w);
                return new MutationCall(
                    "mutation($i: RecuseInput!) { recuse(input: $i) { ballot { id } errors { code message } } }",
                    new { i = new { nominationId = World.Id(nomination), reason = "Người thân công tác tại đơn vị đề nghị" } },
                    "Ballot", "recuse.ballot.id", _ => []);
            },
        };
}

/// <summary>Cases for the replication mutations: the target unit adopts a model of the unrelated unit.</summary>
public static class ReplicationMutationCases
{
    private static async Task<JsonNode> Registered(RegistryScenario s, JsonNode unit, string title) =>
        await s.Submit(s.Admin, await s.CreateEntry(s.Admin, World.Id(unit), title));

    private static async Task<JsonNode> Recorded(RegistryScenario s, World w) =>
        await ReplicationScenario.RecordOk(s.Admin, World.Id(await Registered(s, w.Other, "Mô hình Chi hội phụ nữ tiết kiệm")), World.Id(w.Target), people: 500, plannedOn: "2025-01-15");

    public static readonly IReadOnlyDictionary<string, Func<RegistryScenario, World, Task<MutationCall>>> All =
        new Dictionary<string, Func<RegistryScenario, World, Task<MutationCall>>>
        {
            // With a derived entry: the entry's "replicated from" changes in the same event.
            ["recordReplication"] = async (s, w) =>
            {
                var source = await Registered(s, w.Other, "Mô hình Tuyến đường nở hoa");
                var derived = await Registered(s, w.Target, "Mô hình Tuyến đường nở hoa ở xã Vị Thủy");
                return new MutationCall(
                    "mutation($i: RecordReplicationInput!) { recordReplication(input: $i) { replication { id } errors { code message } } }",
                    new { i = new { sourceEntryId = World.Id(source), adoptingUnitId = World.Id(w.Target), derivedEntryId = World.Id(derived), adaptationNotes = "Áp dụng tại các ấp" } },
                    "Replication", "recordReplication.replication.id",
                    id => [new(id, "status", null, "PLANNED"), new(World.Id(derived), "novelty", "NEW", "REPLICATED")]);
            },
            ["updateReplication"] = async (s, w) =>
            {
                var r = await Recorded(s, w);
                return new MutationCall(
                    "mutation($i: UpdateReplicationInput!) { updateReplication(input: $i) { replication { id } errors { code message } } }",
                    new { i = new { id = World.Id(r), version = r["version"]!.GetValue<int>(), adaptationNotes = "Mở rộng ra toàn xã", outcome = new { peopleReached = 900 } } },
                    "Replication", "updateReplication.replication.id",
                    id => [new(id, "outcome.peopleReached", "500", "900"), new(id, "version", "1", "2")]);
            },
            ["changeReplicationStatus"] = async (s, w) =>
            {
                var r = await Recorded(s, w);
                return new MutationCall(
                    "mutation($i: ChangeReplicationStatusInput!) { changeReplicationStatus(input: $i) { replication { id } errors { code message } } }",
                    new { i = new { id = World.Id(r), version = r["version"]!.GetValue<int>(), status = "IMPLEMENTING", on = "2025-03-01" } },
                    "Replication", "changeReplicationStatus.replication.id",
                    id => [new(id, "status", "PLANNED", "IMPLEMENTING"), new(id, "startedOn", null, "2025-03-01")]);
            },
        };
}
