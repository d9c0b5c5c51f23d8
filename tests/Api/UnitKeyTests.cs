using DanVanKheo.Api.Units;
using DanVanKheo.Tests.Infrastructure;

namespace DanVanKheo.Tests.Api;

/// <summary>What a newcomer needs to act for a unit: its key for the token, and a label that tells same-named units apart.</summary>
public sealed class UnitKeyTests(RegistryApiFactory factory) : IClassFixture<RegistryApiFactory>
{
    [Fact]
    public async Task A_units_key_is_what_the_unit_id_claim_takes_and_the_global_id_works_there_too()
    {
        var s = new RegistryScenario(factory);
        var unit = await s.CreateUnit("Xã Tân Hòa", "COMMUNE");
        var id = unit["id"]!.GetValue<string>();
        var read = (await s.Anonymous.Run("query($id: ID!) { node(id: $id) { ... on Unit { key } } }", new { id })).AssertNoErrors();
        var key = read.At("node.key").GetValue<string>();
        Assert.Equal(RegistryScenario.LocalId(id), key);

        foreach (var claim in new[] { key, id })
        {
            var editor = factory.Client(RegistryApiFactory.Token("editor-key", ["Unit.Editor"], unitId: claim));
            var entry = await s.CreateEntry(editor, id, "Mô hình “Dân vận khéo” giữ gìn an ninh trật tự ấp " + claim[..4]);
            Assert.StartsWith("NHÁP-", entry["code"]!.GetValue<string>()); // a draft: its registry code comes at submission
        }
        var other = await s.CreateUnit("Xã Tân Phú", "COMMUNE");
        var outsider = factory.Client(RegistryApiFactory.Token("editor-key", ["Unit.Editor"], unitId: other["id"]!.GetValue<string>()));
        var refused = await outsider.Run("""
            mutation($i: CreateEntryInput!) { createEntry(input: $i) { entry { id } errors { code } } }
            """, new { i = new { unitId = id, title = "Mô hình của đơn vị khác", kind = "MODEL", fieldId = await s.FieldId("VAN_HOA_XA_HOI"), level = "COMMUNE" } });
        Assert.Equal("FORBIDDEN", refused.RefusalCode);
    }

    [Fact]
    public async Task Units_that_share_a_name_have_labels_with_their_period()
    {
        var s = new RegistryScenario(factory);
        var before = await s.CreateUnit("Tỉnh An Giang", "PROVINCE", validFrom: "1976-02-20", validTo: "2025-07-01");
        var after = await s.CreateUnit("Tỉnh An Giang", "PROVINCE", validFrom: "2025-07-01");
        var r = (await s.Anonymous.Run("query($a: ID!, $b: ID!) { a: node(id: $a) { ... on Unit { label } } b: node(id: $b) { ... on Unit { label } } }",
            new { a = before["id"]!.GetValue<string>(), b = after["id"]!.GetValue<string>() })).AssertNoErrors();
        Assert.Equal("Tỉnh An Giang (20/02/1976 – 30/06/2025)", r.At("a.label").GetValue<string>());
        Assert.Equal("Tỉnh An Giang (từ 01/07/2025)", r.At("b.label").GetValue<string>());
    }

    [Fact]
    public void A_unit_without_dates_is_labelled_by_its_name_and_one_that_ended_by_its_last_day()
    {
        Assert.Equal("Xã Mỹ Lâm", UnitRules.Label(new Unit { Name = "Xã Mỹ Lâm" }));
        Assert.Equal("Huyện Hòn Đất (đến 30/06/2025)", UnitRules.Label(new Unit { Name = "Huyện Hòn Đất", ValidTo = new DateOnly(2025, 7, 1) }));
    }
}
