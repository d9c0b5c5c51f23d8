using DanVanKheo.Api.Common;
using DanVanKheo.Api.Entries;
using DanVanKheo.Api.GraphQL;
using DanVanKheo.Api.Units;
using GraphQL;
using GraphQL.MicrosoftDI;
using GraphQL.Types;

namespace DanVanKheo.Api.Reports;

public static class ReportQueries
{
    public static void Register(ObjectGraphType query)
    {
        query.Field<AnnualReportGraphType>("report")
            .Description("The annual report for a unit and year. Public data for anonymous callers; drafts only for callers who may see them. Null if the unit does not exist.")
            .Argument<NonNullGraphType<IdGraphType>>("unitId", "The global id of the unit the report covers, with its subtree.")
            .Argument<NonNullGraphType<IntGraphType>>("year", "The registration year the report covers.")
            .Argument<BooleanGraphType>("includeSubunits", "Include units below (default true).")
            .Argument<DateOnlyGraphType>("asOf", "Roll historical units up into their successors on this day; omit to keep units as they were.")
            .Resolve().WithService<ReportAssembler>()
            .ResolveAsync(async (c, assembler) =>
            {
                var unitId = UnitQueries.DecodeOptional(c.GetArgument<string>("unitId"), "unitId")!;
                var unit = await c.LoadUnit(unitId).GetResultAsync(c.CancellationToken);
                if (unit is null) return null;
                var year = ReportRules.CheckYear(c.GetArgument<int>("year"));
                return await assembler.BuildAsync(new ReportRequest(unit, year,
                    c.GetArgument<bool?>("includeSubunits") ?? true, c.GetArgument<DateOnly?>("asOf"),
                    EntryAccess.VisibilityFor(c.Caller())), c.CancellationToken);
            });
    }
}
