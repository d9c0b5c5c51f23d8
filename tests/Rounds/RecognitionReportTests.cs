using System.Text;
using DanVanKheo.Tests.Infrastructure;
using static DanVanKheo.Tests.Rounds.RoundScenario;

namespace DanVanKheo.Tests.Rounds;

/// <summary>
/// A round's recognitions reach the annual report as conferred: a provincial Bằng khen on a
/// commune's model counts at PROVINCE level under its form, in GraphQL and in the CSV export.
/// </summary>
public sealed class RecognitionReportTests(RegistryApiFactory factory) : IClassFixture<RegistryApiFactory>
{
    private readonly RoundScenario _s = new(factory);

    [Fact]
    public async Task A_published_provincial_Bang_khen_is_counted_at_province_level_with_its_form_in_the_report_and_the_csv()
    {
        var province = await _s.Registry.CreateUnit("Tỉnh Đồng Tháp", "PROVINCE");
        var commune = Id(await _s.Registry.CreateUnit("Xã Mỹ An Hưng", "COMMUNE", Id(province)));
        var department = Id(await _s.Registry.CreateUnit("Sở Nội vụ", "DEPARTMENT", Id(province)));
        var council = await _s.CreateCouncil(_s.Admin, Id(province));
        var version = council["version"]!.GetValue<int>();
        string[] roles = ["CHAIR", "SECRETARY", "MEMBER"];
        for (var i = 0; i < 3; i++)
            version = await _s.AddMember(_s.Admin, Id(council), version, $"khen-m{i}", $"Thành viên {i + 1}", department, roles[i]);
        var entry = await _s.RegisteredEntry(commune, "Mô hình “Dân vận khéo” vận động hiến đất mở đường");
        var other = await _s.RegisteredEntry(commune, "Mô hình “Tổ tự quản” giữ gìn vệ sinh môi trường");

        var now = DateTime.UtcNow;
        var created = await _s.CreateRound(_s.Admin, RoundInput(Id(council), Id(province), now.AddDays(1), now.AddDays(2)));
        Ok(created, "createRound");
        var roundId = Id(created.At("createRound.round"));
        var chair = _s.User("khen-m0");
        Ok(await _s.Step(chair, "openNominations", roundId, 1), "openNominations");
        var nominated = await _s.Nominate(_s.Registry.EditorOf(commune, "editor-khen"), roundId, Id(entry));
        Ok(nominated, "nominateEntry");
        var voting = await _s.Step(chair, "openVoting", roundId, 2);
        Ok(voting, "openVoting");
        for (var i = 0; i < 3; i++)
            Ok(await _s.Cast(_s.User($"khen-m{i}"), Id(nominated.At("nominateEntry.nomination")), "APPROVE", [9, 5]), "castBallot");
        var closed = await _s.Step(_s.User("khen-m1"), "closeRound", roundId, voting.At("openVoting.round.version").GetValue<int>());
        Ok(closed, "closeRound");
        var published = await chair.Run("mutation($i: PublishRoundInput!) { publishRound(input: $i) { round { status } errors { code message } } }",
            new { i = new { id = roundId, version = closed.At("closeRound.round.version").GetValue<int>(), decisionNumber = "215/QĐ-UBND", decisionDate = "2025-12-15" } });
        Ok(published, "publishRound");

        var report = (await _s.Anonymous.Run("""
            query($u: ID!) { report(unitId: $u, year: 2025) { recognitions { source total byLevel { level count } byForm { form count } } } }
            """, new { u = Id(province) })).AssertNoErrors().At("report.recognitions");
        Assert.Equal("RECOGNITIONS", report["source"]!.GetValue<string>());
        Assert.Equal(1, report["total"]!.GetValue<long>());
        long Level(string level) => report["byLevel"]!.AsArray().Single(x => x!["level"]!.GetValue<string>() == level)!["count"]!.GetValue<long>();
        Assert.Equal((1L, 0L), (Level("PROVINCE"), Level("COMMUNE")));
        var form = Assert.Single(report["byForm"]!.AsArray());
        Assert.Equal(("Bằng khen", 1L), (form!["form"]!.GetValue<string>(), form["count"]!.GetValue<long>()));

        // The commune's own report sees its model's award; another province's does not.
        var communeReport = (await _s.Anonymous.Run("query($u: ID!) { report(unitId: $u, year: 2025) { recognitions { total } } }", new { u = commune }))
            .AssertNoErrors().At("report.recognitions.total").GetValue<long>();
        Assert.Equal(1, communeReport);
        Assert.NotNull(other);

        var code = province["code"]!.GetValue<string>();
        using var csv = await factory.CreateClient().GetAsync($"/reports/{code}/2025.csv");
        Assert.Equal(200, (int)csv.StatusCode);
        var rows = Encoding.UTF8.GetString(await csv.Content.ReadAsByteArrayAsync()).TrimStart('\uFEFF').Split("\r\n").Select(Cells).ToList();
        Assert.Contains(["Khen thưởng, công nhận", "Cấp tỉnh", "1"], rows);
        Assert.Contains(["Khen thưởng, công nhận", "Cơ sở", "0"], rows);
        Assert.Contains(["Khen thưởng theo hình thức", "Bằng khen", "1"], rows);
    }

    /// <summary>The cells of one CSV line (RFC 4180 quoting).</summary>
    private static string[] Cells(string line)
    {
        var cells = new List<string>();
        var cell = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var ch = line[i];
            if (quoted && ch == '"' && i + 1 < line.Length && line[i + 1] == '"') { cell.Append('"'); i++; }
            else if (ch == '"') quoted = !quoted;
            else if (ch == ',' && !quoted) { cells.Add(cell.ToString()); cell.Clear(); }
            else cell.Append(ch);
        }
        cells.Add(cell.ToString());
        return [.. cells];
    }
}
