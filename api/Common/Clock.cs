namespace DanVanKheo.Api.Common;

public static class ClockExtensions
{
    /// <summary>UTC now truncated to milliseconds: what both stores keep, so values round-trip exactly.</summary>
    public static DateTime UtcNowMs(this TimeProvider time)
    {
        var now = time.GetUtcNow().UtcDateTime;
        return new DateTime(now.Ticks - now.Ticks % TimeSpan.TicksPerMillisecond, DateTimeKind.Utc);
    }
}
