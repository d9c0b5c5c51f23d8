using System.Text.Json.Nodes;
using DanVanKheo.Tests.Infrastructure;
using DanVanKheo.Tests.Rounds;

namespace DanVanKheo.Tests.Api;

/// <summary>
/// Every update* mutation, through HTTP: a field left out keeps its value, an explicit null clears
/// a field that may be empty and is refused with BAD_USER_INPUT (changing nothing) on one that may not.
/// </summary>
public sealed class UpdateSemanticsTests(RegistryApiFactory factory) : IClassFixture<RegistryApiFactory>
{
    private readonly RegistryScenario _s = new(factory);

    private static string Id(JsonNode node) => node["id"]!.GetValue<string>();

    private static void NoErrors(GraphQLResponse r, string mutation)
    {
        r.AssertNoErrors();
        Assert.Empty(r.At($"{mutation}.errors").AsArray());
    }

    private static void RefusedOn(GraphQLResponse r, string mutation, string field)
    {
        r.AssertNoErrors();
        Assert.Equal("BAD_USER_INPUT", r.At($"{mutation}.errors.0.code").GetValue<string>());
        Assert.Equal(field, r.At($"{mutation}.errors.0.field").GetValue<string>());
        Assert.Null(r.Data![mutation]!["unit"] ?? r.Data![mutation]!["entry"] ?? r.Data![mutation]!["replication"] ?? r.Data![mutation]!["round"]);
    }

    [Fact]
    public async Task UpdateUnit_keeps_omitted_fields_clears_nullable_ones_and_refuses_null_for_required_ones()
    {
        var province = await _s.CreateUnit("Tỉnh Đồng Tháp", "PROVINCE");
        var unit = await _s.CreateUnit("Xã Tân Hội", "COMMUNE", Id(province), validFrom: "2010-01-01", validTo: "2030-01-01");
        const string update = "mutation($i: UpdateUnitInput!) { updateUnit(input: $i) { unit { version code name kind validFrom validTo parent { id } } errors { code field } } }";
        const string read = "query($id: ID!) { node(id: $id) { ... on Unit { version code name kind validFrom validTo parent { id } } } }";

        var renamed = await _s.Admin.Run(update, new { i = new { id = Id(unit), version = 1, name = "Xã Tân Hội Trung" } });
        NoErrors(renamed, "updateUnit");
        var u = renamed.At("updateUnit.unit");
        Assert.Equal(("Xã Tân Hội Trung", unit["code"]!.GetValue<string>(), "COMMUNE", "2010-01-01", "2030-01-01", Id(province)),
            (u["name"]!.GetValue<string>(), u["code"]!.GetValue<string>(), u["kind"]!.GetValue<string>(),
             u["validFrom"]!.GetValue<string>(), u["validTo"]!.GetValue<string>(), Id(u["parent"]!)));

        var cleared = await _s.Admin.Run(update, new { i = new { id = Id(unit), version = 2, validTo = (string?)null } });
        NoErrors(cleared, "updateUnit");
        Assert.Null(cleared.At("updateUnit.unit")["validTo"]);
        Assert.Equal("2010-01-01", cleared.At("updateUnit.unit.validFrom").GetValue<string>());
        Assert.Equal("Xã Tân Hội Trung", cleared.At("updateUnit.unit.name").GetValue<string>());

        foreach (var field in new[] { "name", "code", "kind" })
        {
            var input = new JsonObject { ["id"] = Id(unit), ["version"] = 3, [field] = null };
            RefusedOn(await _s.Admin.Run(update, new { i = input }), "updateUnit", field);
        }
        var unchanged = await _s.Anonymous.Run(read, new { id = Id(unit) });
        Assert.Equal(3, unchanged.At("node.version").GetValue<int>());
        Assert.Equal("Xã Tân Hội Trung", unchanged.At("node.name").GetValue<string>());

        var root = await _s.Admin.Run(update, new { i = new { id = Id(unit), version = 3, parentId = (string?)null } });
        NoErrors(root, "updateUnit");
        Assert.Null(root.At("updateUnit.unit")["parent"]);
        Assert.Equal("Xã Tân Hội Trung", root.At("updateUnit.unit.name").GetValue<string>());
    }

