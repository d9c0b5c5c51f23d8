using DanVanKheo.Api.Common;
using DanVanKheo.Api.Auth;
using DanVanKheo.Api.GraphQL;
using DanVanKheo.Api.Units;
using GraphQL;
using GraphQL.DataLoader;
using GraphQL.Types;

namespace DanVanKheo.Api.Councils;

public sealed class CouncilRoleGraphType : EnumerationGraphType<CouncilRole>
{
    public CouncilRoleGraphType()
    {
        Name = "CouncilRole";
        Description = "CHAIR (chủ tịch), SECRETARY (thư ký) or MEMBER (ủy viên) of a council.";
        this.DescribeValues(
            ("CHAIR", "The chair (chủ tịch) runs the council and its rounds."),
            ("SECRETARY", "The secretary (thư ký) runs rounds alongside the chair."),
            ("MEMBER", "A voting member (ủy viên) of the council."));
    }
}

/// <summary>Council members are listed with where they are listed (<see cref="CouncilMemberListing"/>): the member id policy needs it.</summary>
public sealed class CouncilMemberGraphType : ObjectGraphType<CouncilMemberListing>
{
    public CouncilMemberGraphType()
    {
        Name = "CouncilMember";
        Description = "A member of an emulation council.";
        Field<StringGraphType>("userId")
            .Description("The member's user id (token oid, else sub). Null for callers who do not manage the council and are not members.")
            .RequirePolicy(Policies.CouncilMemberIdsOfTarget)
            .Resolve(c => c.Source.Member.UserId);
        Field<NonNullGraphType<StringGraphType>>("displayName").Description("Name as shown in the council's papers.").Resolve(c => c.Source.Member.DisplayName);
        Field<NonNullGraphType<UnitGraphType>>("homeUnit").Description("The unit the member works for; decides conflicts of interest.")
            .Resolve(c => c.LoadUnit(c.Source.Member.HomeUnitId));
        Field<NonNullGraphType<CouncilRoleGraphType>>("role").Description("The member's role.").Resolve(c => c.Source.Member.Role);
    }
}

/// <summary>
/// A council member as listed: by its council (<c>Council.members</c>) or as a round's electorate
/// (<c>Round.members</c>, the frozen copy once voting opened); <paramref name="CouncilUnitLineage"/>
/// is the council's unit and its ancestors (whose editors manage it), <paramref name="ListedWith"/>
/// the members listed together (who may see each other's ids).
/// </summary>
public sealed record CouncilMemberListing(CouncilMember Member, IReadOnlyCollection<string> CouncilUnitLineage, IReadOnlyCollection<CouncilMember> ListedWith)
{
    public static IReadOnlyList<CouncilMemberListing> Of(IReadOnlyCollection<CouncilMember> members, Council? council) =>
        [.. members.Select(m => new CouncilMemberListing(m, council?.UnitLineage ?? [], members))];
}

public sealed class CouncilGraphType : ObjectGraphType<Council>
{
    public const string TypeName = CouncilLookup.TypeName;

    public CouncilGraphType()
    {
        Name = TypeName;
        Description = "An emulation council (Hội đồng Thi đua – Khen thưởng) of a unit: it scores and votes on nominations.";
        Interface<NodeInterface>();
        IsTypeOf = o => o is Council;
        Field<NonNullGraphType<IdGraphType>>("id").Description("The global id, accepted by node(id:) and by mutation inputs.").Resolve(c => GlobalId.Encode(TypeName, c.Source.Id));
        Field(x => x.Name).Description("Name in Vietnamese.");
        Field<NonNullGraphType<UnitGraphType>>("unit").Description("The unit the council belongs to.").Resolve(c => c.LoadUnit(c.Source.UnitId));
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<CouncilMemberGraphType>>>>("members")
            .Description("Current members. A round that has opened voting keeps its own frozen copy.").Resolve(c => CouncilMemberListing.Of(c.Source.Members, c.Source));
        Field(x => x.Version).Description("Optimistic concurrency version: send it back with member changes.");
        Field(x => x.CreatedAt).Description("When the council was created (UTC).");
        Field(x => x.UpdatedAt).Description("When the council last changed (UTC).");
    }
}

public static class CouncilLoaders
{
    public static IDataLoaderResult<Council?> LoadCouncil(this IResolveFieldContext context, string id) => context.Loaders().Councils.Load(id);
}
