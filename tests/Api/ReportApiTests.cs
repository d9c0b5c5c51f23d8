using DanVanKheo.Api.Common;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using DanVanKheo.Tests.Infrastructure;
using MiniExcelLibs;

namespace DanVanKheo.Tests.Api;

public sealed class ReportApiTests(RegistryApiFactory factory) : IClassFixture<RegistryApiFactory>
{
    private readonly RegistryScenario _s = new(factory);
    private static readonly int Year = DateTime.UtcNow.AddHours(7).Year;

    private const string ReportQuery = """
        query($u: ID!, $y: Int!, $sub: Boolean, $asOf: DateOnly) {
          report(unitId: $u, year: $y, includeSubunits: $sub, asOf: $asOf) {
            totalEntries
            byField { field { code } count }
            byKind { kind count } byLevel { level count } byStatus { status count } byNovelty { novelty count }
            results { householdsReached peopleReached moneyMobilizedVnd landDonatedM2 workdays }
            recognitions { source total byLevel { level count } byForm { form count } }
            replications { planned started sustained discontinued activeAtYearEnd peopleReached }
            topReplicated { entry { title } replications }
            children { unit { name } isSelf entries models collectiveExemplars individualExemplars drafts registered discontinued replicated replicationsStarted }
          }
        }
        """;

    /// <summary>
    /// Province P with its own model; district D (ends 1/7/2025, its commune C1 moves up to P) with
    /// C1: 2 models + 1 draft; C2: collective + individual exemplar + 1 discontinued model, and a
    /// replication of C1's model; C3: 1 model, merged into C2 on 1/7/2025. Public total: 7. Every entry carries
    /// 120 households, 350,000,000 VND and 1,250.5 m² (the scenario's defaults).
    /// </summary>
    private async Task<(JsonNode P, JsonNode D, JsonNode C1, JsonNode C2, JsonNode C3)> Fixture()
    {
        var p = await _s.CreateUnit("Tỉnh Kiên Giang", "PROVINCE");
        var d = await _s.CreateUnit("Huyện Hòn Đất", "DISTRICT", p.Id());
        var c1 = await _s.CreateUnit("Xã Mỹ Lâm", "COMMUNE", d.Id());
        var c2 = await _s.CreateUnit("Xã Sơn Kiên", "COMMUNE", p.Id());
        var c3 = await _s.CreateUnit("Xã Sơn Bình", "COMMUNE", p.Id());
        var (e1, e2, e3) = (_s.EditorOf(c1.Id(), "e-c1"), _s.EditorOf(c2.Id(), "e-c2"), _s.EditorOf(c3.Id(), "e-c3"));
        var van = await _s.FieldId("VAN_HOA_XA_HOI");
        var kinhTe = await _s.FieldId("KINH_TE");
        var modelC1 = await _s.Submit(e1, await _s.CreateEntry(e1, c1.Id(), "Mô hình “Chi hội phụ nữ 5 không 3 sạch”", van));
        await _s.Submit(e1, await _s.CreateEntry(e1, c1.Id(), "Mô hình “Dòng họ khuyến học”", van));
        await _s.CreateEntry(e1, c1.Id(), "Bản nháp: mô hình chưa hoàn thiện", van);
        await _s.Submit(e2, await _s.CreateEntry(e2, c2.Id(), "Tập thể Hội Nông dân xã Sơn Kiên", kinhTe, "EXEMPLAR", "COLLECTIVE"));
        await _s.Submit(e2, await _s.CreateEntry(e2, c2.Id(), "Ông Nguyễn Văn Tư, trưởng ấp", kinhTe, "EXEMPLAR", "INDIVIDUAL", new { fullName = "Nguyễn Văn Tư" }));
        var stopped = await _s.Submit(e2, await _s.CreateEntry(e2, c2.Id(), "Mô hình nuôi tôm sạch", kinhTe));
        var disc = await e2.Run("mutation($i: DiscontinueEntryInput!) { discontinueEntry(input: $i) { errors { code } } }",
            new { i = new { id = stopped.Id(), version = stopped["version"]!.GetValue<int>(), reason = "Dịch bệnh" } });
        Assert.Empty(disc.At("discontinueEntry.errors").AsArray());
        await _s.Submit(e3, await _s.CreateEntry(e3, c3.Id(), "Mô hình “Tuyến đường tự quản”", van));
        await _s.Submit(_s.Admin, await _s.CreateEntry(_s.Admin, p.Id(), "Mô hình “Dân vận khéo” của Văn phòng UBND tỉnh", van));

        var rep = await ReplicationScenario.RecordOk(e2, modelC1.Id(), c2.Id(), people: 300);
        Assert.Null((await ReplicationScenario.ChangeStatus(e2, rep, "IMPLEMENTING")).ErrorCode("changeReplicationStatus"));

        // 1/7/2025: district level ends (C1 moves up to the province), C3 merges into C2.
        var moved = await _s.Admin.Run("mutation($i: UpdateUnitInput!) { updateUnit(input: $i) { errors { code } } }",
            new { i = new { id = c1.Id(), version = c1["version"]!.GetValue<int>(), code = c1["code"]!.GetValue<string>(), name = "Xã Mỹ Lâm", kind = "COMMUNE", parentId = p.Id() } });
        Assert.Empty(moved.At("updateUnit.errors").AsArray());
        var ended = await _s.Admin.Run("mutation($i: UpdateUnitInput!) { updateUnit(input: $i) { errors { code } } }",
            new { i = new { id = d.Id(), version = d["version"]!.GetValue<int>(), code = d["code"]!.GetValue<string>(), name = "Huyện Hòn Đất", kind = "DISTRICT", parentId = p.Id(), validTo = "2025-07-01" } });
        Assert.Empty(ended.At("updateUnit.errors").AsArray());
        var merged = await _s.Admin.Run("mutation($i: RecordUnitSuccessionInput!) { recordUnitSuccession(input: $i) { errors { code } } }",
            new { i = new { predecessorIds = new[] { c3.Id() }, successorIds = new[] { c2.Id() }, effectiveDate = "2025-07-01" } });
        Assert.Empty(merged.At("recordUnitSuccession.errors").AsArray());
        return (p, d, c1, c2, c3);
    }

