using DanVanKheo.Api.Common;
using DanVanKheo.Api.Units;

namespace DanVanKheo.Tests.Domain;

public class UnitRulesTests
{
    private static readonly DateTime T0 = new(2025, 6, 1, 0, 0, 0, DateTimeKind.Utc);

    private static Unit U(string code, Unit? parent = null, DateOnly? from = null) =>
        UnitRules.Create(new UnitDraft(code, "Đơn vị " + code, UnitKind.Commune, parent?.Id, from, null), parent, T0);

    [Theory]
    [InlineData("mã có dấu", "code")]
    [InlineData("A", "code")]
    [InlineData("OK", "name")]
    public void Create_refuses_bad_codes_and_names(string code, string field)
    {
        var e = Assert.Throws<DomainException>(() =>
            UnitRules.Create(new UnitDraft(code, field == "name" ? "X" : "Tên hợp lệ", UnitKind.Commune, null, null, null), null, T0));
        Assert.Equal(field, e.Field);
    }

    [Fact]
    public void Create_normalises_code_and_files_the_unit_under_its_parent()
    {
        var province = U("KG");
        var district = U("kg.rg", province);
        Assert.Equal("KG.RG", district.Code);
        Assert.Equal([province.Id], district.AncestorIds);
        Assert.Equal([province.Id, district.Id], district.Lineage());
    }

    [Fact]
    public void Update_refuses_a_stale_version_and_changes_nothing()
    {
        var unit = U("X1");
        var e = Assert.Throws<ConcurrencyConflictException>(() =>
            UnitRules.Update(unit, 7, new UnitDraft("X1", "Tên mới", UnitKind.Commune, null, null, null), null, [], T0));
        Assert.Equal(ErrorCodes.StaleVersion, e.Code);
        Assert.Equal("Đơn vị X1", unit.Name);
        Assert.Equal(1, unit.Version);
    }

    [Fact]
    public void Moving_a_unit_refiles_every_descendant_and_bumps_their_versions()
    {
        var oldRoot = U("OLD");
        var newRoot = U("NEW");
        var moving = U("MV", oldRoot);
        var child = U("MV.C", moving);
        var grandchild = U("MV.C.G", child);
        var later = T0.AddDays(1);

        var changed = UnitRules.Update(moving, 1, new UnitDraft("MV", "Đơn vị MV", UnitKind.Commune, newRoot.Id, null, null),
            newRoot, [moving, child, grandchild], later);

        Assert.Equal([moving.Id, child.Id, grandchild.Id], changed.Select(u => u.Id));
        Assert.Equal([newRoot.Id, moving.Id, child.Id], grandchild.AncestorIds);
        Assert.All(changed, u => Assert.Equal(2, u.Version));
        Assert.All(changed, u => Assert.Equal(later, u.UpdatedAt));
        Assert.True(UnitRules.Moves(U("ZZ", oldRoot), newRoot));
    }

    [Fact]
    public void A_rename_in_place_changes_only_the_unit()
    {
        var root = U("RT");
        var unit = U("RT.A", root);
        var child = U("RT.A.B", unit);
        var changed = UnitRules.Update(unit, 1, new UnitDraft("RT.A", "Tên mới", UnitKind.Commune, root.Id, null, null), root, [unit, child], T0);
        Assert.Equal([unit.Id], changed.Select(u => u.Id));
        Assert.Equal(1, child.Version);
    }

    [Fact]
    public void A_unit_cannot_move_under_its_own_descendant()
    {
        var root = U("RT");
        var child = U("RT.C", root);
        var e = Assert.Throws<DomainException>(() =>
            UnitRules.Update(root, 1, new UnitDraft("RT", "Gốc", UnitKind.Commune, child.Id, null, null), child, [root, child], T0));
        Assert.Equal("UNIT_CYCLE", e.Code);
    }

    [Fact]
    public void Succession_ends_predecessors_and_links_both_ways_and_refuses_ended_units()
    {
        var a = U("AA", from: new DateOnly(2000, 1, 1));
        var b = U("BB", from: new DateOnly(2000, 1, 1));
        var merged = U("AB");
        var day = new DateOnly(2025, 7, 1);
        var changed = UnitRules.RecordSuccession([a, b], [merged], day, T0);

        Assert.Equal(3, changed.Count);
        Assert.Equal(day, a.ValidTo);
        Assert.Equal(day, merged.ValidFrom);
        Assert.Equal([a.Id, b.Id], merged.PredecessorIds);
        Assert.Equal([merged.Id], a.SuccessorIds);
        Assert.Equal("ALREADY_ENDED", Assert.Throws<DomainException>(() =>
            UnitRules.RecordSuccession([a], [merged], day.AddDays(1), T0)).Code);
        Assert.Equal(ErrorCodes.InvalidInput, Assert.Throws<DomainException>(() =>
            UnitRules.RecordSuccession([merged], [merged], day.AddDays(1), T0)).Code);
    }

    [Fact]
    public void Current_successors_follow_a_merger_then_a_split()
    {
        var a = U("AA", from: new DateOnly(2000, 1, 1));
        var merged = U("MM", from: new DateOnly(2000, 1, 1));
        var east = U("EE");
        var west = U("WW");
        UnitRules.RecordSuccession([a], [merged], new DateOnly(2025, 7, 1), T0);
        UnitRules.RecordSuccession([merged], [east, west], new DateOnly(2026, 1, 1), T0);
        var all = new[] { a, merged, east, west }.ToDictionary(u => u.Id);

        Assert.Equal([a], UnitRules.CurrentSuccessors(a, new DateOnly(2024, 1, 1), all.GetValueOrDefault));
        Assert.Equal([merged], UnitRules.CurrentSuccessors(a, new DateOnly(2025, 9, 1), all.GetValueOrDefault));
        Assert.Equal(new[] { east.Id, west.Id }.Order(), UnitRules.CurrentSuccessors(a, new DateOnly(2026, 6, 1), all.GetValueOrDefault).Select(u => u.Id).Order());
    }
}
