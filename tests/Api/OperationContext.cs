using System.Text.Json.Nodes;
using DanVanKheo.Tests.Infrastructure;

namespace DanVanKheo.Tests.Api;

/// <summary>
/// Data and variables for each named operation in schema/operations. A new operation file
/// needs a case here, otherwise the operations test fails and says which one.
/// </summary>
public sealed class OperationContext
{
    private readonly RegistryScenario _s;
    private readonly Dictionary<string, Func<object?>> _variables = [];
    private readonly Dictionary<string, GraphQLClient> _clients = [];
    private readonly Dictionary<string, string> _tokens = [];

    /// <summary>The bearer token a subscription operation connects with (null: anonymous).</summary>
    public string? TokenFor(string operationName) => _tokens.GetValueOrDefault(operationName);

    private OperationContext(RegistryScenario s) => _s = s;

    /// <summary>
    /// A client registered for the operation; else mutations run as an admin, queries marked
    /// "# requires: Registry.Auditor" as an auditor, and the rest anonymously.
    /// </summary>
    public GraphQLClient ClientFor(string operationName, string operationText) =>
        _clients.TryGetValue(operationName, out var client) ? client
        : operationText.Contains("# requires: Registry.Auditor", StringComparison.Ordinal) ? _s.Auditor
        : operationText.TrimStart().Split('\n').SkipWhile(l => l.TrimStart().StartsWith('#')).First().StartsWith("mutation", StringComparison.Ordinal)
            ? _s.Admin
            : _s.Anonymous;

    public object? VariablesFor(string operationName) =>
        _variables.TryGetValue(operationName, out var make) ? make()
            : throw new InvalidOperationException($"No variables for operation '{operationName}': add a case in OperationContext.");

    private static string Id(JsonNode n) => n["id"]!.GetValue<string>();

    public static async Task<OperationContext> CreateAsync(RegistryApiFactory factory, RegistryScenario s)
    {
        var c = new OperationContext(s);
        var province = await s.CreateUnit("Tỉnh An Giang", "PROVINCE", validFrom: "2025-07-01");
        var commune = await s.CreateUnit("Xã Mỹ Hòa Hưng", "COMMUNE", Id(province));
        var oldA = await s.CreateUnit("Xã Vĩnh Hòa Hiệp", "COMMUNE", Id(province), validFrom: "2000-01-01");
        var oldB = await s.CreateUnit("Xã Vĩnh Hòa Phú", "COMMUNE", Id(province), validFrom: "2000-01-01");
        var merged = await s.CreateUnit("Xã Vĩnh Hòa Phú Hiệp", "COMMUNE", Id(province));
        var fieldId = await s.FieldId("VAN_HOA_XA_HOI");
        var registered = await s.Submit(s.Admin, await s.CreateEntry(s.Admin, Id(commune), "Khéo vận động nhân dân hiến đất làm đường nông thôn", fieldId));
        var toUpdate = await s.CreateEntry(s.Admin, Id(commune), "Mô hình Tổ tự quản đường hoa", fieldId);
        var toSubmit = await s.CreateEntry(s.Admin, Id(commune), "Mô hình Chi hội phụ nữ tiết kiệm", fieldId);
        var toDiscontinue = await s.Submit(s.Admin, await s.CreateEntry(s.Admin, Id(commune), "Mô hình Bếp ăn tình thương", fieldId));
        var unitToRename = await s.CreateUnit("Ấp Mỹ Phú", "OTHER", Id(commune));

        c._variables["Fields"] = () => null;
        c._variables["UnitByCode"] = () => new { code = province["code"]!.GetValue<string>() };
        c._variables["UnitChildren"] = () => new { parentId = Id(province), validOn = "2026-01-01" };
        c._variables["SearchEntries"] = () => new { search = "khéo vận động", subtreeOf = Id(province) };
        c._variables["UnitEntries"] = () => new { code = commune["code"]!.GetValue<string>() };
        c._variables["EntryByCode"] = () => new { code = registered["code"]!.GetValue<string>() };
        c._variables["NodeById"] = () => new { id = Id(registered) };
        c._variables["CreateEntry"] = () => new
        {
            input = new
            {
                unitId = Id(commune), title = "Dân vận khéo trong cải cách thủ tục hành chính", summary = "Một cửa liên thông, trả kết quả tại nhà.",
                kind = "MODEL", fieldId, level = "COMMUNE", startDate = "2025-01-15", novelty = "NEW",
                results = new { householdsReached = 1200, peopleReached = 4500, moneyMobilizedVnd = 150_000_000L },
                evidence = new[] { new { title = "Báo cáo sơ kết", url = "https://example.vn/bao-cao.pdf" } },
                tags = new[] { "cải cách hành chính", "chuyển đổi số" },
            },
        };
        c._variables["UpdateEntry"] = () => new
        {
            input = new
            {
                id = Id(toUpdate), version = toUpdate["version"]!.GetValue<int>(), title = "Mô hình Tổ tự quản đường hoa, đường sạch",
                summary = "Các hộ cùng trồng và chăm sóc hoa hai bên đường.", kind = "MODEL", fieldId, level = "COMMUNE",
            },
        };
        c._variables["SubmitEntry"] = () => new { id = Id(toSubmit), version = toSubmit["version"]!.GetValue<int>() };
        c._variables["DiscontinueEntry"] = () => new { id = Id(toDiscontinue), version = toDiscontinue["version"]!.GetValue<int>(), reason = "Đơn vị sáp nhập" };
        c._variables["CreateUnit"] = () => new { input = new { code = RegistryScenario.UniqueCode("AG."), name = "Phường Long Xuyên", kind = "COMMUNE", parentId = Id(province), validFrom = "2025-07-01" } };
        c._variables["UpdateUnit"] = () => new { input = new { id = Id(unitToRename), version = 1, code = unitToRename["code"]!.GetValue<string>(), name = "Ấp Mỹ Phú Đông", kind = "OTHER", parentId = Id(commune) } };
        c._variables["AuditEvents"] = () => new { where = new { targetId = Id(registered) }, first = 10 };
        c._variables["EntryHistory"] = () => new { code = registered["code"]!.GetValue<string>() };
        c._variables["UnitHistory"] = () => new { id = Id(province) };
        c._variables["VerifyAuditChain"] = () => new { stream = (string?)null };
        c._variables["RecordUnitSuccession"] = () => new { input = new { predecessorIds = new[] { Id(oldA), Id(oldB) }, successorIds = new[] { Id(merged) }, effectiveDate = "2025-07-01" } };
        await c.AddReplicationCasesAsync(registered, province, fieldId);
        await c.AddRoundCasesAsync(factory, province);
        return c;
    }

