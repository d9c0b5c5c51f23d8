using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using DanVanKheo.Tests.Infrastructure;

namespace DanVanKheo.Tests.Api;

public sealed class EntryApiTests(RegistryApiFactory factory) : IClassFixture<RegistryApiFactory>
{
    private readonly RegistryScenario _s = new(factory);

    private const string EntryById = "query($id: ID!) { entry(id: $id) { code title status version person { fullName phone } } }";

    private static string Id(JsonNode node) => node["id"]!.GetValue<string>();

    [Fact]
    public async Task Editor_registers_a_draft_that_only_their_unit_sees_until_it_is_submitted()
    {
        var province = await _s.CreateUnit("Tỉnh An Giang", "PROVINCE");
        var commune = await _s.CreateUnit("Xã Mỹ Hòa Hưng", "COMMUNE", Id(province));
        var editor = _s.EditorOf(Id(commune));
        var entry = await _s.CreateEntry(editor, Id(commune), "Khéo vận động nhân dân hiến đất làm đường nông thôn");

        Assert.Equal("DRAFT", entry["status"]!.GetValue<string>());
        Assert.StartsWith("NHÁP-", entry["code"]!.GetValue<string>()); // registry codes are reserved at registration

        var anonymous = await _s.Anonymous.Run(EntryById, new { id = Id(entry) });
        anonymous.AssertNoErrors();
        Assert.Null(anonymous.Data!["entry"]);
        var provinceEditor = await _s.EditorOf(Id(province), "tinh-editor").Run(EntryById, new { id = Id(entry) });
        Assert.Equal("DRAFT", provinceEditor.At("entry.status").GetValue<string>());

        var submitted = await _s.Submit(editor, entry);
        Assert.Equal("REGISTERED", submitted["status"]!.GetValue<string>());
        Assert.Matches(new Regex(@"^DVK-\d{4}-\d{6}$"), submitted["code"]!.GetValue<string>());
        Assert.Equal(entry["version"]!.GetValue<int>() + 1, submitted["version"]!.GetValue<int>());
        var publicView = await _s.Anonymous.Run(EntryById, new { id = Id(entry) });
        Assert.Equal("REGISTERED", publicView.At("entry.status").GetValue<string>());
    }

    [Fact]
    public async Task Editor_of_another_unit_is_forbidden_and_nothing_is_created()
    {
        var a = await _s.CreateUnit("Xã Bình An", "COMMUNE");
        var b = await _s.CreateUnit("Xã Bình Sơn", "COMMUNE");
        var intruder = _s.EditorOf(Id(b), "editor-b");
        var r = await intruder.Run("""
            mutation($input: CreateEntryInput!) { createEntry(input: $input) { entry { id } errors { code } } }
            """, new { input = new { unitId = Id(a), title = "Mô hình không được phép", kind = "MODEL", fieldId = await _s.FieldId(), level = "COMMUNE" } });
        Assert.Equal("FORBIDDEN", r.RefusalCode);
        var list = await _s.Admin.Run("query($u: ID!) { entries(where: { unitId: { eq: $u } }) { totalCount } }", new { u = Id(a) });
        Assert.Equal(0, list.At("entries.totalCount").GetValue<int>());
    }

    [Fact]
    public async Task Concurrent_submits_get_contiguous_codes_and_a_refused_submit_uses_no_number()
    {
        var commune = await _s.CreateUnit("Phường Vĩnh Lạc", "COMMUNE");
        var editor = _s.EditorOf(Id(commune));
        var fieldId = await _s.FieldId();
        var drafts = new List<JsonNode>();
        for (var i = 0; i < 41; i++)
            drafts.Add(await _s.CreateEntry(editor, Id(commune), $"Dân vận khéo trong cải cách thủ tục hành chính số {i}", fieldId));
        Assert.All(drafts, d => Assert.StartsWith("NHÁP-", d["code"]!.GetValue<string>()));

        var submitted = await Task.WhenAll(drafts.Take(40).Select(d => _s.Submit(editor, d)));
        var codes = submitted.Select(e => e["code"]!.GetValue<string>()).ToList();
        Assert.All(codes, c => Assert.Matches(new Regex(@"^DVK-\d{4}-\d{6}$"), c));
        var sequences = codes.Select(c => int.Parse(c[^6..])).Order().ToList();
        Assert.Equal(Enumerable.Range(sequences[0], 40), sequences);

        // Refused submits (a stale version, an entry already registered) take no number.
        const string submit = "mutation($input: SubmitEntryInput!) { submitEntry(input: $input) { entry { code } errors { code } } }";
        var stale = await editor.Run(submit, new { input = new { id = Id(drafts[40]), version = 7 } });
        Assert.Equal("STALE_VERSION", stale.At("submitEntry.errors.0.code").GetValue<string>());
        var again = await editor.Run(submit, new { input = new { id = Id(submitted[0]), version = submitted[0]["version"]!.GetValue<int>() } });
        Assert.Equal("INVALID_STATUS", again.At("submitEntry.errors.0.code").GetValue<string>());
        var last = await _s.Submit(editor, drafts[40]);
        Assert.Equal(sequences[^1] + 1, int.Parse(last["code"]!.GetValue<string>()[^6..]));
    }

