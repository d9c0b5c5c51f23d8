namespace DanVanKheo.Api.Common;

public static class Ids
{
    /// <summary>Time-ordered ids keep inserts append-only in both stores' primary index.</summary>
    public static string New() => Guid.CreateVersion7().ToString("N");
}
