using System.Collections;
using System.Globalization;
using System.Net.Http.Headers;
using System.Reflection;
using System.Resources;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using DanVanKheo.Api.Common;
using DanVanKheo.Tests.Infrastructure;

namespace DanVanKheo.Tests.Api;

/// <summary>
/// Errors as a contract (docs/errors.md): the schema's ErrorCode enum, the code constants, the
/// resources and the docs list the same codes; messages come in Vietnamese by default and in
/// English on request; refusals a user can correct (a target's unit included) come back in the
/// mutation payload, the rest at the top level; and a refusal's security event names the refused
/// field, its parent type and the policy apart.
/// </summary>
public sealed partial class ErrorContractTests(RegistryApiFactory factory) : IClassFixture<RegistryApiFactory>
{
    private readonly RegistryScenario _s = new(factory);

    [GeneratedRegex(@"\{(\d+)(:[^}]*)?\}")]
    private static partial Regex Placeholder();

    private const string CreateEntry = """
        mutation($input: CreateEntryInput!) { createEntry(input: $input) { entry { id } errors { code message field } } }
        """;

    private const string CreateUnit = """
        mutation($input: CreateUnitInput!) { createUnit(input: $input) { unit { id } errors { code message field } } }
        """;

    private GraphQLClient InLanguage(string? token, string acceptLanguage)
    {
        var client = factory.Client(token);
        client.Http.DefaultRequestHeaders.Add("Accept-Language", acceptLanguage);
        return client;
    }

    private static ResourceSet Resources(CultureInfo culture) =>
        new ResourceManager(typeof(Messages).FullName!, typeof(Messages).Assembly).GetResourceSet(culture, createIfNotExists: true, tryParents: false)
        ?? throw new InvalidOperationException($"No resources for '{culture.Name}'.");

    private static Dictionary<string, string> Texts(CultureInfo culture) =>
        Resources(culture).Cast<DictionaryEntry>().ToDictionary(e => (string)e.Key, e => (string)e.Value!);

    private static string Vi(string key, params object[] args) =>
        string.Format(MessageText.Vietnamese, Texts(CultureInfo.InvariantCulture)[key], args);

    private static string En(string key, params object[] args) =>
        string.Format(MessageText.English, Texts(MessageText.English)[key], args);