    [Fact]
    public async Task A_draft_shows_only_its_private_reference_and_the_public_never_sees_it()
    {
        var commune = await _s.CreateUnit("Xã Vĩnh Hòa", "COMMUNE");
        var editor = _s.EditorOf(Id(commune));
        var draft = await _s.CreateEntry(editor, Id(commune), "Mô hình Chợ quê không rác thải nhựa");
        var reference = draft["code"]!.GetValue<string>();
        Assert.Matches(new Regex("^NHÁP-[0-9A-F]{32}$"), reference);
        var registered = await _s.Submit(editor, await _s.CreateEntry(editor, Id(commune), "Mô hình Chợ quê văn minh"));
        var code = registered["code"]!.GetValue<string>();

        const string byCode = "query($c: String!) { entry(code: $c) { id code status } }";
        Assert.Equal(Id(registered), (await _s.Anonymous.Run(byCode, new { c = code })).At("entry.id").GetValue<string>());
        Assert.Equal(Id(draft), (await editor.Run(byCode, new { c = reference.ToLowerInvariant() })).At("entry.id").GetValue<string>());
        Assert.Null((await _s.Anonymous.Run(byCode, new { c = reference })).Data!["entry"]);

        const string list = """
            query($u: ID!) { entries(where: { unitId: { eq: $u } }, order: { code: ASC }) { totalCount nodes { id code status } } }
            """;
        var mine = await editor.Run(list, new { u = Id(commune) });
        Assert.Equal(2, mine.At("entries.totalCount").GetValue<int>());
        // Drafts sort after every registry code.
        Assert.Equal(code, mine.At("entries.nodes.0.code").GetValue<string>());
        Assert.Equal(reference, mine.At("entries.nodes.1.code").GetValue<string>());

        var anonymous = await _s.Anonymous.Run(list, new { u = Id(commune) });
        Assert.Equal(1, anonymous.At("entries.totalCount").GetValue<int>());
        Assert.Equal(code, anonymous.At("entries.nodes.0.code").GetValue<string>());
        var search = await _s.Anonymous.Run("query { entries(where: { search: \"cho que khong rac\" }) { totalCount } }");
        Assert.Equal(0, search.At("entries.totalCount").GetValue<int>());
    }

    [Fact]
    public async Task Stale_version_update_is_refused_and_changes_nothing()
    {
        var commune = await _s.CreateUnit("Xã Tân Hội", "COMMUNE");
        var editor = _s.EditorOf(Id(commune));
        var entry = await _s.CreateEntry(editor, Id(commune), "Mô hình Tổ tự quản an ninh trật tự");
        const string update = """
            mutation($input: UpdateEntryInput!) { updateEntry(input: $input) { entry { title version } errors { code field message } } }
            """;
        var fieldId = await _s.FieldId();
        object Input(string title, int version) => new
        {
            input = new { id = Id(entry), version, title, summary = "Tóm tắt mới", kind = "MODEL", fieldId, level = "COMMUNE" },
        };
        var first = await editor.Run(update, Input("Mô hình Tổ tự quản an ninh trật tự kiểu mẫu", 1));
        Assert.Empty(first.At("updateEntry.errors").AsArray());
        Assert.Equal(2, first.At("updateEntry.entry.version").GetValue<int>());

        var stale = await editor.Run(update, Input("Tiêu đề ghi đè sai", 1));
        Assert.Equal("STALE_VERSION", stale.At("updateEntry.errors.0.code").GetValue<string>());
        Assert.Null(stale.Data!["updateEntry"]!["entry"]);
        var now = await editor.Run(EntryById, new { id = Id(entry) });
        Assert.Equal("Mô hình Tổ tự quản an ninh trật tự kiểu mẫu", now.At("entry.title").GetValue<string>());
    }