    [Fact]
    public async Task UpdateEntry_keeps_omitted_fields_clears_nullable_ones_and_refuses_null_for_required_ones()
    {
        var commune = await _s.CreateUnit("Xã Mỹ An Hưng", "COMMUNE");
        var editor = _s.EditorOf(Id(commune));
        var entry = await _s.CreateEntry(editor, Id(commune), "Mô hình “Tổ tự quản bến đò an toàn”", tags: ["giao thông", "an toàn"]);
        const string update = "mutation($i: UpdateEntryInput!) { updateEntry(input: $i) { entry { version title summary kind level startDate tags field { code } results { householdsReached } } errors { code field } } }";

        var retitled = await editor.Run(update, new { i = new { id = Id(entry), version = 1, title = "Mô hình “Bến đò an toàn, văn minh”" } });
        NoErrors(retitled, "updateEntry");
        var e = retitled.At("updateEntry.entry");
        Assert.Equal("Mô hình “Bến đò an toàn, văn minh”", e["title"]!.GetValue<string>());
        Assert.Equal("Tóm tắt: Mô hình “Tổ tự quản bến đò an toàn”", e["summary"]!.GetValue<string>());
        Assert.Equal(("MODEL", "COMMUNE", "2024-03-01", "VAN_HOA_XA_HOI", 120L),
            (e["kind"]!.GetValue<string>(), e["level"]!.GetValue<string>(), e["startDate"]!.GetValue<string>(),
             e["field"]!["code"]!.GetValue<string>(), e["results"]!["householdsReached"]!.GetValue<long>()));
        Assert.Equal(["giao thông", "an toàn"], e["tags"]!.AsArray().Select(t => t!.GetValue<string>()));

        var cleared = await editor.Run(update, new { i = new { id = Id(entry), version = 2, tags = (string[]?)null, startDate = (string?)null } });
        NoErrors(cleared, "updateEntry");
        var c = cleared.At("updateEntry.entry");
        Assert.Empty(c["tags"]!.AsArray());
        Assert.Null(c["startDate"]);
        Assert.Equal("Mô hình “Bến đò an toàn, văn minh”", c["title"]!.GetValue<string>());

        foreach (var field in new[] { "title", "kind", "level", "fieldId", "novelty" })
        {
            var input = new JsonObject { ["id"] = Id(entry), ["version"] = 3, [field] = null };
            RefusedOn(await editor.Run(update, new { i = input }), "updateEntry", field);
        }
        var unchanged = await editor.Run("query($id: ID!) { node(id: $id) { ... on Entry { version title } } }", new { id = Id(entry) });
        Assert.Equal(3, unchanged.At("node.version").GetValue<int>());
        Assert.Equal("Mô hình “Bến đò an toàn, văn minh”", unchanged.At("node.title").GetValue<string>());
    }

