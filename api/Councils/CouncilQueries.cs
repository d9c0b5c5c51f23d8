using DanVanKheo.Api.Common;
using DanVanKheo.Api.GraphQL;
using DanVanKheo.Api.Units;
using GraphQL;
using GraphQL.MicrosoftDI;
using GraphQL.Types;

namespace DanVanKheo.Api.Councils;

public static class CouncilQueries
{
    public static void Register(ObjectGraphType query)
    {
        query.Field<NonNullGraphType<ConnectionGraphType<CouncilGraphType, Council>>>("councils")
            .Description("Councils in creation order, paged by cursor.")
            .Argument<IdGraphType>("unitId", "Only councils of this unit.")
            .ConnectionArguments()
            .Resolve().WithService<ICouncilStore>()
            .ResolveAsync(async (c, store) =>
            {
                var unitId = UnitQueries.DecodeOptional(c.GetArgument<string?>("unitId"), "unitId");
                var page = await store.FindAsync(unitId, Cursors.PageRequest(c, "ID"), c.CancellationToken);
                return new Connection<Council>(page, "ID", x => x.Id);
            });
        query.Field<CouncilGraphType>("council")
            .Description("One council by global id.")
            .Argument<NonNullGraphType<IdGraphType>>("id", "The council's global id.")
            .Resolve(c => GlobalId.LocalIdOf(c.GetArgument<string>("id"), CouncilGraphType.TypeName) is { } id ? c.LoadCouncil(id) : null);
    }
}