    [Fact]
    public async Task Only_drafts_are_editable_and_bad_input_is_a_typed_error()
    {
        var (_, commune, entry) = await _s.RegisteredEntry("Mô hình Dân vận khéo chuyển đổi số");
        var editor = _s.EditorOf(Id(commune));
        const string update = """
            mutation($input: UpdateEntryInput!) { updateEntry(input: $input) { entry { id } errors { code field } } }
            """;
        var r = await editor.Run(update, new { input = new { id = Id(entry), version = entry["version"]!.GetValue<int>(), title = "Sửa sau khi nộp", kind = "MODEL", fieldId = await _s.FieldId(), level = "COMMUNE" } });
        Assert.Equal("INVALID_STATUS", r.At("updateEntry.errors.0.code").GetValue<string>());

        var draft = await _s.CreateEntry(editor, Id(commune), "Mô hình nháp để thử lỗi");
        var bad = await editor.Run(update, new { input = new { id = Id(draft), version = 1, title = "Ngắn", kind = "EXEMPLAR", fieldId = await _s.FieldId(), level = "COMMUNE" } });
        Assert.Equal("title", bad.At("updateEntry.errors.0.field").GetValue<string>());
        var unknownField = await editor.Run(update, new { input = new { id = Id(draft), version = 1, title = "Tiêu đề hợp lệ", kind = "MODEL", fieldId = "RmllbGQ6bm9wZQ", level = "COMMUNE" } });
        Assert.Equal("NOT_FOUND", unknownField.At("updateEntry.errors.0.code").GetValue<string>());
        var unknownEntry = await editor.Run(update, new { input = new { id = "RW50cnk6bm9wZQ", version = 1, title = "Tiêu đề hợp lệ", kind = "MODEL", fieldId = await _s.FieldId(), level = "COMMUNE" } });
        Assert.Equal("NOT_FOUND", unknownEntry.At("updateEntry.errors.0.code").GetValue<string>());
        var after = await editor.Run(EntryById, new { id = Id(draft) });
        Assert.Equal("Mô hình nháp để thử lỗi", after.At("entry.title").GetValue<string>());
        Assert.Equal(1, after.At("entry.version").GetValue<int>());
    }

    [Fact]
    public async Task Discontinue_records_the_reason_and_a_second_time_is_refused()
    {
        var (_, commune, entry) = await _s.RegisteredEntry("Mô hình Chi hội phụ nữ tự quản bảo vệ môi trường");
        var editor = _s.EditorOf(Id(commune));
        const string discontinue = """
            mutation($input: DiscontinueEntryInput!) { discontinueEntry(input: $input) { entry { status version discontinuedReason } errors { code } } }
            """;
        var r = await editor.Run(discontinue, new { input = new { id = Id(entry), version = entry["version"]!.GetValue<int>(), reason = "Sáp nhập đơn vị" } });
        Assert.Equal("DISCONTINUED", r.At("discontinueEntry.entry.status").GetValue<string>());
        Assert.Equal("Sáp nhập đơn vị", r.At("discontinueEntry.entry.discontinuedReason").GetValue<string>());
        var again = await editor.Run(discontinue, new { input = new { id = Id(entry), version = r.At("discontinueEntry.entry.version").GetValue<int>() } });
        Assert.Equal("INVALID_STATUS", again.At("discontinueEntry.errors.0.code").GetValue<string>());
    }