    [Fact]
    public async Task The_ErrorCode_enum_lists_every_code_of_the_catalog_with_a_real_description()
    {
        var r = (await _s.Anonymous.Run("{ __type(name: \"ErrorCode\") { kind enumValues { name description } } }")).AssertNoErrors();
        Assert.Equal("ENUM", r.At("__type.kind").GetValue<string>());
        var values = r.At("__type.enumValues").AsArray()
            .ToDictionary(v => v!["name"]!.GetValue<string>(), v => v!["description"]?.GetValue<string>() ?? "");
        Assert.Equal(ErrorCatalog.All.Select(c => c.Code).Order(StringComparer.Ordinal), values.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("ROUND_NOT_VOTING", values.Keys);
        Assert.Contains("RATE_LIMITED", values.Keys);
        var thin = values.Where(v => v.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length < 4).Select(v => v.Key).ToList();
        Assert.True(thin.Count == 0, "Descriptions too short: " + string.Join(", ", thin));

        var payloadCode = (await _s.Anonymous.Run("{ __type(name: \"UserError\") { fields { name type { kind ofType { name } } } } }")).AssertNoErrors()
            .At("__type.fields").AsArray().Single(f => f!["name"]!.GetValue<string>() == "code")!;
        Assert.Equal("NON_NULL", payloadCode["type"]!["kind"]!.GetValue<string>());
        Assert.Equal("ErrorCode", payloadCode["type"]!["ofType"]!["name"]!.GetValue<string>());
    }

    [Fact]
    public void Every_code_and_message_has_a_Vietnamese_and_an_English_text_with_the_same_placeholders()
    {
        var vi = Texts(CultureInfo.InvariantCulture);
        var en = Texts(MessageText.English);
        var keys = typeof(Messages).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!)
            .Concat(ErrorCatalog.All.Select(c => c.Code))
            .ToList();
        Assert.Contains("ROUND_NOT_VOTING", keys);
        Assert.Contains(Messages.UnitCodeShape, keys);
        var problems = new List<string>();
        foreach (var key in keys)
        {
            if (!vi.TryGetValue(key, out var v) || string.IsNullOrWhiteSpace(v)) problems.Add($"{key}: no Vietnamese text");
            else if (!v.Any(c => c > 127 && char.IsLetter(c))) problems.Add($"{key}: the Vietnamese text has no Vietnamese letter: {v}");
            if (!en.TryGetValue(key, out var e) || string.IsNullOrWhiteSpace(e)) problems.Add($"{key}: no English text");
            if (v is null || e is null) continue;
            if (v == e) problems.Add($"{key}: the same text in both languages");
            var (pv, pe) = (Placeholder().Matches(v).Select(m => m.Groups[1].Value).ToHashSet(), Placeholder().Matches(e).Select(m => m.Groups[1].Value).ToHashSet());
            if (!pv.SetEquals(pe)) problems.Add($"{key}: placeholders differ ({string.Join(",", pv)} / {string.Join(",", pe)})");
        }
        // Nothing in the resources that no code uses, and one key set for both languages.
        problems.AddRange(vi.Keys.Except(keys).Select(k => $"{k}: Vietnamese text for no key"));
        problems.AddRange(en.Keys.Except(vi.Keys).Select(k => $"{k}: English text for no key"));
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public async Task A_draft_is_named_by_its_title_in_the_callers_language()
    {
        // Drafts have no registry code (codes are reserved at submit): messages name them by title.
        var commune = await _s.CreateUnit("Xã Bản Nháp");
        var draft = await _s.CreateEntry(_s.Admin, commune["id"]!.GetValue<string>(), "Mô hình nháp bị ngừng");
        const string discontinue = """
            mutation($input: DiscontinueEntryInput!) { discontinueEntry(input: $input) { entry { version } errors { code message } } }
            """;
        var first = await _s.Admin.Run(discontinue, new { input = new { id = draft["id"]!.GetValue<string>(), version = draft["version"]!.GetValue<int>() } });
        var again = new { input = new { id = draft["id"]!.GetValue<string>(), version = first.At("discontinueEntry.entry.version").GetValue<int>() } };
        var token = RegistryApiFactory.AdminToken();
        var vi = await factory.Client(token).Run(discontinue, again);
        var en = await InLanguage(token, "en").Run(discontinue, again);
        Assert.Equal("INVALID_STATUS", vi.At("discontinueEntry.errors.0.code").GetValue<string>());
        Assert.Equal(Vi(Messages.EntryAlreadyDISCONTINUED, Vi(Messages.DraftEntryLabel, "Mô hình nháp bị ngừng")), vi.At("discontinueEntry.errors.0.message").GetValue<string>());
        Assert.Contains("“Mô hình nháp bị ngừng” (bản nháp)", vi.At("discontinueEntry.errors.0.message").GetValue<string>());
        Assert.Equal("Entry “Mô hình nháp bị ngừng” (draft) is already DISCONTINUED.", en.At("discontinueEntry.errors.0.message").GetValue<string>());
    }

    [Fact]
    public async Task The_same_payload_refusal_reads_in_Vietnamese_by_default_and_in_English_on_request()
    {
        var input = new { input = new { code = "mã có dấu", name = "Mã sai", kind = "COMMUNE" } };
        var token = RegistryApiFactory.AdminToken();
        var byDefault = await factory.Client(token).Run(CreateUnit, input);
        var vi = await InLanguage(token, "vi-VN,vi;q=0.9").Run(CreateUnit, input);
        var en = await InLanguage(token, "en-US,en;q=0.9").Run(CreateUnit, input);
        var other = await InLanguage(token, "fr").Run(CreateUnit, input);
        foreach (var r in new[] { byDefault, vi, en, other })
        {
            Assert.Equal(200, r.Status);
            Assert.Equal("BAD_USER_INPUT", r.At("createUnit.errors.0.code").GetValue<string>());
            Assert.Equal("code", r.At("createUnit.errors.0.field").GetValue<string>());
        }
        Assert.Equal(Vi(Messages.UnitCodeShape), byDefault.At("createUnit.errors.0.message").GetValue<string>());
        Assert.StartsWith("Mã đơn vị phải dài từ 2 đến 40 ký tự", byDefault.At("createUnit.errors.0.message").GetValue<string>());
        Assert.Equal(Vi(Messages.UnitCodeShape), vi.At("createUnit.errors.0.message").GetValue<string>());
        Assert.Equal(Vi(Messages.UnitCodeShape), other.At("createUnit.errors.0.message").GetValue<string>());
        Assert.Equal("Unit code must be 2–40 characters of A–Z, 0–9, '.', '_' or '-'.", en.At("createUnit.errors.0.message").GetValue<string>());

        // A message with arguments is formatted from the resource, in the language's own way.
        var taken = await _s.CreateUnit("Tỉnh Trùng Mã", "PROVINCE");
        var code = taken["code"]!.GetValue<string>();
        var duplicate = new { input = new { code, name = "Trùng mã", kind = "PROVINCE" } };
        var viDup = await factory.Client(token).Run(CreateUnit, duplicate);
        var enDup = await InLanguage(token, "en").Run(CreateUnit, duplicate);
        Assert.Equal("DUPLICATE_CODE", viDup.At("createUnit.errors.0.code").GetValue<string>());
        Assert.Equal($"Mã đơn vị {code} đã được sử dụng.", viDup.At("createUnit.errors.0.message").GetValue<string>());
        Assert.Equal($"Unit code {code} is already taken.", enDup.At("createUnit.errors.0.message").GetValue<string>());
    }

    [Fact]
    public async Task Top_level_and_transport_errors_read_in_Vietnamese_by_default_and_in_English_on_request()
    {
        // A parse error: the code is the same, the sentence is the language's (GraphQL.NET's detail kept inside).
        var viParse = await factory.Client().Run("{ units(first: 1) { nodes { id }");
        var enParse = await InLanguage(null, "en").Run("{ units(first: 1) { nodes { id }");
        Assert.Equal("GRAPHQL_PARSE_FAILED", viParse.FirstErrorCode);
        Assert.Equal("GRAPHQL_PARSE_FAILED", enParse.FirstErrorCode);
        Assert.StartsWith("Tài liệu GraphQL sai cú pháp: ", viParse.Errors![0]!["message"]!.GetValue<string>());
        Assert.StartsWith("The GraphQL document does not parse: ", enParse.Errors![0]!["message"]!.GetValue<string>());

        // A malformed HTTP body, refused by the transport before GraphQL runs.
        async Task<GraphQLResponse> NotJson(GraphQLClient client)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = new StringContent("{ not json", Encoding.UTF8, "application/json") };
            return await client.SendRaw(request);
        }
        var viBody = await NotJson(factory.Client());
        var enBody = await NotJson(InLanguage(null, "en"));
        Assert.Equal("BAD_REQUEST", viBody.FirstErrorCode);
        Assert.Equal(Vi(Messages.BodyNotJson), viBody.Errors![0]!["message"]!.GetValue<string>());
        Assert.Equal(En(Messages.BodyNotJson), enBody.Errors![0]!["message"]!.GetValue<string>());

