using DanVanKheo.Api.Auth;
using DanVanKheo.Api.Common;
using DanVanKheo.Api.Units;

namespace DanVanKheo.Api.Councils;

/// <summary>Council membership rules, free of storage and GraphQL.</summary>
public static class CouncilRules
{
    public const string MemberExists = "MEMBER_EXISTS";
    public const string RoleTaken = "ROLE_TAKEN";
    public const string CouncilFrozen = "COUNCIL_FROZEN";

    public static Council Create(string name, Unit unit, string createdBy, DateTime now)
    {
        var council = new Council
        {
            UnitId = unit.Id,
            UnitLineage = unit.Lineage(),
            CreatedBy = createdBy,
            CreatedAt = now,
            UpdatedAt = now,
        };
        Rename(council, name);
        return council;
    }

    public static void Rename(Council council, string name)
    {
        var trimmed = (name ?? "").Trim();
        if (trimmed.Length is < 3 or > 300)
            throw new DomainException(ErrorCodes.InvalidInput, new(Messages.CouncilName3300Characters), "name");
        council.Name = trimmed;
    }

    /// <summary>Adds a member; a council has at most one CHAIR and one SECRETARY.</summary>
    public static void AddMember(Council council, string userId, string displayName, Unit homeUnit, CouncilRole role, DateTime now)
    {
        var id = (userId ?? "").Trim();
        if (id.Length is < 1 or > 200)
            throw new DomainException(ErrorCodes.InvalidInput, new(Messages.MemberUserIdRequired), "userId");
        var name = (displayName ?? "").Trim();
        if (name.Length is < 2 or > 200)
            throw new DomainException(ErrorCodes.InvalidInput, new(Messages.DisplayName2200Characters), "displayName");
        if (council.MemberOf(id) is not null)
            throw new DomainException(MemberExists, new(Messages.AlreadyAMember, id, council.Name), "userId");
        if (role != CouncilRole.Member && council.Members.Any(m => m.Role == role))
            throw new DomainException(RoleTaken, new(Messages.CouncilRoleTaken, council.Name, role.ToString().ToUpperInvariant()), "role");
        if (council.Members.Count >= 200)
            throw new DomainException(ErrorCodes.InvalidInput, new(Messages.CouncilHasAtMost200), "userId");
        council.Members.Add(new CouncilMember
        {
            UserId = id,
            DisplayName = name,
            HomeUnitId = homeUnit.Id,
            HomeUnitLineage = homeUnit.Lineage(),
            Role = role,
        });
        Touch(council, now);
    }

    public static void RemoveMember(Council council, string userId, DateTime now)
    {
        var member = council.MemberOf(userId)
                     ?? throw new DomainException(ErrorCodes.NotFound, new(Messages.NotAMember, userId, council.Name), "userId");
        council.Members.Remove(member);
        Touch(council, now);
    }

    private static void Touch(Council council, DateTime now)
    {
        council.UpdatedAt = now;
        council.Version++;
    }
}

/// <summary>Who may manage councils (who may see their members' user ids is the declared policy <see cref="Policies.CouncilMemberIdsOfTarget"/>).</summary>
public static class CouncilAccess
{
    public static bool CanManage(Caller caller, Council council) => caller.CanActForUnit(council.UnitLineage);
}