    [Fact]
    public async Task Search_ignores_case_and_diacritics_and_matches_word_prefixes()
    {
        var tag = "tag" + Guid.NewGuid().ToString("N")[..8];
        var commune = await _s.CreateUnit("Xã Đông Hòa", "COMMUNE");
        var editor = _s.EditorOf(Id(commune));
        var hit = await _s.CreateEntry(editor, Id(commune), "Khéo vận động đồng bào hiến đất mở đường", tags: [tag]);
        var miss = await _s.CreateEntry(editor, Id(commune), "Dân vận khéo trong xây dựng Đảng", tags: [tag]);
        await _s.Submit(editor, hit);
        await _s.Submit(editor, miss);

        async Task<List<string>> Search(string q)
        {
            var r = await _s.Anonymous.Run("query($q: String) { entries(where: { search: $q }, first: 50) { nodes { title } } }", new { q = $"{q} {tag}" });
            r.AssertNoErrors();
            return r.At("entries.nodes").AsArray().Select(n => n!["title"]!.GetValue<string>()).ToList();
        }

        Assert.Equal(["Khéo vận động đồng bào hiến đất mở đường"], await Search("khe van dong"));
        Assert.Equal(["Khéo vận động đồng bào hiến đất mở đường"], await Search("ĐỒNG BÀO"));
        Assert.Equal(["Khéo vận động đồng bào hiến đất mở đường"], await Search("duong"));
        Assert.Equal(2, (await Search("kheo")).Count);
        Assert.Empty(await Search("hien dat xay"));
    }

    [Fact]
    public async Task Filters_by_unit_subtree_field_kind_status_and_year()
    {
        var province = await _s.CreateUnit("Tỉnh lọc thử", "PROVINCE");
        var c1 = await _s.CreateUnit("Xã lọc 1", "COMMUNE", Id(province));
        var c2 = await _s.CreateUnit("Xã lọc 2", "COMMUNE", Id(province));
        var e1 = _s.EditorOf(Id(c1));
        var e2 = _s.EditorOf(Id(c2));
        var economy = await _s.FieldId("KINH_TE");
        await _s.Submit(e1, await _s.CreateEntry(e1, Id(c1), "Mô hình kinh tế hộ gia đình", economy));
        await _s.CreateEntry(e1, Id(c1), "Điển hình tập thể nháp", kind: "EXEMPLAR", exemplarType: "COLLECTIVE");
        await _s.Submit(e2, await _s.CreateEntry(e2, Id(c2), "Điển hình cá nhân tiêu biểu", kind: "EXEMPLAR", exemplarType: "INDIVIDUAL",
            person: new { fullName = "Nguyễn Thị Hoa", phone = "0912345678" }));

        async Task<int> Count(GraphQLClient client, object where)
        {
            var r = await client.Run("query($w: EntryFilterInput) { entries(where: $w) { totalCount } }", new { w = where });
            r.AssertNoErrors();
            return r.At("entries.totalCount").GetValue<int>();
        }

        var year = DateTime.UtcNow.AddHours(7).Year;
        Assert.Equal(2, await Count(_s.Anonymous, new { subtreeOf = new { eq = Id(province) } }));
        Assert.Equal(3, await Count(_s.Admin, new { subtreeOf = new { eq = Id(province) } }));
        Assert.Equal(0, await Count(_s.Anonymous, new { unitId = new { eq = Id(province) } }));
        Assert.Equal(1, await Count(_s.Anonymous, new { subtreeOf = new { eq = Id(province) }, fieldId = new { eq = economy } }));
        Assert.Equal(1, await Count(_s.Anonymous, new { subtreeOf = new { eq = Id(province) }, kind = new { eq = "EXEMPLAR" } }));
        Assert.Equal(1, await Count(_s.Admin, new { subtreeOf = new { eq = Id(province) }, status = new { eq = "DRAFT" } }));
        Assert.Equal(3, await Count(_s.Admin, new { subtreeOf = new { eq = Id(province) }, year = new { eq = year } }));
        Assert.Equal(0, await Count(_s.Admin, new { subtreeOf = new { eq = Id(province) }, year = new { eq = year - 1 } }));
        Assert.Equal(3, await Count(e1, new { subtreeOf = new { eq = Id(province) } }));
        Assert.Equal(2, await Count(e2, new { subtreeOf = new { eq = Id(province) } }));
    }

