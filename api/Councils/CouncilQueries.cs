using DanVanKheo.Api.Common;
using DanVanKheo.Api.GraphQL;
using DanVanKheo.Api.Units;
using GraphQL;
using GraphQL.MicrosoftDI;
using GraphQL.Types;

namespace DanVanKheo.Api.Councils;

public sealed class CouncilFilterInputGraphType() : FilterInputGraphType<CouncilFilterInputGraphType>(CouncilQueries.Where);

public static class CouncilQueries
{
    public static FilterSpec Where { get; } = new("CouncilFilterInput",
        "Filters for the councils list: every given field's conditions must hold. Operators a field does not serve are refused with QUERY_NOT_SERVED.",
        [
            new("unitId", typeof(IdOperationFilterInputGraphType), "The unit the council belongs to (eq).",
                (v, path) => UnitQueries.DecodeOptional((string)v, path)!),
        ]);

    /// <summary>The store finds councils by one unit (index ix_unit) in creation order, nothing else.</summary>
    public static QueryCapabilities Capabilities { get; } = new()
    {
        Connection = "councils",
        Fields = new Dictionary<string, IReadOnlySet<FilterOperator>> { ["unitId"] = QueryCapabilities.Ops(FilterOperator.Eq) },
        Orders = [],
        Or = false,
    };

    public static void Register(ObjectGraphType query)
    {
        query.Field<NonNullGraphType<ConnectionGraphType<CouncilGraphType, Council>>>("councils")
            .Description("Councils in creation order, paged by cursor.")
            .Argument<CouncilFilterInputGraphType>("where", "Filters: every given field's conditions must hold (served: docs/querying.md).")
            .Argument<IdGraphType>("unitId", "Only councils of this unit (deprecated: use where: { unitId: { eq: … } }).",
                a => a.DeprecationReason = "Use where: { unitId: { eq: … } }.")
            .ConnectionArguments()
            .Resolve().WithService<ICouncilStore>()
            .ResolveAsync(async (c, store) =>
            {
                var where = Where.Parse(c.GetArgument<object?>("where"));
                Capabilities.Check(where, []);
                var (values, conflict) = Filters.Equalities(where);
                var legacy = UnitQueries.DecodeOptional(c.GetArgument<string?>("unitId"), "unitId");
                if (legacy is not null && values.Count > 0)
                    throw new InputException(new(Messages.PassEitherUnitIdOrWhere), "unitId");
                var unitId = legacy ?? values.GetValueOrDefault("unitId") as string;
                var request = Cursors.PageRequest(c, "ID");
                var page = conflict ? new Page<Council>([], false, false, request.CountTotal ? 0 : -1)
                    : await store.FindAsync(unitId, request, c.CancellationToken);
                return new Connection<Council>(page, "ID", x => x.Id);
            });
        query.Field<CouncilGraphType>("council")
            .Description("One council by global id.")
            .Argument<NonNullGraphType<IdGraphType>>("id", "The council's global id.")
            .Resolve(c => GlobalId.LocalIdOf(c.GetArgument<string>("id"), CouncilGraphType.TypeName) is { } id ? c.LoadCouncil(id) : null);
    }
}
