using DanVanKheo.Api.Common;
using DanVanKheo.Api.Units;
using static DanVanKheo.Tests.Storage.TestData;

namespace DanVanKheo.Tests.Storage;

/// <summary>What every <see cref="IUnitStore"/> must do; one subclass per store.</summary>
public abstract class UnitStoreContract : StoreContract
{
    private IUnitStore Store => Stores.Units;

    [StoreFact]
    public async Task Inserted_unit_reads_back_by_ids_and_by_code()
    {
        var tinh = Unit("HCM", "Thành phố Hồ Chí Minh", kind: UnitKind.Province);
        var xa = Unit("HCM.TAN-PHU", "Phường Tân Phú", tinh, validFrom: new DateOnly(2025, 7, 1), validTo: new DateOnly(2030, 1, 1));
        xa.PredecessorIds.Add("cu-1");
        await Store.InsertAsync(tinh);
        await Store.InsertAsync(xa);

        var byIds = await Store.GetByIdsAsync([xa.Id, xa.Id, "khong-co"]);
        AssertSame(xa, Assert.Single(byIds));
        AssertSame(xa, await Store.GetByCodeAsync(" hcm.tan-phu "));
        Assert.Null(await Store.GetByCodeAsync("HCM.KHONG-CO"));
        Assert.Empty(await Store.GetByIdsAsync([]));
        Assert.Equal(2, await Store.CountAsync());
    }

    [StoreFact]
    public async Task A_taken_code_is_refused_and_the_first_unit_kept()
    {
        var first = Unit("DN", "Tỉnh Đồng Nai");
        await Store.InsertAsync(first);

        await Assert.ThrowsAsync<DuplicateKeyException>(() => Store.InsertAsync(Unit("DN", "Đồng Nai mới")));

        AssertSame(first, await Store.GetByCodeAsync("DN"));
        Assert.Equal(1, await Store.CountAsync());
    }

    [StoreFact]
    public async Task InsertMany_inserts_all_and_refuses_a_taken_code()
    {
        var units = Enumerable.Range(1, 5).Select(i => Unit($"XA-{i:D2}", $"Xã số {i}")).ToList();
        await Store.InsertManyAsync(units);
        Assert.Equal(5, await Store.CountAsync());

        await Assert.ThrowsAsync<DuplicateKeyException>(() => Store.InsertManyAsync([Unit("XA-03", "Xã trùng mã")]));
    }

    [StoreFact]
    public async Task ReplaceAll_writes_every_unit_when_all_versions_match()
    {
        var cu = Unit("HUYEN-CU", "Huyện Châu Thành cũ");
        var moi = Unit("HUYEN-MOI", "Huyện Châu Thành mới");
        await Store.InsertManyAsync([cu, moi]);

        var changed = UnitRules.RecordSuccession([cu], [moi], new DateOnly(2025, 7, 1), T0.AddDays(1));

        Assert.True(await Store.ReplaceAllAsync(changed));
        var stored = (await Store.GetByIdsAsync([cu.Id, moi.Id])).ToDictionary(u => u.Id);
        AssertSame(cu, stored[cu.Id]);
        AssertSame(moi, stored[moi.Id]);
        Assert.Equal(2, stored[cu.Id].Version);
        Assert.Equal([moi.Id], stored[cu.Id].SuccessorIds);
    }

    [StoreFact]
    public async Task ReplaceAll_changes_nothing_when_one_unit_is_stale()
    {
        var a = Unit("XA-AN-BINH", "Xã An Bình");
        var b = Unit("XA-BINH-AN", "Xã Bình An");
        await Store.InsertManyAsync([a, b]);
        var staleB = (await Store.GetByIdsAsync([b.Id]))[0];

        // Someone else renames b first.
        b.Name = "Xã Bình An (đổi tên)";
        b.Version++;
        Assert.True(await Store.ReplaceAllAsync([b]));

        var freshA = (await Store.GetByIdsAsync([a.Id]))[0];
        freshA.Name = "Xã An Bình mới";
        freshA.Version++;
        staleB.Name = "Xã Bình An cũ";
        staleB.Version++;
        Assert.False(await Store.ReplaceAllAsync([freshA, staleB]));

        var stored = (await Store.GetByIdsAsync([a.Id, b.Id])).ToDictionary(u => u.Id);
        AssertSame(a, stored[a.Id]);
        AssertSame(b, stored[b.Id]);
    }

