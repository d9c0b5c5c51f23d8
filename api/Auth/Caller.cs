using System.Security.Claims;
using DanVanKheo.Api.Units;

namespace DanVanKheo.Api.Auth;

public static class Roles
{
    public const string Admin = "Registry.Admin";
    public const string Editor = "Unit.Editor";
    public const string Auditor = "Registry.Auditor";
}

/// <summary>Who is calling, read once per request from the validated token.</summary>
public sealed record Caller(string? Id, string? Name, IReadOnlySet<string> Roles, string? UnitId)
{
    public static Caller Anonymous { get; } = new(null, null, new HashSet<string>(), null);

    public bool IsAuthenticated => Id is not null;
    public bool IsAdmin => Roles.Contains(Auth.Roles.Admin);
    public bool IsAuditor => Roles.Contains(Auth.Roles.Auditor);
    public bool IsEditor => Roles.Contains(Auth.Roles.Editor) && UnitId is not null;

    public static Caller From(ClaimsPrincipal? principal)
    {
        if (principal?.Identity?.IsAuthenticated != true) return Anonymous;
        // Entra ID puts the stable user id in 'oid'; user-jwts and other issuers in 'sub'.
        var id = principal.FindFirstValue("oid")
                 ?? principal.FindFirstValue("http://schemas.microsoft.com/identity/claims/objectidentifier")
                 ?? principal.FindFirstValue("sub")
                 ?? principal.FindFirstValue(ClaimTypes.NameIdentifier);
        if (id is null) return Anonymous;
        var roles = principal.Claims
            .Where(c => c.Type is "roles" or "role" or ClaimTypes.Role)
            .Select(c => c.Value)
            .ToHashSet(StringComparer.Ordinal);
        var name = principal.FindFirstValue("name") ?? principal.FindFirstValue(ClaimTypes.Name)
                   ?? principal.FindFirstValue("unique_name") ?? id;
        return new Caller(id, name, roles, UnitKey(principal.FindFirstValue("unit_id")));
    }

    /// <summary>A unit_id claim holds the unit's key (<c>Unit.key</c>); its global id is accepted as well.</summary>
    private static string? UnitKey(string? claim) =>
        claim is null ? null : Common.GlobalId.LocalIdOf(claim, UnitLookup.TypeName) ?? claim;

    /// <summary>
    /// An editor acts for their unit's subtree; <paramref name="lineage"/> is the target unit's
    /// ancestors and itself.
    /// </summary>
    public bool CanActForUnit(IReadOnlyCollection<string> lineage) =>
        IsAdmin || (IsEditor && lineage.Contains(UnitId!));

    public bool CanActForUnit(Unit unit) => CanActForUnit(unit.Lineage());
}
