using DanVanKheo.Api.Common;

namespace DanVanKheo.Api.Fields;

/// <summary>A field of work (lĩnh vực). Data, not an enum: a province may add its own.</summary>
public sealed class Field
{
    /// <summary>The API's type name, in global ids.</summary>
    public const string TypeName = "Field";

    public string Id { get; set; } = Ids.New();
    public string Code { get; set; } = "";
    public string Name { get; set; } = "";
    public bool IsStandard { get; set; }
    /// <summary>The unit that added a non-standard field; null for the standard four.</summary>
    public string? OwnerUnitId { get; set; }
    public int SortOrder { get; set; }

    /// <summary>The four fields every store starts with (stable ids so all stores agree).</summary>
    public static IReadOnlyList<Field> Standard { get; } =
    [
        new() { Id = "field-kinh-te", Code = "KINH_TE", Name = "Kinh tế", IsStandard = true, SortOrder = 1 },
        new() { Id = "field-van-hoa-xa-hoi", Code = "VAN_HOA_XA_HOI", Name = "Văn hóa – xã hội", IsStandard = true, SortOrder = 2 },
        new() { Id = "field-quoc-phong-an-ninh", Code = "QUOC_PHONG_AN_NINH", Name = "Quốc phòng – an ninh", IsStandard = true, SortOrder = 3 },
        new() { Id = "field-xay-dung-he-thong-chinh-tri", Code = "XAY_DUNG_HE_THONG_CHINH_TRI", Name = "Xây dựng hệ thống chính trị", IsStandard = true, SortOrder = 4 },
    ];
}

public interface IFieldStore
{
    Task<IReadOnlyList<Field>> ListAsync(CancellationToken ct = default);
    Task<IReadOnlyList<Field>> GetByIdsAsync(IReadOnlyCollection<string> ids, CancellationToken ct = default);

    /// <summary>Inserts the standard fields that are missing; safe to call on every start.</summary>
    Task EnsureStandardAsync(CancellationToken ct = default);

    /// <exception cref="DuplicateKeyException">the code is taken.</exception>
    Task InsertAsync(Field field, CancellationToken ct = default);
}
