namespace DanVanKheo.Api.Common;

/// <summary>
/// The registry's one clock. Instants are UTC truncated to milliseconds (what both stores keep,
/// so values round-trip exactly); calendar days, years and deadlines are Vietnam's (UTC+7, no
/// daylight saving), so "today" is the same for every rule whatever the server's time zone.
/// </summary>
public sealed class RegistryClock(TimeProvider time)
{
    public static readonly TimeSpan VietnamOffset = TimeSpan.FromHours(7);

    public DateTime UtcNow()
    {
        var now = time.GetUtcNow().UtcDateTime;
        return new DateTime(now.Ticks - now.Ticks % TimeSpan.TicksPerMillisecond, DateTimeKind.Utc);
    }

    /// <summary>Today's date in Vietnam.</summary>
    public DateOnly Today() => VietnamDate(UtcNow());

    /// <summary>The Vietnam calendar day of a UTC instant.</summary>
    public static DateOnly VietnamDate(DateTime utc) => DateOnly.FromDateTime(utc + VietnamOffset);

    /// <summary>The Vietnam calendar year of a UTC instant (registration years, code years).</summary>
    public static int VietnamYear(DateTime utc) => (utc + VietnamOffset).Year;
}
