using DanVanKheo.Api.Councils;
using DanVanKheo.Api.Units;

namespace DanVanKheo.Api.Rounds;

/// <summary>A round's definition from a caller's input: the scope unit it names, deadlines as UTC.</summary>
internal static class RoundDefinitions
{
    public static async Task<RoundDefinition> FromAsync(IUnitStore units, RoundContentInput input, Council? council, CancellationToken ct)
    {
        var scope = await units.LoadOptionalAsync(input.ScopeUnitId, "scopeUnitId", ct);
        return new RoundDefinition
        {
            Name = input.Name, Level = input.Level, Year = input.Year, Council = council, Scope = scope,
            Rubric = input.Rubric, Rule = input.Rule, TieBreak = input.TieBreak, MaxRecognitions = input.MaxRecognitions,
            Recognition = input.Recognition,
            NominationsCloseAt = Utc(input.NominationsCloseAt), VotingClosesAt = Utc(input.VotingClosesAt),
        };
    }

    /// <summary>Deadlines as UTC to the millisecond (what both stores keep); a time without offset is taken as UTC.</summary>
    private static DateTime? Utc(DateTime? value)
    {
        if (value is not { } v) return null;
        var utc = v.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(v, DateTimeKind.Utc) : v.ToUniversalTime();
        return new DateTime(utc.Ticks - utc.Ticks % TimeSpan.TicksPerMillisecond, DateTimeKind.Utc);
    }
}