    private async Task AddReplicationCasesAsync(JsonNode source, JsonNode province, string fieldId)
    {
        var s = _s;
        var adopter = await s.CreateUnit("Xã Bình Hòa", "COMMUNE", Id(province));
        var derived = await s.Submit(s.Admin, await s.CreateEntry(s.Admin, Id(adopter), "Nhân rộng mô hình hiến đất làm đường tại xã Bình Hòa", fieldId));
        var adopter2 = await s.CreateUnit("Xã An Hòa", "COMMUNE", Id(province));
        const string record = """
            mutation($input: RecordReplicationInput!) { recordReplication(input: $input) { replication { id version } errors { code message } } }
            """;
        var existing = await s.Admin.Run(record, new { input = new { sourceEntryId = Id(source), adoptingUnitId = Id(adopter2), plannedOn = "2025-02-01" } });
        existing.AssertNoErrors();
        var replication = existing.At("recordReplication.replication");
        var adopter3 = await s.CreateUnit("Xã Hòa Bình Thạnh", "COMMUNE", Id(province));
        var toAdvance = (await s.Admin.Run(record, new { input = new { sourceEntryId = Id(source), adoptingUnitId = Id(adopter3), plannedOn = "2025-02-01" } }))
            .At("recordReplication.replication");

        _variables["RecordReplication"] = () => new
        {
            input = new
            {
                sourceEntryId = Id(source), adoptingUnitId = Id(adopter), derivedEntryId = Id(derived), plannedOn = "2025-02-01",
                adaptationNotes = "Áp dụng tại 6 ấp, điều chỉnh lịch sinh hoạt theo mùa vụ",
                outcome = new { peopleReached = 1200, householdsReached = 340, moneyMobilizedVnd = 250_000_000L },
            },
        };
        _variables["UpdateReplication"] = () => new
        {
            input = new
            {
                id = Id(replication), version = replication["version"]!.GetValue<int>(),
                adaptationNotes = "Mở rộng ra toàn xã, mỗi ấp một tổ tự quản",
                outcome = new { peopleReached = 2100, householdsReached = 560, moneyMobilizedVnd = 410_000_000L, otherResults = "Làm mới 3,5 km đường giao thông nông thôn" },
            },
        };
        _variables["ChangeReplicationStatus"] = () => new
        {
            input = new { id = Id(toAdvance), version = toAdvance["version"]!.GetValue<int>(), status = "IMPLEMENTING", on = "2025-03-01" },
        };
        _variables["Replications"] = () => new { sourceEntryId = Id(source) };
        _variables["ReplicationChanged"] = () => new { sourceEntryId = Id(source) };
        _variables["EntryLineage"] = () => new { entryId = Id(source), asOf = "2026-01-01" };
        _variables["MostReplicated"] = () => new { year = source["code"]!.GetValue<string>()[4..8] is var y ? int.Parse(y) : 2025, fieldId, unitId = Id(province) };
        _variables["AnnualReport"] = () => new { unitId = Id(province), year = int.Parse(source["code"]!.GetValue<string>()[4..8]), includeSubunits = true, asOf = "2026-01-01" };
    }

