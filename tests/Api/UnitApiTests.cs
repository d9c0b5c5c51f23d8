using DanVanKheo.Tests.Infrastructure;

namespace DanVanKheo.Tests.Api;

public sealed class UnitApiTests(RegistryApiFactory factory) : IClassFixture<RegistryApiFactory>
{
    private readonly RegistryScenario _s = new(factory);

    [Fact]
    public async Task Admin_creates_a_unit_tree_and_anyone_reads_it_by_id_code_and_subtree()
    {
        var province = await _s.CreateUnit("Tỉnh Kiên Giang", "PROVINCE");
        var district = await _s.CreateUnit("Thành phố Rạch Giá", "DISTRICT", province["id"]!.GetValue<string>());
        var ward = await _s.CreateUnit("Phường Vĩnh Thanh", "COMMUNE", district["id"]!.GetValue<string>());

        var byCode = await _s.Anonymous.Run("query($c: String!) { unit(code: $c) { name kind parent { name } ancestors { name } } }",
            new { c = ward["code"]!.GetValue<string>() });
        byCode.AssertNoErrors();
        Assert.Equal("Phường Vĩnh Thanh", byCode.At("unit.name").GetValue<string>());
        Assert.Equal("Thành phố Rạch Giá", byCode.At("unit.parent.name").GetValue<string>());
        Assert.Equal(["Tỉnh Kiên Giang", "Thành phố Rạch Giá"], byCode.At("unit.ancestors").AsArray().Select(a => a!["name"]!.GetValue<string>()));

        var subtree = await _s.Anonymous.Run("query($id: ID!) { units(where: { subtreeOf: $id }) { totalCount nodes { name } } unit(id: $id) { descendants { totalCount nodes { name } } } }",
            new { id = province["id"]!.GetValue<string>() });
        subtree.AssertNoErrors();
        Assert.Equal(3, subtree.At("units.totalCount").GetValue<int>());
        Assert.Equal(2, subtree.At("unit.descendants.totalCount").GetValue<int>());
        Assert.Equal(["Phường Vĩnh Thanh", "Thành phố Rạch Giá"],
            subtree.At("unit.descendants.nodes").AsArray().Select(a => a!["name"]!.GetValue<string>()).Order(StringComparer.Ordinal));
    }
}
