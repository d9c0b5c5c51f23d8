using System.Security.Claims;
using System.Text;
using System.Text.Json.Nodes;
using DanVanKheo.Api.Common;
using DanVanKheo.Api.Reports;
using DanVanKheo.Tests.Infrastructure;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace DanVanKheo.Tests.Api;

/// <summary>The input rules of issue 13 (lengths, characters, URLs, dates, claims, CSV cells), through the API.</summary>
public sealed class InputRulesTests(RegistryApiFactory factory) : IClassFixture<RegistryApiFactory>
{
    private readonly RegistryScenario _s = new(factory);

    private const string CreateEntry = """
        mutation($input: CreateEntryInput!) { createEntry(input: $input) { entry { id } errors { code message field } } }
        """;

    private async Task<(GraphQLClient Editor, string UnitId, string FieldId)> Commune()
    {
        var commune = await _s.CreateUnit("Xã Kiểm Tra", "COMMUNE");
        var id = commune["id"]!.GetValue<string>();
        return (_s.EditorOf(id), id, await _s.FieldId());
    }

    private static JsonObject Entry(string unitId, string fieldId, Action<JsonObject>? change = null)
    {
        var input = new JsonObject
        {
            ["unitId"] = unitId, ["fieldId"] = fieldId, ["title"] = "Mô hình kiểm tra đầu vào", ["summary"] = "Tóm tắt",
            ["kind"] = "EXEMPLAR", ["exemplarType"] = "INDIVIDUAL", ["level"] = "COMMUNE",
            ["person"] = new JsonObject { ["fullName"] = "Nguyễn Văn An", ["phone"] = "0912 345 678", ["birthDate"] = "1970-05-01" },
            ["evidence"] = new JsonArray(new JsonObject { ["title"] = "Bài báo", ["url"] = "https://baoangiang.com.vn/bai-viet" }),
        };
        change?.Invoke(input);
        return input;
    }

    public static TheoryData<string, string> BadEntries() => new()
    {
        { "title with NUL", "title" },
        { "title with ANSI escape", "title" },
        { "title with bidi override", "title" },
        { "summary with bidi isolate", "summary" },
        { "evidence title of 90 kB", "evidence.title" },
        { "evidence url of 90 kB", "evidence.url" },
        { "javascript url", "evidence" },
        { "ftp url", "evidence" },
        { "phone of 90 kB", "person.phone" },
        { "phone with letters", "person.phone" },
        { "birth date in 2999", "person.birthDate" },
        { "birth date tomorrow", "person.birthDate" },
        { "birth date in 1800", "person.birthDate" },
        { "start date in 2999", "startDate" },
        { "full name with control character", "person.fullName" },
    };

    private static void Spoil(string why, JsonObject input)
    {
        var person = input["person"]!.AsObject();
        var link = input["evidence"]![0]!.AsObject();
        switch (why)
        {
            case "title with NUL": input["title"] = "Mô hình\u0000ẩn"; break;
            case "title with ANSI escape": input["title"] = "Mô hình \u001b[31mđỏ\u001b[0m"; break;
            case "title with bidi override": input["title"] = "Mô hình \u202Egnal\u202C"; break;
            case "summary with bidi isolate": input["summary"] = "Tóm tắt \u2067x\u2069"; break;
            case "evidence title of 90 kB": link["title"] = new string('a', 90_000); break;
            case "evidence url of 90 kB": link["url"] = "https://a.vn/" + new string('a', 90_000); break;
            case "javascript url": link["url"] = "javascript:alert(1)"; break;
            case "ftp url": link["url"] = "ftp://a.vn/x"; break;
            case "phone of 90 kB": person["phone"] = new string('9', 90_000); break;
            case "phone with letters": person["phone"] = "gọi tôi đi"; break;
            case "birth date in 2999": person["birthDate"] = "2999-01-01"; break;
            case "birth date tomorrow": person["birthDate"] = DateTime.UtcNow.AddHours(7).AddDays(2).ToString("yyyy-MM-dd"); break;
            case "birth date in 1800": person["birthDate"] = "1800-01-01"; break;
            case "start date in 2999": input["startDate"] = "2999-01-01"; break;
            case "full name with control character": person["fullName"] = "Nguyễn\u0007Văn"; break;
        }
    }