    private async Task AddRoundCasesAsync(RegistryApiFactory factory, JsonNode province)
    {
        var r = new Rounds.RoundScenario(factory);
        var admin = _s.Admin;
        var elsewhere = await _s.CreateUnit("Ban Dân vận Tỉnh ủy", "OTHER");
        var council = await r.CreateCouncil(admin, Id(province), "Hội đồng Thi đua – Khen thưởng tỉnh An Giang");
        var version = council["version"]!.GetValue<int>();
        var members = new[] { "op-chu-tich", "op-thu-ky", "op-uy-vien-1", "op-uy-vien-2" };
        var roles = new[] { "CHAIR", "SECRETARY", "MEMBER", "MEMBER" };
        var names = new[] { "Lê Văn Thành", "Trần Thị Bình", "Nguyễn Minh Tâm", "Phạm Thu Hà" };
        for (var i = 0; i < members.Length; i++)
            version = await r.AddMember(admin, Id(council), version, members[i], names[i], Id(elsewhere), roles[i]);
        var spare = await r.CreateCouncil(admin, Id(province), "Ban Chỉ đạo phong trào Dân vận khéo");
        var spareVersion = await r.AddMember(admin, Id(spare), spare["version"]!.GetValue<int>(), "6f1c2e8d-4b7a-4e55-9d2f-1a2b3c4d5e6f", "Trần Thị Bình", Id(elsewhere));

        var secretary = factory.Client(RegistryApiFactory.Token("op-thu-ky", name: "Trần Thị Bình"));
        var growing = await r.CreateCouncil(admin, Id(province), "Hội đồng xét chọn điển hình cấp tỉnh");
        var soon = DateTime.UtcNow.AddDays(10);
        var later = DateTime.UtcNow.AddDays(20);
        async Task<JsonNode> Round(string name)
        {
            var created = await r.CreateRound(admin, Rounds.RoundScenario.RoundInput(Id(council), Id(province), soon, later, name: name));
            Rounds.RoundScenario.Ok(created, "createRound");
            return created.At("createRound.round");
        }
        async Task<JsonNode> Step(JsonNode round, string mutation)
        {
            var stepped = await r.Step(secretary, mutation, Id(round), round["version"]!.GetValue<int>());
            Rounds.RoundScenario.Ok(stepped, mutation);
            return stepped.At(mutation + ".round");
        }
        async Task<JsonNode> Nominate(JsonNode round, string title)
        {
            var commune = await _s.CreateUnit("Xã " + title, "COMMUNE", Id(province));
            var entry = await r.RegisteredEntry(Id(commune), "Mô hình " + title);
            var n = await r.Nominate(admin, Id(round), Id(entry));
            Rounds.RoundScenario.Ok(n, "nominateEntry");
            return n.At("nominateEntry.nomination");
        }

        var draft = await Round("Đợt xét chọn nháp");
        var draftToUpdate = await Round("Đợt xét chọn cần sửa hạn");
        var nominating = await Step(await Round("Đợt đang nhận đề nghị"), "openNominations");
        var toNominate = await r.RegisteredEntry(Id(await _s.CreateUnit("Xã Hòa Lạc", "COMMUNE", Id(province))), "Mô hình Dân vận khéo xây dựng nông thôn mới");
        var toWithdraw = await Nominate(nominating, "Phú Thạnh");
        var readyToVote = await Step(await Round("Đợt sẵn sàng bỏ phiếu"), "openNominations");
        await Nominate(readyToVote, "Phú Bình");
        var voting = await Step(await Round("Đợt đang bỏ phiếu"), "openNominations");
        var ballotTarget = await Nominate(voting, "Long Điền");
        voting = await Step(voting, "openVoting");
        var member = factory.Client(RegistryApiFactory.Token("op-uy-vien-1", name: "Nguyễn Minh Tâm"));
        var recusing = factory.Client(RegistryApiFactory.Token("op-uy-vien-2", name: "Phạm Thu Hà"));

        var toClose = await Step(await Round("Đợt cần kết thúc"), "openNominations");
        await Nominate(toClose, "Long Kiến");
        toClose = await Step(toClose, "openVoting");
        var closed = await Step(await Round("Đợt đã kết thúc"), "openNominations");
        await Nominate(closed, "Long Giang");
        closed = await Step(await Step(closed, "openVoting"), "closeRound");
        var published = await Step(await Round("Đợt đã công bố"), "openNominations");
        var recognized = await Nominate(published, "Mỹ Luông");
        published = await Step(await Step(published, "openVoting"), "closeRound");
        var pub = await secretary.Run("""
            mutation($i: PublishRoundInput!) { publishRound(input: $i) { round { id version } errors { code message } } }
            """, new { i = new { id = Id(published), version = published["version"]!.GetValue<int>(), decisionNumber = "2150/QĐ-UBND", decisionDate = "2025-12-10" } });
        Rounds.RoundScenario.Ok(pub, "publishRound");
        var recognizedEntry = await admin.Run("query($id: ID!) { node(id: $id) { ... on Nomination { entry { code } } } }", new { id = Id(recognized) });

        _variables["Councils"] = () => new { unitId = Id(province) };
        _variables["CreateCouncil"] = () => new { unitId = Id(province) };
        _variables["AddCouncilMember"] = () => new { councilId = Id(growing), version = growing["version"]!.GetValue<int>(), homeUnitId = Id(elsewhere) };
        _variables["RemoveCouncilMember"] = () => new { councilId = Id(spare), version = spareVersion };
        _variables["CreateRound"] = () => new { councilId = Id(council), scopeUnitId = Id(province), nominationsCloseAt = soon.ToString("O"), votingClosesAt = later.ToString("O") };
        _variables["UpdateRound"] = () => new { id = Id(draftToUpdate), version = draftToUpdate["version"]!.GetValue<int>(), votingClosesAt = later.AddDays(5).ToString("O") };
        _variables["OpenNominations"] = () => new { id = Id(draft), version = draft["version"]!.GetValue<int>() };
        _variables["NominateEntry"] = () => new { roundId = Id(nominating), entryId = Id(toNominate) };
        _variables["WithdrawNomination"] = () => new { id = Id(toWithdraw), version = toWithdraw["version"]!.GetValue<int>() };
        _variables["OpenVoting"] = () => new { id = Id(readyToVote), version = readyToVote["version"]!.GetValue<int>() };
        _variables["CastBallot"] = () => new { nominationId = Id(ballotTarget), scores = new[] { 9, 4 } };
        _clients["CastBallot"] = member;
        _variables["Recuse"] = () => new { nominationId = Id(ballotTarget) };
        _clients["Recuse"] = recusing;
        _variables["MyBallots"] = () => new { roundId = Id(voting) };
        _clients["MyBallots"] = member;
        _clients["CloseRound"] = secretary;
        _clients["PublishRound"] = secretary;
        _clients["OpenVoting"] = secretary;
        _clients["OpenNominations"] = secretary;
        _variables["CloseRound"] = () => new { id = Id(toClose), version = toClose["version"]!.GetValue<int>() };
        _variables["PublishRound"] = () => new { id = Id(closed), version = closed["version"]!.GetValue<int>() };
        _variables["Rounds"] = () => new { unitId = Id(province) };
        _variables["RoundProgress"] = () => new { roundId = Id(voting) };
        _tokens["RoundProgress"] = RegistryApiFactory.AdminToken();
        _clients["RoundProgress"] = admin;
        _variables["EntryRegistered"] = () => new { unitId = Id(province) };
        _variables["RoundNominations"] = () => new { id = Id(voting) };
        _variables["RoundResults"] = () => new { id = Id(published) };
        _variables["EntryRecognitions"] = () => new { code = recognizedEntry.At("node.entry.code").GetValue<string>() };
    }
}
