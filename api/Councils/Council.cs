using DanVanKheo.Api.Common;

namespace DanVanKheo.Api.Councils;

public enum CouncilRole
{
    Chair,
    Secretary,
    Member,
}

/// <summary>A council member, identified by the token's user id (oid, else sub).</summary>
public sealed class CouncilMember
{
    public string UserId { get; set; } = "";
    public string DisplayName { get; set; } = "";
    public string HomeUnitId { get; set; } = "";
    /// <summary>The home unit's ancestors and itself when the member was added: conflict-of-interest checks use it.</summary>
    public List<string> HomeUnitLineage { get; set; } = [];
    public CouncilRole Role { get; set; }
}

/// <summary>An emulation council (Hội đồng Thi đua – Khen thưởng) of one unit.</summary>
public sealed class Council
{
    public string Id { get; set; } = Ids.New();
    public string Name { get; set; } = "";
    public string UnitId { get; set; } = "";
    /// <summary>The council unit's ancestors and itself: editors of any of them may manage the council.</summary>
    public List<string> UnitLineage { get; set; } = [];
    public List<CouncilMember> Members { get; set; } = [];
    public int Version { get; set; } = 1;
    public string CreatedBy { get; set; } = "";
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }

    public CouncilMember? MemberOf(string? userId) => userId is null ? null : Members.FirstOrDefault(m => m.UserId == userId);
}