    [Theory]
    [MemberData(nameof(BadEntries))]
    public async Task Entries_with_bad_text_or_dates_are_refused_naming_the_field(string why, string field)
    {
        var (editor, unitId, fieldId) = await Commune();
        var r = await editor.Run(CreateEntry, new { input = Entry(unitId, fieldId, i => Spoil(why, i)) });
        r.AssertNoErrors();
        var errors = r.At("createEntry.errors").AsArray();
        Assert.True(errors.Count == 1, $"{why}: {r.Body[..Math.Min(400, r.Body.Length)]}");
        Assert.Equal("BAD_USER_INPUT", errors[0]!["code"]!.GetValue<string>());
        Assert.Equal(field, errors[0]!["field"]!.GetValue<string>());
        Assert.Null(r.Data!["createEntry"]!["entry"]);
        var total = await _s.Auditor.Run("query($u: ID) { entries(where: { unitId: { eq: $u }, status: { in: [DRAFT] } }) { totalCount } }", new { u = unitId });
        Assert.Equal(0, total.AssertNoErrors().At("entries.totalCount").GetValue<int>());
    }

    [Fact]
    public async Task A_good_entry_passes_the_same_rules()
    {
        var (editor, unitId, fieldId) = await Commune();
        var r = await editor.Run(CreateEntry, new { input = Entry(unitId, fieldId, i => i["summary"] = "Dòng một\nDòng hai\tcột") });
        Assert.Empty(r.AssertNoErrors().At("createEntry.errors").AsArray());
    }

    [Theory]
    [InlineData("Xã \u202EnaiG nêiK")]
    [InlineData("Xã\u0000Ẩn")]
    [InlineData("Xã\nXuống dòng")]
    public async Task Unit_names_refuse_control_and_bidi_characters(string name)
    {
        var r = await _s.Admin.Run("mutation($i: CreateUnitInput!) { createUnit(input: $i) { unit { id } errors { code field } } }",
            new { i = new { code = RegistryScenario.UniqueCode("IN"), name, kind = "COMMUNE" } });
        Assert.Equal("name", r.AssertNoErrors().At("createUnit.errors.0.field").GetValue<string>());
    }

    [Theory]
    [InlineData("{ units(where: { search: $s }) { totalCount } }")]
    [InlineData("{ entries(where: { search: $s }) { totalCount } }")]
    public async Task Search_text_has_a_length_cap(string selection)
    {
        var query = "query($s: String) " + selection;
        var r = await _s.Anonymous.Run(query, new { s = new string('a', InputLimits.SearchText + 1) });
        Assert.Equal("BAD_USER_INPUT", r.FirstErrorCode);
        (await _s.Anonymous.Run(query, new { s = new string('a', InputLimits.SearchText) })).AssertNoErrors();
    }

    [Fact]
    public async Task A_token_with_two_unit_id_claims_is_refused()
    {
        var province = await _s.CreateUnit("Tỉnh Hai Đơn Vị", "PROVINCE");
        var other = await _s.CreateUnit("Tỉnh Khác", "PROVINCE");
        var token = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Subject = new ClaimsIdentity([
                new Claim("sub", "editor-two-units"), new Claim("role", "Unit.Editor"),
                new Claim("unit_id", RegistryScenario.LocalId(province["id"]!.GetValue<string>())),
                new Claim("unit_id", RegistryScenario.LocalId(other["id"]!.GetValue<string>())),
            ]),
            Issuer = RegistryApiFactory.Issuer,
            Audience = RegistryApiFactory.Audience,
            Expires = DateTime.UtcNow.AddHours(1),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(RegistryApiFactory.SigningKey), SecurityAlgorithms.HmacSha256),
        });
        var r = await factory.Client(token).Run("{ __typename }");
        Assert.Equal(401, r.Status);
        Assert.Equal("UNAUTHENTICATED", r.FirstErrorCode);
    }

    [Fact]
    public void Csv_cells_that_look_like_formulas_are_neutralised()
    {
        string[] risky = ["=HYPERLINK(\"http://x.vn\",\"bấm\")", "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"];
        var csv = Encoding.UTF8.GetString(ReportExports.Csv(risky.Select(v => new ReportLine("Phần", v, "1")).ToList()));
        foreach (var line in csv.Split("\r\n").Skip(1).Where(l => l.Length > 0))
        {
            var cell = line.Split(',')[1].TrimStart('"');
            Assert.StartsWith("'", cell);
        }
        Assert.Contains("\"'=HYPERLINK(\"\"http://x.vn\"\",\"\"bấm\"\")\"", csv);
        Assert.Contains(",Dân vận khéo,", Encoding.UTF8.GetString(ReportExports.Csv([new ReportLine("a", "Dân vận khéo", "b")])).Replace("a,", ","));
    }
}