    [Fact]
    public async Task UpdateReplication_keeps_omitted_fields_clears_nullable_ones_and_refuses_removing_a_linked_entry()
    {
        var (province, _, model) = await _s.RegisteredEntry("Mô hình “Dân vận khéo” trong vận động hiến đất làm đường");
        var adopting = await _s.CreateUnit("Xã Hòa Bình", "COMMUNE", Id(province));
        var editor = _s.EditorOf(Id(adopting), "editor-hoa-binh");
        var derived = await _s.Submit(editor, await _s.CreateEntry(editor, Id(adopting), "Nhân rộng mô hình hiến đất làm đường tại xã Hòa Bình"));
        var rec = await ReplicationScenario.RecordOk(editor, Id(model), Id(adopting), Id(derived));
        var update = $"mutation($i: UpdateReplicationInput!) {{ updateReplication(input: $i) {{ replication {{ {ReplicationScenario.Fields} }} errors {{ code field }} }} }}";

        var noted = await editor.Run(update, new { i = new { id = Id(rec), version = 1, adaptationNotes = "Điều chỉnh cho vùng sông nước" } });
        NoErrors(noted, "updateReplication");
        var r = noted.At("updateReplication.replication");
        Assert.Equal("Điều chỉnh cho vùng sông nước", r["adaptationNotes"]!.GetValue<string>());
        Assert.Equal(500, r["outcome"]!["peopleReached"]!.GetValue<long>());
        Assert.Equal(Id(derived), Id(r["derivedEntry"]!));

        var cleared = await editor.Run(update, new { i = new { id = Id(rec), version = 2, outcome = (object?)null } });
        NoErrors(cleared, "updateReplication");
        Assert.Null(cleared.At("updateReplication.replication.outcome")["peopleReached"]);
        Assert.Equal("Điều chỉnh cho vùng sông nước", cleared.At("updateReplication.replication.adaptationNotes").GetValue<string>());

        var unlink = await editor.Run(update, new { i = new { id = Id(rec), version = 3, derivedEntryId = (string?)null } });
        unlink.AssertNoErrors();
        Assert.Equal("DERIVED_ENTRY_LOCKED", unlink.At("updateReplication.errors.0.code").GetValue<string>());
        var still = await _s.Anonymous.Run("query($id: ID!) { node(id: $id) { ... on Replication { version derivedEntry { id } } } }", new { id = Id(rec) });
        Assert.Equal(3, still.At("node.version").GetValue<int>());
        Assert.Equal(Id(derived), Id(still.At("node.derivedEntry")));
    }

    [Fact]
    public async Task UpdateRound_keeps_omitted_fields_and_refuses_null_for_every_part_of_the_definition_and_createRound_requires_them()
    {
        var rounds = new RoundScenario(factory);
        var province = Id(await _s.CreateUnit("Tỉnh Bến Tre", "PROVINCE"));
        var council = Id(await rounds.CreateCouncil(_s.Admin, province));
        var now = DateTime.UtcNow;
        var created = await rounds.CreateRound(_s.Admin, RoundScenario.RoundInput(council, province, now.AddDays(10), now.AddDays(20), maxRecognitions: 5));
        RoundScenario.Ok(created, "createRound");
        var roundId = Id(created.At("createRound.round"));
        const string update = "mutation($i: UpdateRoundInput!) { updateRound(input: $i) { round { version name year maxRecognitions rubric { name } recognition { form } } errors { code field } } }";

        var renamed = await _s.Admin.Run(update, new { i = new { id = roundId, version = 1, name = "Xét chọn mô hình tiêu biểu tỉnh Bến Tre" } });
        NoErrors(renamed, "updateRound");
        var r = renamed.At("updateRound.round");
        Assert.Equal(("Xét chọn mô hình tiêu biểu tỉnh Bến Tre", 2025, 5, 2, "Bằng khen"),
            (r["name"]!.GetValue<string>(), r["year"]!.GetValue<int>(), r["maxRecognitions"]!.GetValue<int>(),
             r["rubric"]!.AsArray().Count, r["recognition"]!["form"]!.GetValue<string>()));

        foreach (var field in new[] { "name", "rubric", "rule", "recognition", "maxRecognitions", "nominationsCloseAt", "scopeUnitId" })
        {
            var input = new JsonObject { ["id"] = roundId, ["version"] = 2, [field] = null };
            RefusedOn(await _s.Admin.Run(update, new { i = input }), "updateRound", field);
        }
        var unchanged = await _s.Admin.Run("query($id: ID!) { node(id: $id) { ... on Round { version maxRecognitions } } }", new { id = roundId });
        Assert.Equal(2, unchanged.At("node.version").GetValue<int>());
        Assert.Equal(5, unchanged.At("node.maxRecognitions").GetValue<int>());

        // Required at creation: the schema refuses a round without a rubric before anything runs.
        var withoutRubric = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(RoundScenario.RoundInput(council, province, now.AddDays(10), now.AddDays(20))))!.AsObject();
        withoutRubric.Remove("rubric");
        var refused = await rounds.CreateRound(_s.Admin, withoutRubric);
        Assert.Equal("BAD_USER_INPUT", refused.FirstErrorCode);
    }
}
