using System.Text.Json.Nodes;
using DanVanKheo.Tests.Infrastructure;

namespace DanVanKheo.Tests.Api;

public sealed class UnitMutationTests(RegistryApiFactory factory) : IClassFixture<RegistryApiFactory>
{
    private readonly RegistryScenario _s = new(factory);

    private static string Id(JsonNode node) => node["id"]!.GetValue<string>();

    private const string Create = """
        mutation($input: CreateUnitInput!) { createUnit(input: $input) { unit { id code } errors { code field } } }
        """;

    [Fact]
    public async Task Only_admins_create_units_and_bad_input_is_refused_with_codes()
    {
        var parent = await _s.CreateUnit("Tỉnh Cà Mau", "PROVINCE");
        var editor = _s.EditorOf(Id(parent));
        var code = RegistryScenario.UniqueCode("CM");
        var forbidden = await editor.Run(Create, new { input = new { code, name = "Xã không được tạo", kind = "COMMUNE", parentId = Id(parent) } });
        Assert.Equal("FORBIDDEN", forbidden.RefusalCode);
        var lookup = await _s.Anonymous.Run("query($c: String!) { unit(code: $c) { id } }", new { c = code });
        Assert.Null(lookup.Data!["unit"]);

        var duplicate = await _s.Admin.Run(Create, new { input = new { code = parent["code"]!.GetValue<string>(), name = "Trùng mã", kind = "PROVINCE" } });
        Assert.Equal("DUPLICATE_CODE", duplicate.At("createUnit.errors.0.code").GetValue<string>());
        var badCode = await _s.Admin.Run(Create, new { input = new { code = "mã có dấu", name = "Mã sai", kind = "COMMUNE" } });
        Assert.Equal("BAD_USER_INPUT", badCode.At("createUnit.errors.0.code").GetValue<string>());
        Assert.Equal("code", badCode.At("createUnit.errors.0.field").GetValue<string>());
        var noParent = await _s.Admin.Run(Create, new { input = new { code = RegistryScenario.UniqueCode("X"), name = "Cha không tồn tại", kind = "COMMUNE", parentId = "VW5pdDpub3BlLW5vcGU" } });
        Assert.Equal("NOT_FOUND", noParent.At("createUnit.errors.0.code").GetValue<string>());
        var badEnum = await _s.Admin.Run(Create, new { input = new { code = RegistryScenario.UniqueCode("X"), name = "Loại sai", kind = "VILLAGE" } });
        Assert.Equal("BAD_USER_INPUT", badEnum.FirstErrorCode);
    }

    [Fact]
    public async Task Moving_a_unit_refiles_its_subtree_and_stale_versions_are_refused()
    {
        var oldRoot = await _s.CreateUnit("Huyện Châu Thành", "DISTRICT");
        var newRoot = await _s.CreateUnit("Tỉnh An Giang mới", "PROVINCE");
        var moving = await _s.CreateUnit("Thị trấn Minh Lương", "COMMUNE", Id(oldRoot));
        var child = await _s.CreateUnit("Khu phố Minh Long", "OTHER", Id(moving));
        const string update = """
            mutation($input: UpdateUnitInput!) { updateUnit(input: $input) { unit { version parent { name } } errors { code } } }
            """;
        var moved = await _s.Admin.Run(update, new { input = new { id = Id(moving), version = 1, code = moving["code"]!.GetValue<string>(), name = "Xã Minh Lương", kind = "COMMUNE", parentId = Id(newRoot) } });
        Assert.Empty(moved.At("updateUnit.errors").AsArray());
        Assert.Equal("Tỉnh An Giang mới", moved.At("updateUnit.unit.parent.name").GetValue<string>());

        var tree = await _s.Anonymous.Run("query($id: ID!) { unit(id: $id) { ancestors { name } } }", new { id = Id(child) });
        Assert.Equal(["Tỉnh An Giang mới", "Xã Minh Lương"], tree.At("unit.ancestors").AsArray().Select(a => a!["name"]!.GetValue<string>()));

        var stale = await _s.Admin.Run(update, new { input = new { id = Id(moving), version = 1, code = moving["code"]!.GetValue<string>(), name = "Ghi đè", kind = "COMMUNE", parentId = Id(oldRoot) } });
        Assert.Equal("STALE_VERSION", stale.At("updateUnit.errors.0.code").GetValue<string>());
        var cycle = await _s.Admin.Run(update, new { input = new { id = Id(newRoot), version = 1, code = newRoot["code"]!.GetValue<string>(), name = "Tỉnh An Giang mới", kind = "PROVINCE", parentId = Id(child) } });
        Assert.Equal("UNIT_CYCLE", cycle.At("updateUnit.errors.0.code").GetValue<string>());
    }

    [Fact]
    public async Task Succession_links_merged_units_to_todays_successor_through_two_reorganisations()
    {
        var a = await _s.CreateUnit("Xã Vĩnh Hòa Hưng Bắc", "COMMUNE", validFrom: "2010-01-01");
        var b = await _s.CreateUnit("Xã Vĩnh Hòa Hưng Nam", "COMMUNE", validFrom: "2010-01-01");
        var merged = await _s.CreateUnit("Xã Vĩnh Hòa Hưng", "COMMUNE", validFrom: "2020-01-01");
        var split1 = await _s.CreateUnit("Xã Vĩnh Hòa Đông", "COMMUNE");
        var split2 = await _s.CreateUnit("Xã Vĩnh Hòa Tây", "COMMUNE");
        const string succession = """
            mutation($input: RecordUnitSuccessionInput!) { recordUnitSuccession(input: $input) { units { code validTo } errors { code message } } }
            """;
        var first = await _s.Admin.Run(succession, new { input = new { predecessorIds = new[] { Id(a), Id(b) }, successorIds = new[] { Id(merged) }, effectiveDate = "2025-07-01" } });
        Assert.Empty(first.At("recordUnitSuccession.errors").AsArray());
        Assert.Equal(3, first.At("recordUnitSuccession.units").AsArray().Count);
        var second = await _s.Admin.Run(succession, new { input = new { predecessorIds = new[] { Id(merged) }, successorIds = new[] { Id(split1), Id(split2) }, effectiveDate = "2026-01-01" } });
        Assert.Empty(second.At("recordUnitSuccession.errors").AsArray());

        var r = await _s.Anonymous.Run("""
            query($id: ID!) { unit(id: $id) { validTo successors { name } mid: currentSuccessors(asOf: "2025-09-01") { name } now: currentSuccessors(asOf: "2026-06-01") { name } before: currentSuccessors(asOf: "2024-01-01") { name } } }
            """, new { id = Id(a) });
        r.AssertNoErrors();
        Assert.Equal("2025-07-01", r.At("unit.validTo").GetValue<string>());
        Assert.Equal(["Xã Vĩnh Hòa Hưng"], r.At("unit.mid").AsArray().Select(u => u!["name"]!.GetValue<string>()));
        Assert.Equal(["Xã Vĩnh Hòa Đông", "Xã Vĩnh Hòa Tây"], r.At("unit.now").AsArray().Select(u => u!["name"]!.GetValue<string>()).Order());
        Assert.Equal(["Xã Vĩnh Hòa Hưng Bắc"], r.At("unit.before").AsArray().Select(u => u!["name"]!.GetValue<string>()));

        var again = await _s.Admin.Run(succession, new { input = new { predecessorIds = new[] { Id(a) }, successorIds = new[] { Id(split1) }, effectiveDate = "2026-03-01" } });
        Assert.Equal("ALREADY_ENDED", again.At("recordUnitSuccession.errors.0.code").GetValue<string>());
    }
}
