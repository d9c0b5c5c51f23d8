using DanVanKheo.Api.Common;
using DanVanKheo.Api.Fields;

namespace DanVanKheo.Tests.Storage;

/// <summary>What every <see cref="IFieldStore"/> must do; one subclass per store.</summary>
public abstract class FieldStoreContract : StoreContract
{
    private IFieldStore Store => Stores.Fields;

    [StoreFact]
    public async Task EnsureStandard_adds_the_four_fields_once()
    {
        await Store.EnsureStandardAsync();
        await Store.EnsureStandardAsync();

        var fields = await Store.ListAsync();
        Assert.Equal(Field.Standard.Select(f => f.Code), fields.Select(f => f.Code));
        Assert.All(fields, f => Assert.True(f.IsStandard));
        Assert.Equal("Văn hóa – xã hội", fields[1].Name);
    }

    [StoreFact]
    public async Task A_unit_field_is_listed_by_sort_order_and_read_by_id()
    {
        await Store.EnsureStandardAsync();
        var own = new Field { Code = "CHUYEN_DOI_SO", Name = "Chuyển đổi số", OwnerUnitId = "don-vi-1", SortOrder = 2 };
        await Store.InsertAsync(own);
        await Store.EnsureStandardAsync();

        var codes = (await Store.ListAsync()).Select(f => f.Code).ToList();
        Assert.Equal(["KINH_TE", "CHUYEN_DOI_SO", "VAN_HOA_XA_HOI", "QUOC_PHONG_AN_NINH", "XAY_DUNG_HE_THONG_CHINH_TRI"], codes);
        var byIds = await Store.GetByIdsAsync([own.Id, "field-kinh-te", "khong-co"]);
        Assert.Equal(2, byIds.Count);
        TestData.AssertSame(own, byIds.Single(f => f.Id == own.Id));
        Assert.Empty(await Store.GetByIdsAsync([]));
    }

    [StoreFact]
    public async Task A_taken_code_is_refused()
    {
        await Store.EnsureStandardAsync();
        await Assert.ThrowsAsync<DuplicateKeyException>(() =>
            Store.InsertAsync(new Field { Code = "KINH_TE", Name = "Kinh tế (trùng)", OwnerUnitId = "don-vi-1" }));
        Assert.Equal(4, (await Store.ListAsync()).Count);
    }
}

public sealed class LiteDbFieldStoreTests : FieldStoreContract
{
    protected override Task<IStoreHarness> CreateStoresAsync() => Task.FromResult<IStoreHarness>(new LiteDbHarness());
}

[RequiresMongo]
public sealed class MongoFieldStoreTests : FieldStoreContract
{
    protected override async Task<IStoreHarness> CreateStoresAsync() => await MongoHarness.CreateAsync();
}