    [StoreFact]
    public async Task ReplaceAll_of_a_missing_unit_is_refused()
    {
        var ghost = Unit("KHONG-CO", "Đơn vị không tồn tại");
        ghost.Version = 2;
        Assert.False(await Store.ReplaceAllAsync([ghost]));
        Assert.Equal(0, await Store.CountAsync());
    }

    [StoreFact]
    public async Task ReplaceAll_with_a_taken_code_throws_and_changes_nothing()
    {
        var a = Unit("PHUONG-1", "Phường Một");
        var b = Unit("PHUONG-2", "Phường Hai");
        var c = Unit("PHUONG-3", "Phường Ba");
        await Store.InsertManyAsync([a, b, c]);

        var newA = (await Store.GetByIdsAsync([a.Id]))[0];
        newA.Name = "Phường Một (mới)";
        newA.Version++;
        var newB = (await Store.GetByIdsAsync([b.Id]))[0];
        newB.Code = "PHUONG-3";
        newB.Version++;

        await Assert.ThrowsAsync<DuplicateKeyException>(() => Store.ReplaceAllAsync([newA, newB]));

        var stored = (await Store.GetByIdsAsync([a.Id, b.Id])).ToDictionary(u => u.Id);
        AssertSame(a, stored[a.Id]);
        AssertSame(b, stored[b.Id]);
    }

    [StoreFact]
    public async Task Subtree_is_the_unit_and_its_descendants_shallowest_first()
    {
        var tinh = Unit("AG", "Tỉnh An Giang", kind: UnitKind.Province);
        var huyen = Unit("AG.CHAU-DOC", "Thành phố Châu Đốc", tinh, UnitKind.District);
        var xa2 = Unit("AG.CHAU-DOC.VINH-MY", "Phường Vĩnh Mỹ", huyen);
        var xa1 = Unit("AG.CHAU-DOC.NUI-SAM", "Phường Núi Sam", huyen);
        var khac = Unit("KG", "Tỉnh Kiên Giang", kind: UnitKind.Province);
        await Store.InsertManyAsync([xa2, tinh, khac, xa1, huyen]);

        Assert.Equal([huyen.Code, xa1.Code, xa2.Code], (await Store.GetSubtreeAsync(huyen.Id)).Select(u => u.Code));
        Assert.Equal([tinh.Code, huyen.Code, xa1.Code, xa2.Code], (await Store.GetSubtreeAsync(tinh.Id)).Select(u => u.Code));
        Assert.Equal([khac.Code], (await Store.GetSubtreeAsync(khac.Id)).Select(u => u.Code));
        Assert.Empty(await Store.GetSubtreeAsync("khong-co"));
    }

    private async Task<(Unit Tinh, Unit Huyen, Unit Xa, Unit Cu, Unit Khac)> SeedTreeAsync()
    {
        var tinh = Unit("CT", "Thành phố Cần Thơ", kind: UnitKind.Province);
        var huyen = Unit("CT.NINH-KIEU", "Quận Ninh Kiều", tinh, UnitKind.District);
        var xa = Unit("CT.NINH-KIEU.AN-KHANH", "Phường An Khánh", huyen, validFrom: new DateOnly(2025, 7, 1));
        var cu = Unit("CT.NINH-KIEU.AN-HOA", "Phường An Hòa", huyen, validTo: new DateOnly(2025, 7, 1));
        var khac = Unit("HG", "Tỉnh Hậu Giang", kind: UnitKind.Province);
        await Store.InsertManyAsync([tinh, huyen, xa, cu, khac]);
        return (tinh, huyen, xa, cu, khac);
    }

    private async Task<string[]> Codes(UnitFilter filter) =>
        (await Store.FindAsync(filter, new PageRequest(50))).Items.Select(u => u.Code).ToArray();