    [Fact]
    public async Task Personal_data_of_individual_exemplars_is_hidden_from_the_public()
    {
        var commune = await _s.CreateUnit("Xã riêng tư", "COMMUNE");
        var editor = _s.EditorOf(Id(commune));
        var entry = await _s.CreateEntry(editor, Id(commune), "Điển hình cá nhân Nguyễn Văn An", kind: "EXEMPLAR", exemplarType: "INDIVIDUAL",
            person: new { fullName = "Nguyễn Văn An", phone = "0987654321", address = "Ấp Phước Hòa, xã Phước Long", birthDate = "1975-05-19" });
        await _s.Submit(editor, entry);
        var own = await editor.Run(EntryById, new { id = Id(entry) });
        Assert.Equal("0987654321", own.At("entry.person.phone").GetValue<string>());
        var pub = await _s.Anonymous.Run(EntryById, new { id = Id(entry) });
        pub.AssertNoErrors();
        Assert.Null(pub.Data!["entry"]!["person"]);
    }

    [Fact]
    public async Task Keyset_pages_cover_every_entry_once_in_both_directions()
    {
        var tag = "page" + Guid.NewGuid().ToString("N")[..8];
        var commune = await _s.CreateUnit("Xã phân trang", "COMMUNE");
        var editor = _s.EditorOf(Id(commune));
        var titles = new[] { "Ấp văn hóa kiểu mẫu", "Bếp ăn tình thương", "Cầu nông thôn", "Đường hoa", "Gia đình văn hóa", "Hội quán nông dân", "Khu dân cư an toàn" };
        foreach (var t in titles) await _s.CreateEntry(editor, Id(commune), t + " " + tag, tags: [tag]);

        const string page = """
            query($q: String, $first: Int, $after: String, $last: Int, $before: String) {
              entries(where: { search: $q }, order: [{ title: ASC }], first: $first, after: $after, last: $last, before: $before) {
                totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } nodes { title }
              }
            }
            """;
        var seen = new List<string>();
        string? after = null;
        while (true)
        {
            var r = await editor.Run(page, new { q = tag, first = 3, after });
            r.AssertNoErrors();
            Assert.Equal(7, r.At("entries.totalCount").GetValue<int>());
            seen.AddRange(r.At("entries.nodes").AsArray().Select(n => n!["title"]!.GetValue<string>()));
            if (!r.At("entries.pageInfo.hasNextPage").GetValue<bool>()) break;
            after = r.At("entries.pageInfo.endCursor").GetValue<string>();
        }
        Assert.Equal(titles.Select(t => t + " " + tag), seen);

        var last = await editor.Run(page, new { q = tag, last = 2 });
        Assert.Equal(seen[^2..], last.At("entries.nodes").AsArray().Select(n => n!["title"]!.GetValue<string>()));
        Assert.True(last.At("entries.pageInfo.hasPreviousPage").GetValue<bool>());
        var before = await editor.Run(page, new { q = tag, last = 2, before = last.At("entries.pageInfo.startCursor").GetValue<string>() });
        Assert.Equal(seen[^4..^2], before.At("entries.nodes").AsArray().Select(n => n!["title"]!.GetValue<string>()));

        var wrongOrder = await editor.Run("query($a: String) { entries(after: $a) { totalCount } }", new { a = after });
        Assert.Equal("BAD_USER_INPUT", wrongOrder.FirstErrorCode);
        var both = await editor.Run("{ entries(first: 1, last: 1) { totalCount } }");
        Assert.Equal("BAD_USER_INPUT", both.FirstErrorCode);
        var tooMany = await editor.Run("{ entries(first: 1000) { totalCount } }");
        Assert.Equal("BAD_USER_INPUT", tooMany.FirstErrorCode);
    }

    [Fact]
    public async Task Node_and_nodes_fetch_any_object_by_global_id()
    {
        var (province, _, entry) = await _s.RegisteredEntry("Mô hình truy vấn node");
        var r = await _s.Anonymous.Run("""
            query($ids: [ID!]!, $e: ID!) {
              node(id: $e) { __typename id ... on Entry { title } }
              nodes(ids: $ids) { __typename ... on Unit { name } ... on Entry { code } }
            }
            """, new { e = Id(entry), ids = new[] { Id(province), Id(entry), "bm9wZTpub3Bl" } });
        r.AssertNoErrors();
        Assert.Equal("Entry", r.At("node.__typename").GetValue<string>());
        Assert.Equal(Id(entry), r.At("node.id").GetValue<string>());
        Assert.Equal("Unit", r.At("nodes.0.__typename").GetValue<string>());
        Assert.Equal(entry["code"]!.GetValue<string>(), r.At("nodes.1.code").GetValue<string>());
        Assert.Null(r.Data!["nodes"]![2]);
    }
}