    private static long Count(JsonNode report, string list, string key, string value) =>
        report[list]!.AsArray().Single(x => x![key]!.GetValue<string>() == value)!["count"]!.GetValue<long>();

    private static Dictionary<string, long> Children(JsonNode report) =>
        report["children"]!.AsArray().ToDictionary(c => c!["unit"]!["name"]!.GetValue<string>() + (c["isSelf"]!.GetValue<bool>() ? " (trực tiếp)" : ""),
            c => c!["entries"]!.GetValue<long>());

    [Fact]
    public async Task Report_numbers_match_the_hand_built_fixture_as_registered_and_rolled_up()
    {
        var (p, _, _, _, _) = await Fixture();

        var pub = await _s.Anonymous.Run(ReportQuery, new { u = p.Id(), y = Year });
        pub.AssertNoErrors();
        var r = pub.At("report");
        Assert.Equal(7, r["totalEntries"]!.GetValue<long>());
        Assert.Equal(4, r["byField"]!.AsArray().Where(x => x!["field"]!["code"]!.GetValue<string>() == "VAN_HOA_XA_HOI").Sum(x => x!["count"]!.GetValue<long>()));
        Assert.Equal(3, r["byField"]!.AsArray().Where(x => x!["field"]!["code"]!.GetValue<string>() == "KINH_TE").Sum(x => x!["count"]!.GetValue<long>()));
        Assert.Equal((5L, 1L, 1L), (Count(r, "byKind", "kind", "MODEL"), Count(r, "byKind", "kind", "COLLECTIVE_EXEMPLAR"), Count(r, "byKind", "kind", "INDIVIDUAL_EXEMPLAR")));
        Assert.Equal((0L, 6L, 1L, 0L), (Count(r, "byStatus", "status", "DRAFT"), Count(r, "byStatus", "status", "REGISTERED"),
            Count(r, "byStatus", "status", "DISCONTINUED"), Count(r, "byStatus", "status", "RECOGNIZED")));
        Assert.Equal(7, Count(r, "byLevel", "level", "COMMUNE"));
        Assert.Equal(7, Count(r, "byNovelty", "novelty", "NEW"));
        Assert.Equal(7 * 120, r["results"]!["householdsReached"]!.GetValue<long>());
        Assert.Equal(7 * 350_000_000L, r["results"]!["moneyMobilizedVnd"]!.GetValue<long>());
        Assert.Equal(7 * 1250.5, r["results"]!["landDonatedM2"]!.GetValue<double>());
        Assert.Equal(("RECOGNITIONS", 0L), (r["recognitions"]!["source"]!.GetValue<string>(), r["recognitions"]!["total"]!.GetValue<long>()));
        Assert.Equal((1, 1, 1, 300L), (r["replications"]!["planned"]!.GetValue<int>(), r["replications"]!["started"]!.GetValue<int>(),
            r["replications"]!["activeAtYearEnd"]!.GetValue<int>(), r["replications"]!["peopleReached"]!.GetValue<long>()));
        Assert.Equal("Mô hình “Chi hội phụ nữ 5 không 3 sạch”", r["topReplicated"]!.AsArray().Single()!["entry"]!["title"]!.GetValue<string>());
        // As registered: C1's entries sit under the district, C3 keeps its own line.
        Assert.Equal(new Dictionary<string, long> { ["Tỉnh Kiên Giang (trực tiếp)"] = 1, ["Huyện Hòn Đất"] = 2, ["Xã Sơn Kiên"] = 3, ["Xã Sơn Bình"] = 1 }
            .OrderBy(x => x.Key), Children(r).OrderBy(x => x.Key));
        Assert.Equal(1, r["children"]!.AsArray().Single(c => c!["unit"]!["name"]!.GetValue<string>() == "Xã Sơn Kiên")!["replicationsStarted"]!.GetValue<int>());

        // Rolled up to today's units: C1 stands on its own, C3 counts under C2.
        var rolled = await _s.Anonymous.Run(ReportQuery, new { u = p.Id(), y = Year, asOf = "2025-07-01" });
        rolled.AssertNoErrors();
        Assert.Equal(7, rolled.At("report.totalEntries").GetValue<long>());
        Assert.Equal(new Dictionary<string, long> { ["Tỉnh Kiên Giang (trực tiếp)"] = 1, ["Xã Mỹ Lâm"] = 2, ["Xã Sơn Kiên"] = 4 }.OrderBy(x => x.Key),
            Children(rolled.At("report")).OrderBy(x => x.Key));

        // Drafts: the admin sees them, anonymous callers never.
        var admin = await _s.Admin.Run(ReportQuery, new { u = p.Id(), y = Year });
        Assert.Equal((8L, 1L), (admin.At("report.totalEntries").GetValue<long>(), Count(admin.At("report"), "byStatus", "status", "DRAFT")));
    }