    [StoreFact]
    public async Task Find_filters_by_parent_roots_subtree_and_kind()
    {
        var (tinh, huyen, xa, cu, khac) = await SeedTreeAsync();

        Assert.Equal([cu.Code, xa.Code], await Codes(new UnitFilter(ParentId: huyen.Id)));
        Assert.Equal([tinh.Code, khac.Code], await Codes(new UnitFilter(RootsOnly: true)));
        Assert.Equal([huyen.Code, cu.Code, xa.Code], await Codes(new UnitFilter(SubtreeOf: huyen.Id)));
        Assert.Equal([tinh.Code, khac.Code], await Codes(new UnitFilter(Kind: UnitKind.Province)));
        Assert.Equal([huyen.Code], await Codes(new UnitFilter(SubtreeOf: tinh.Id, Kind: UnitKind.District)));
    }

    [StoreFact]
    public async Task Find_by_valid_date_includes_the_first_day_and_excludes_the_end_day()
    {
        var (tinh, huyen, xa, cu, khac) = await SeedTreeAsync();

        Assert.Equal([huyen.Code, cu.Code], await Codes(new UnitFilter(ParentId: null, SubtreeOf: huyen.Id, ValidOn: new DateOnly(2025, 6, 30))));
        Assert.Equal([huyen.Code, xa.Code], await Codes(new UnitFilter(SubtreeOf: huyen.Id, ValidOn: new DateOnly(2025, 7, 1))));
        Assert.Equal([tinh.Code, khac.Code], await Codes(new UnitFilter(RootsOnly: true, ValidOn: new DateOnly(2000, 1, 1))));
    }

    [StoreFact]
    public async Task Find_by_name_ignores_case_and_diacritics()
    {
        var (_, huyen, xa, cu, _) = await SeedTreeAsync();

        Assert.Equal([cu.Code, xa.Code], await Codes(new UnitFilter(Search: "phường AN")));
        Assert.Equal([xa.Code], await Codes(new UnitFilter(Search: "an khanh")));
        Assert.Equal([cu.Code], await Codes(new UnitFilter(Search: "Hoà")));
        Assert.Equal([huyen.Code], await Codes(new UnitFilter(Search: "ninh kiều")));
        Assert.Empty(await Codes(new UnitFilter(Search: "khánh hòa")));
    }

    [StoreFact]
    public async Task Pages_by_code_forward_and_backward_without_gaps_or_repeats()
    {
        // Codes mix '.', '-' and '_' so the store's order must be plain ordinal, like the other store's.
        var codes = new[] { "A1", "A-2", "A.3", "A_4", "AB", "BB", "B.A", "B-A", "B0", "CC", "C.C.C", "Z9" };
        await Store.InsertManyAsync(codes.Select(c => Unit(c, $"Đơn vị {c}")).ToList());
        var expected = codes.Order(StringComparer.Ordinal).ToList();

        var seen = new List<string>();
        string? after = null;
        var pages = 0;
        while (true)
        {
            var page = await Store.FindAsync(new UnitFilter(), new PageRequest(5, After: after));
            pages++;
            Assert.Equal(12, page.TotalCount);
            Assert.Equal(after is not null, page.HasPreviousPage);
            seen.AddRange(page.Items.Select(u => u.Code));
            if (!page.HasNextPage) break;
            after = page.Items[^1].Code;
        }
        Assert.Equal(3, pages);
        Assert.Equal(expected, seen);

        var back = new List<string>();
        string? before = null;
        while (true)
        {
            var page = await Store.FindAsync(new UnitFilter(), new PageRequest(5, Before: before, Backward: true));
            Assert.Equal(before is not null, page.HasNextPage);
            back.InsertRange(0, page.Items.Select(u => u.Code));
            if (!page.HasPreviousPage) break;
            before = page.Items[0].Code;
        }
        Assert.Equal(expected, back);

        var middle = await Store.FindAsync(new UnitFilter(), new PageRequest(3, After: expected[2], Before: expected[7]));
        Assert.Equal(expected[3..6], middle.Items.Select(u => u.Code));
        Assert.True(middle.HasNextPage);
    }
}

public sealed class LiteDbUnitStoreTests : UnitStoreContract
{
    protected override Task<IStoreHarness> CreateStoresAsync() => Task.FromResult<IStoreHarness>(new LiteDbHarness());
}

[RequiresMongo]
public sealed class MongoUnitStoreTests : UnitStoreContract
{
    protected override async Task<IStoreHarness> CreateStoresAsync() => await MongoHarness.CreateAsync();
}
