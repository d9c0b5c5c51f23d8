using DanVanKheo.Api.Units;
using DanVanKheo.Seed.Generation;

namespace DanVanKheo.Tests.Seed;

public sealed class SeedUnitTests
{
    private static readonly DateOnly Merger = new(2025, 7, 1);

    private static List<Unit> Units(SeedScale scale) =>
        [.. UnitCatalog.Build(SeedData.Load(), scale, SeedRandom.For(42, "Units")).Units.Select(u => u.Unit)];

    [Fact]
    public void The_fifteen_districts_of_Kien_Giang_are_there_with_their_real_names_and_end_on_the_merger()
    {
        var districts = Units(SeedScale.Province).Where(u => u.Kind == UnitKind.District).ToList();

        string[] expected =
        [
            "Thành phố Rạch Giá", "Thành phố Hà Tiên", "Thành phố Phú Quốc", "Huyện Kiên Lương", "Huyện Hòn Đất",
            "Huyện Tân Hiệp", "Huyện Châu Thành", "Huyện Giồng Riềng", "Huyện Gò Quao", "Huyện An Biên", "Huyện An Minh",
            "Huyện Vĩnh Thuận", "Huyện U Minh Thượng", "Huyện Kiên Hải", "Huyện Giang Thành",
        ];
        Assert.Equal(expected.Order(StringComparer.Ordinal), districts.Select(d => d.Name).Order(StringComparer.Ordinal));
        Assert.All(districts, d => Assert.Equal(Merger, d.ValidTo));
        Assert.Contains(districts, d => d.Code == "KG.RG");
    }

    [Fact]
    public void Every_ended_unit_has_successors_that_begin_when_it_ends()
    {
        var units = Units(SeedScale.Province);
        var byId = units.ToDictionary(u => u.Id);

        Assert.All(units.Where(u => u.ValidTo is not null), u =>
        {
            Assert.NotEmpty(u.SuccessorIds);
            foreach (var s in u.SuccessorIds.Select(id => byId[id]))
            {
                Assert.Equal(u.ValidTo, s.ValidFrom);
                Assert.Contains(u.Id, s.PredecessorIds);
            }
        });
        Assert.All(units.Where(u => u.PredecessorIds.Count > 0), u => Assert.Equal(Merger, u.ValidFrom));
    }

    [Fact]
    public void Kien_Giang_merges_into_the_new_An_Giang_and_its_communes_into_about_a_hundred()
    {
        var units = Units(SeedScale.Province);
        var kg = Assert.Single(units, u => u.Code == "KG");
        var ag = Assert.Single(units, u => u.Code == "AG2025");

        Assert.Equal("Tỉnh An Giang", ag.Name);
        Assert.Equal(UnitKind.Province, ag.Kind);
        Assert.Equal(Merger, ag.ValidFrom);
        Assert.Null(ag.ValidTo);
        Assert.Equal([ag.Id], kg.SuccessorIds);

        var oldCommunes = units.Where(u => u.Kind == UnitKind.Commune && u.AncestorIds.FirstOrDefault() == kg.Id).ToList();
        var newCommunes = units.Where(u => u.Kind == UnitKind.Commune && u.ParentId == ag.Id).ToList();
        Assert.Equal(144, oldCommunes.Count);
        Assert.Equal(102, newCommunes.Count);
        Assert.Contains(newCommunes, c => c.Name == "Đặc khu Phú Quốc");
        Assert.Contains(newCommunes, c => c.Name == "Đặc khu Kiên Hải");
        Assert.Contains(newCommunes, c => c.Name == "Đặc khu Thổ Châu");
        Assert.Contains(oldCommunes, c => c.Name == "Phường Vĩnh Thanh Vân");
        Assert.All(oldCommunes, c => Assert.Equal(Merger, c.ValidTo));
        Assert.All(units, u => Assert.True(u.IsValidOn(Merger.AddDays(-1)) || u.IsValidOn(Merger)));
        Assert.Equal(units.Count, units.Select(u => u.Code).Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void National_scale_has_34_provinces_and_about_3300_communes_after_the_merger()
    {
        var units = Units(SeedScale.National);
        var valid = units.Where(u => u.IsValidOn(Merger)).ToList();

        Assert.Equal(34, valid.Count(u => u.Kind == UnitKind.Province));
        Assert.InRange(valid.Count(u => u.Kind == UnitKind.Commune), 3_200, 3_400);
        Assert.Equal(units.Count, units.Select(u => u.Code).Distinct(StringComparer.Ordinal).Count());
        // The province part is the same at both scales.
        Assert.Equal(
            Units(SeedScale.Province).Select(u => (u.Id, u.Code)),
            units.Take(Units(SeedScale.Province).Count).Select(u => (u.Id, u.Code)));
    }
}