    [Fact]
    public async Task Report_for_one_unit_without_subunits_counts_only_its_own_entries_and_its_merged_predecessors_when_rolled_up()
    {
        var (_, _, _, c2, _) = await Fixture();
        var own = await _s.Anonymous.Run(ReportQuery, new { u = c2.Id(), y = Year, sub = false });
        own.AssertNoErrors();
        Assert.Equal(3, own.At("report.totalEntries").GetValue<long>());
        var rolled = await _s.Anonymous.Run(ReportQuery, new { u = c2.Id(), y = Year, sub = false, asOf = "2025-07-01" });
        Assert.Equal(4, rolled.At("report.totalEntries").GetValue<long>());
    }

    [Fact]
    public async Task Csv_and_xlsx_exports_parse_back_to_the_graphql_numbers()
    {
        var (p, _, _, _, _) = await Fixture();
        var code = p["code"]!.GetValue<string>();
        var http = factory.CreateClient();

        using var csvResponse = await http.GetAsync($"/reports/{code}/{Year}.csv");
        Assert.Equal(200, (int)csvResponse.StatusCode);
        Assert.Equal("text/csv", csvResponse.Content.Headers.ContentType?.MediaType);
        var bytes = await csvResponse.Content.ReadAsByteArrayAsync();
        Assert.Equal(Encoding.UTF8.GetPreamble(), bytes[..3]);
        var csv = ParseCsv(Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3));
        Assert.Equal(["Phần", "Chỉ tiêu", "Giá trị"], csv[0]);
        var lines = csv.Skip(1).ToList();
        string Value(string section, string indicator) => lines.Single(l => l[0] == section && l[1] == indicator)[2];
        Assert.Equal("Tỉnh Kiên Giang", Value("Tổng quan", "Đơn vị"));
        Assert.Equal("7", Value("Tổng quan", "Tổng số mô hình, điển hình"));
        Assert.Equal("5", Value("Theo loại", "Mô hình"));
        Assert.Equal("1", Value("Theo loại", "Điển hình cá nhân"));
        Assert.Equal("4", Value("Theo lĩnh vực", "Văn hóa – xã hội"));
        Assert.Equal("0", Value("Theo trạng thái", "Bản nháp"));
        Assert.Equal("2450000000", Value("Kết quả", "Số tiền huy động (đồng)"));
        Assert.Equal("8753.5", Value("Kết quả", "Đất hiến (m²)"));
        Assert.Equal("1", Value("Nhân rộng", "Bắt đầu thực hiện"));
        Assert.Equal("2", Value("Theo đơn vị", "Huyện Hòn Đất"));
        Assert.Contains(lines, l => l[0] == "Mô hình được nhân rộng nhiều nhất" && l[1].EndsWith("Mô hình “Chi hội phụ nữ 5 không 3 sạch”", StringComparison.Ordinal));