        // An anonymous mutation: top-level UNAUTHENTICATED, 401.
        var viAnon = await factory.Client().Run(CreateUnit, new { input = new { code = "X1", name = "Xã", kind = "COMMUNE" } });
        var enAnon = await InLanguage(null, "en").Run(CreateUnit, new { input = new { code = "X1", name = "Xã", kind = "COMMUNE" } });
        Assert.Equal(401, viAnon.Status);
        Assert.Equal(Vi(Messages.MutationNeedsToken), viAnon.Errors![0]!["message"]!.GetValue<string>());
        Assert.Equal(En(Messages.MutationNeedsToken), enAnon.Errors![0]!["message"]!.GetValue<string>());

        // Server-Sent Events with an invalid token: the live transport speaks the same languages.
        async Task<GraphQLResponse> SseWithBadToken(GraphQLClient client)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql")
            {
                Content = new StringContent("""{"query":"subscription { entryRegistered { cursor } }"}""", Encoding.UTF8, "application/json"),
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "not-a-token");
            return await client.SendRaw(request, "text/event-stream");
        }
        var viSse = await SseWithBadToken(factory.Client());
        var enSse = await SseWithBadToken(InLanguage(null, "en"));
        Assert.Equal(401, viSse.Status);
        Assert.Equal("UNAUTHENTICATED", viSse.FirstErrorCode);
        Assert.Equal(Vi(Messages.TokenInvalid), viSse.Errors![0]!["message"]!.GetValue<string>());
        Assert.Equal(En(Messages.TokenInvalid), enSse.Errors![0]!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_target_unit_refusal_comes_back_in_the_payload_and_a_role_refusal_at_the_top_level()
    {
        var province = await _s.CreateUnit("Tỉnh Kênh Lỗi", "PROVINCE");
        var mine = await _s.CreateUnit("Xã Của Tôi", "COMMUNE", province["id"]!.GetValue<string>());
        var theirs = await _s.CreateUnit("Xã Của Người Khác", "COMMUNE", province["id"]!.GetValue<string>());
        var editor = _s.EditorOf(mine["id"]!.GetValue<string>(), "editor-channel");
        var fieldId = await _s.FieldId();
        var input = new
        {
            input = new
            {
                unitId = theirs["id"]!.GetValue<string>(), title = "Mô hình ở xã khác", summary = "Tóm tắt", kind = "MODEL",
                fieldId, level = "COMMUNE", startDate = "2024-03-01",
            },
        };
        var before = await EntryCount(theirs["id"]!.GetValue<string>());

        var refused = await editor.Run(CreateEntry, input);
        Assert.Equal(200, refused.Status);
        Assert.True(refused.Errors is null || refused.Errors.Count == 0, refused.Body);
        Assert.NotNull(refused.Data);
        Assert.Null(refused.Data!["createEntry"]!["entry"]);
        Assert.Equal("FORBIDDEN", refused.At("createEntry.errors.0.code").GetValue<string>());
        Assert.Equal(Vi(Messages.YouMayRegisterEntries, "Xã Của Người Khác"), refused.At("createEntry.errors.0.message").GetValue<string>());
        Assert.Equal(before, await EntryCount(theirs["id"]!.GetValue<string>()));

        // The same editor under its own unit is allowed: the refusal was about the target.
        var allowed = await editor.Run(CreateEntry, new
        {
            input = new
            {
                unitId = mine["id"]!.GetValue<string>(), title = "Mô hình ở xã mình", summary = "Tóm tắt", kind = "MODEL",
                fieldId, level = "COMMUNE", startDate = "2024-03-01",
            },
        });
        Assert.Empty(allowed.AssertNoErrors().At("createEntry.errors").AsArray());

        // A caller whose role does not allow the mutation at all: top-level FORBIDDEN, HTTP 403, no data.
        var auditor = await _s.Auditor.Run(CreateUnit, new { input = new { code = RegistryScenario.UniqueCode("KT"), name = "Xã Kiểm Tra", kind = "COMMUNE" } });
        Assert.Equal(403, auditor.Status);
        Assert.Equal("FORBIDDEN", auditor.FirstErrorCode);
        Assert.Null(auditor.Data?["createUnit"]);
    }

    private async Task<long> EntryCount(string unitId) =>
        (await _s.Admin.Run("query($u: ID!) { entries(first: 0, where: { unitId: { eq: $u }, status: { in: [DRAFT, REGISTERED] } }) { totalCount } }", new { u = unitId }))
        .AssertNoErrors().At("entries.totalCount").GetValue<long>();

    private async Task<JsonArray> SecurityEvents(string action) =>
        (await _s.Auditor.Run("""
            query($a: String!) { auditEvents(first: 20, where: { kind: SECURITY, action: $a }) { nodes { action targetType policy reason actor { id } } } }
            """, new { a = action })).AssertNoErrors().At("auditEvents.nodes").AsArray();

    [Fact]
    public async Task A_refusal_s_security_event_names_the_field_its_parent_type_and_the_policy_apart()
    {
        // Anonymous: each refused root field of the mutation, not "mutation".
        var anonymous = await factory.Client().Run("""
            mutation($a: CreateCouncilInput!, $b: RemoveCouncilMemberInput!) { createCouncil(input: $a) { errors { code } } removeCouncilMember(input: $b) { errors { code } } }
            """, new { a = new { name = "Hội đồng", unitId = "VW5pdDp4" }, b = new { councilId = "Q291bmNpbDp4", version = 1, userId = "u" } });
        Assert.Equal("UNAUTHENTICATED", anonymous.FirstErrorCode);
        foreach (var field in new[] { "createCouncil", "removeCouncilMember" })
        {
            var e = Assert.Single(await SecurityEvents(field), n => n!["actor"]!["id"] is null);
            Assert.Equal("Mutation", e!["targetType"]!.GetValue<string>());
            Assert.Equal("Authenticated", e["policy"]!.GetValue<string>());
            Assert.Equal(Vi(Messages.MutationNeedsToken), e["reason"]!.GetValue<string>());
        }
        Assert.Empty(await SecurityEvents("mutation"));

        // A target the caller may not act on: the use case's refusal, policy apart from the parent type.
        var province = await _s.CreateUnit("Tỉnh Sự Kiện", "PROVINCE");
        var other = await _s.CreateUnit("Xã Bên Cạnh", "COMMUNE", province["id"]!.GetValue<string>());
        var own = await _s.CreateUnit("Xã Nhà", "COMMUNE", province["id"]!.GetValue<string>());
        var editor = InLanguage(RegistryApiFactory.EditorToken(RegistryScenario.LocalId(own["id"]!.GetValue<string>()), "editor-events"), "en");
        var refused = await editor.Run(CreateEntry, new
        {
            input = new
            {
                unitId = other["id"]!.GetValue<string>(), title = "Mô hình của xã bên", summary = "Tóm tắt", kind = "MODEL",
                fieldId = await _s.FieldId(), level = "COMMUNE", startDate = "2024-03-01",
            },
        });
        Assert.Equal("FORBIDDEN", refused.At("createEntry.errors.0.code").GetValue<string>());
        Assert.Equal(En(Messages.YouMayRegisterEntries, "Xã Bên Cạnh"), refused.At("createEntry.errors.0.message").GetValue<string>());
        var target = Assert.Single(await SecurityEvents("createEntry"), n => n!["actor"]!["id"]?.GetValue<string>() == "editor-events");
        Assert.Equal("Mutation", target!["targetType"]!.GetValue<string>());
        Assert.Equal("UnitEditorOfTarget", target["policy"]!.GetValue<string>());
        // The audit log is kept in Vietnamese whatever the caller's language.
        Assert.Equal(Vi(Messages.YouMayRegisterEntries, "Xã Bên Cạnh"), target["reason"]!.GetValue<string>());

        // A read the caller's role does not allow: the field of Query.
        var read = await _s.As("reader-events", "Unit.Editor").Run("{ auditEvents(first: 1) { totalCount } }");
        Assert.Equal("FORBIDDEN", read.FirstErrorCode);
        var denied = Assert.Single(await SecurityEvents("auditEvents"), n => n!["actor"]!["id"]?.GetValue<string>() == "reader-events");
        Assert.Equal("Query", denied!["targetType"]!.GetValue<string>());
        Assert.Equal("AuditReader", denied["policy"]!.GetValue<string>());
    }
}
