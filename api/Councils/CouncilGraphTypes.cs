using DanVanKheo.Api.Auth;
using DanVanKheo.Api.GraphQL;
using DanVanKheo.Api.Units;
using GraphQL;
using GraphQL.DataLoader;
using GraphQL.Types;

namespace DanVanKheo.Api.Councils;

public sealed class CouncilRoleGraphType : EnumerationGraphType<CouncilRole>
{
    public CouncilRoleGraphType() { Name = "CouncilRole"; Description = "CHAIR (chủ tịch), SECRETARY (thư ký) or MEMBER (ủy viên) of a council."; }
}

public sealed class CouncilMemberGraphType : ObjectGraphType<CouncilMember>
{
    public CouncilMemberGraphType()
    {
        Name = "CouncilMember";
        Description = "A member of an emulation council.";
        Field<StringGraphType>("userId")
            .Description("The member's user id (token oid, else sub). Null for callers who do not manage the council and are not members.")
            .RequirePolicy(Policies.CouncilMemberIdsOfTarget)
            .Resolve(c => c.Source.UserId);
        Field(m => m.DisplayName).Description("Name as shown in the council's papers.");
        Field<NonNullGraphType<UnitGraphType>>("homeUnit").Description("The unit the member works for; decides conflicts of interest.")
            .Resolve(c => c.LoadUnit(c.Source.HomeUnitId));
        Field<NonNullGraphType<CouncilRoleGraphType>>("role").Description("The member's role.").Resolve(c => c.Source.Role);
    }

    /// <summary>
    /// What the member id policy checks: the member with the council it is listed in (the parent
    /// object); listed elsewhere (a round's frozen electorate) the council is not known here.
    /// </summary>
    static CouncilMemberGraphType() => AuthorizationMiddleware.RegisterTarget<CouncilMember>(Policies.CouncilMemberIdsOfTarget,
        (c, m) => new ValueTask<object?>(new CouncilMemberListing(m, c.Parent?.Source as Council)));
}

/// <summary>A council member as listed: with its council when listed by the council itself.</summary>
public sealed record CouncilMemberListing(CouncilMember Member, Council? Council);

public sealed class CouncilGraphType : ObjectGraphType<Council>
{
    public const string TypeName = "Council";

    public CouncilGraphType()
    {
        Name = TypeName;
        Description = "An emulation council (Hội đồng Thi đua – Khen thưởng) of a unit: it scores and votes on nominations.";
        Interface<NodeInterface>();
        IsTypeOf = o => o is Council;
        Field<NonNullGraphType<IdGraphType>>("id").Description("Global id.").Resolve(c => GlobalId.Encode(TypeName, c.Source.Id));
        Field(x => x.Name).Description("Name in Vietnamese.");
        Field<NonNullGraphType<UnitGraphType>>("unit").Description("The unit the council belongs to.").Resolve(c => c.LoadUnit(c.Source.UnitId));
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<CouncilMemberGraphType>>>>("members")
            .Description("Current members. A round that has opened voting keeps its own frozen copy.").Resolve(c => c.Source.Members);
        Field(x => x.Version).Description("Optimistic concurrency version: send it back with member changes.");
        Field(x => x.CreatedAt).Description("When the council was created (UTC).");
        Field(x => x.UpdatedAt).Description("When the council last changed (UTC).");
    }
}

/// <summary>Who may manage councils (who may see their members' user ids is the declared policy <see cref="Policies.CouncilMemberIdsOfTarget"/>).</summary>
public static class CouncilAccess
{
    public static bool CanManage(Caller caller, Council council) => caller.CanActForUnit(council.UnitLineage);
}

public static class CouncilLoaders
{
    public static IDataLoaderResult<Council?> LoadCouncil(this IResolveFieldContext context, string id)
    {
        var store = context.Service<ICouncilStore>();
        return context.Registry().Loader("council-by-id", () => new BatchLoader<string, Council>(async (ids, ct) =>
            (await store.GetByIdsAsync(ids, ct)).ToDictionary(x => x.Id))).Load(id);
    }
}