        // The admin's export includes the draft, like the GraphQL report does for the admin.
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/reports/{code}/{Year}.xlsx?asOf=2025-07-01");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", RegistryApiFactory.AdminToken());
        using var xlsxResponse = await http.SendAsync(request);
        Assert.Equal(200, (int)xlsxResponse.StatusCode);
        var xlsx = new MemoryStream(await xlsxResponse.Content.ReadAsByteArrayAsync());
        var summary = xlsx.Query(useHeaderRow: true, sheetName: "Tổng hợp").Cast<IDictionary<string, object>>().ToList();
        string Cell(string section, string indicator) =>
            summary.Single(row => (string)row["Phần"] == section && (string)row["Chỉ tiêu"] == indicator)["Giá trị"].ToString()!;
        Assert.Equal("8", Cell("Tổng quan", "Tổng số mô hình, điển hình"));
        Assert.Equal("1", Cell("Theo trạng thái", "Bản nháp"));
        Assert.Equal("01/07/2025", Cell("Tổng quan", "Quy về đơn vị kế thừa tại ngày"));
        xlsx.Position = 0;
        var units = xlsx.Query(useHeaderRow: true, sheetName: "Theo đơn vị").Cast<IDictionary<string, object>>().ToList();
        Assert.Equal(8, units.Sum(u => Convert.ToInt64(u["Tổng số"])));
        Assert.Equal(3, Convert.ToInt64(units.Single(u => (string)u["Đơn vị"] == "Xã Mỹ Lâm")["Tổng số"]));
        Assert.Equal(4, Convert.ToInt64(units.Single(u => (string)u["Đơn vị"] == "Xã Sơn Kiên")["Tổng số"]));

    }

    [Fact]
    public async Task Report_refuses_a_year_out_of_range_and_answers_null_for_an_unknown_unit()
    {
        var unit = await _s.CreateUnit("Xã Năm Sai", "COMMUNE");
        foreach (var year in new[] { 1999, 2101 })
        {
            var bad = await _s.Anonymous.Run(ReportQuery, new { u = unit.Id(), y = year });
            Assert.Equal("BAD_USER_INPUT", bad.FirstErrorCode);
            Assert.Equal("'year' phải nằm trong khoảng từ 2000 đến 2100.", bad.Errors![0]!["message"]!.GetValue<string>());
            Assert.Equal("year", bad.Errors![0]!["extensions"]!["field"]!.GetValue<string>());
        }
        var notAUnit = await _s.Anonymous.Run(ReportQuery, new { u = "not-a-global-id", y = Year });
        Assert.Equal("BAD_USER_INPUT", notAUnit.FirstErrorCode);
        var unknown = await _s.Anonymous.Run(ReportQuery,
            new { u = DanVanKheo.Api.Common.GlobalId.Encode("Unit", "khong-co"), y = Year });
        unknown.AssertNoErrors();
        Assert.Null(unknown.Data!["report"]);
    }

    [Fact]
    public async Task Export_refusals_carry_the_status_and_a_plain_reason()
    {
        var unit = await _s.CreateUnit("Xã Xuất Sai", "COMMUNE");
        var code = unit["code"]!.GetValue<string>();
        // The English texts (Accept-Language: en); Vietnamese is the default.
        var http = factory.CreateClient();
        http.DefaultRequestHeaders.Add("Accept-Language", "en");
        async Task Refused(string url, int status, string reason)
        {
            using var response = await http.GetAsync(url);
            Assert.Equal(status, (int)response.StatusCode);
            Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
            Assert.Null(response.Content.Headers.ContentDisposition);
            Assert.Equal(reason, await response.Content.ReadAsStringAsync());
        }

        await Refused("/reports/KHONG-CO/" + Year + ".csv", 404, "No unit has the code 'KHONG-CO'.");
        await Refused($"/reports/{code}/{Year}.pdf", 404, "No '.pdf' export: use .csv or .xlsx.");
        await Refused($"/reports/{code}/1999.csv", 400, "'year' must be between 2000 and 2100.");
        await Refused($"/reports/{code}/2101.xlsx", 400, "'year' must be between 2000 and 2100.");
        await Refused($"/reports/KHONG-CO/1999.csv", 400, "'year' must be between 2000 and 2100.");
        await Refused($"/reports/{code}/{Year}.csv?asOf=01/07/2025", 400, "'asOf' must be a date written yyyy-MM-dd.");
        await Refused($"/reports/{code}/{Year}.csv?includeSubunits=maybe", 400, "'includeSubunits' must be true or false.");

        using (var vi = await factory.CreateClient().GetAsync("/reports/KHONG-CO/" + Year + ".csv"))
            Assert.Equal("Không có đơn vị nào có mã 'KHONG-CO'.", await vi.Content.ReadAsStringAsync());

        using var ok = await http.GetAsync($"/reports/{code}/{Year}.csv?includeSubunits=false&asOf=2025-07-01");
        Assert.Equal(200, (int)ok.StatusCode);
    }

    /// <summary>RFC 4180: quoted fields may hold commas, quotes ("") and line breaks.</summary>
    private static List<string[]> ParseCsv(string text)
    {
        var rows = new List<string[]>();
        var row = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var ch = text[i];
            if (quoted)
            {
                if (ch == '"' && i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i++; }
                else if (ch == '"') quoted = false;
                else field.Append(ch);
            }
            else if (ch == '"') quoted = true;
            else if (ch == ',') { row.Add(field.ToString()); field.Clear(); }
            else if (ch == '\r') { }
            else if (ch == '\n') { row.Add(field.ToString()); field.Clear(); rows.Add([.. row]); row.Clear(); }
            else field.Append(ch);
        }
        return rows;
    }
}
