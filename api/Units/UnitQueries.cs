using DanVanKheo.Api.Common;
using DanVanKheo.Api.GraphQL;
using GraphQL;
using GraphQL.MicrosoftDI;
using GraphQL.Types;

namespace DanVanKheo.Api.Units;

public sealed class UnitFilterInput
{
    public string? Search { get; set; }
    public string? ParentId { get; set; }
    public bool? RootsOnly { get; set; }
    public string? SubtreeOf { get; set; }
    public UnitKind? Kind { get; set; }
    public DateOnly? ValidOn { get; set; }
}

public sealed class UnitFilterInputGraphType : InputObjectGraphType<UnitFilterInput>
{
    public UnitFilterInputGraphType()
    {
        Name = "UnitFilterInput";
        Description = "Filters for the units list; all given conditions must hold.";
        Field(f => f.Search, nullable: true).Description("Words of the name, ignoring case and diacritics.");
        Field<IdGraphType>("parentId").Description("Only direct children of this unit.");
        Field(f => f.RootsOnly, nullable: true).Description("Only units without a parent.");
        Field<IdGraphType>("subtreeOf").Description("This unit and everything below it.");
        Field<UnitKindGraphType>("kind").Description("Only units of this kind.");
        Field(f => f.ValidOn, nullable: true).Description("Only units that exist on this day.");
    }
}

public static class UnitQueries
{
    public static void Register(ObjectGraphType query)
    {
        query.Field<NonNullGraphType<ConnectionGraphType<UnitGraphType, Unit>>>("units")
            .Description("Units ordered by code, paged by cursor.")
            .Argument<UnitFilterInputGraphType>("where", "Filters; all must hold.")
            .ConnectionArguments()
            .Resolve().WithService<IUnitStore>()
            .ResolveAsync(async (c, store) =>
            {
                var where = c.GetArgument<UnitFilterInput?>("where") ?? new UnitFilterInput();
                var filter = new UnitFilter(
                    Search: UnitRules.SearchText(where.Search),
                    ParentId: DecodeOptional(where.ParentId, "where.parentId"),
                    RootsOnly: where.RootsOnly == true,
                    SubtreeOf: DecodeOptional(where.SubtreeOf, "where.subtreeOf"),
                    Kind: where.Kind,
                    ValidOn: where.ValidOn);
                var page = await store.FindAsync(filter, Cursors.PageRequest(c, "CODE"), c.CancellationToken);
                return new Connection<Unit>(page, "CODE", u => u.Code);
            });

        query.Field<UnitGraphType>("unit")
            .Description("One unit by global id or by code (exactly one of them).")
            .Argument<IdGraphType>("id", "The unit's global id.")
            .Argument<StringGraphType>("code", "The unit's code.")
            .Resolve().WithService<IUnitStore>()
            .ResolveAsync(async (c, store) =>
            {
                var id = c.GetArgument<string?>("id");
                var code = c.GetArgument<string?>("code");
                if ((id is null) == (code is null))
                    throw new InputException(new(Messages.PassExactlyOneIdCode), "id");
                if (code is not null) return await store.GetByCodeAsync(code, c.CancellationToken);
                var local = GlobalId.LocalIdOf(id, UnitGraphType.TypeName);
                return local is null ? null : await c.LoadUnit(local).GetResultAsync(c.CancellationToken);
            });
    }

    internal static string? DecodeOptional(string? globalId, string argument) =>
        globalId is null ? null
            : GlobalId.LocalIdOf(globalId, UnitGraphType.TypeName)
              ?? throw new InputException(new(Messages.NotAUnitId, argument), argument);
}
