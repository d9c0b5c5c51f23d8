using DanVanKheo.Api.Common;
using DanVanKheo.Api.Audit;
using DanVanKheo.Api.GraphQL;
using GraphQL;
using GraphQL.DataLoader;
using GraphQL.MicrosoftDI;
using GraphQL.Types;

namespace DanVanKheo.Api.Units;

public sealed class UnitKindGraphType : EnumerationGraphType<UnitKind>
{
    public UnitKindGraphType()
    {
        Name = "UnitKind";
        Description = "The kind of organisation a unit is.";
        this.DescribeValues(
            ("PROVINCE", "A province or centrally run city (tỉnh, thành phố)."),
            ("DEPARTMENT", "A department or agency of a province (sở, ban, ngành)."),
            ("DISTRICT", "A district (huyện); this level ended on 1/7/2025."),
            ("COMMUNE", "A commune, ward or town (xã, phường, thị trấn)."),
            ("PUBLIC_SERVICE_UNIT", "A public service unit (đơn vị sự nghiệp công lập) such as a school or hospital."),
            ("OTHER", "Any other organisation, e.g. a hamlet or a mass organisation branch."));
    }
}

public sealed class UnitGraphType : ObjectGraphType<Unit>
{
    public const string TypeName = UnitLookup.TypeName;

    public UnitGraphType()
    {
        Name = TypeName;
        Description = "An organisation (đơn vị): province, department, district, commune or public service unit.";
        Interface<NodeInterface>();
        IsTypeOf = o => o is Unit;
        Field<NonNullGraphType<IdGraphType>>("id").Description("The global id, accepted by node(id:) and by mutation inputs.").Resolve(c => GlobalId.Encode(TypeName, c.Source.Id));
        Field(u => u.Code).Description("The unit's unique code, e.g. KG.RG.");
        Field(u => u.Name).Description("Official name in Vietnamese.");
        Field<NonNullGraphType<StringGraphType>>("key")
            .Description("The unit's stable key: the value of an editor token's `unit_id` claim (the global id is accepted there too).")
            .Resolve(c => c.Source.Id);
        Field<NonNullGraphType<StringGraphType>>("label")
            .Description("The name with the period the unit existed, to tell apart units that share a name, e.g. \"Tỉnh An Giang (từ 01/07/2025)\".")
            .Resolve(c => UnitRules.Label(c.Source));
        Field<NonNullGraphType<UnitKindGraphType>>("kind").Description("What kind of organisation this is.").Resolve(c => c.Source.Kind);
        Field<UnitGraphType>("parent").Description("The unit above this one, if any.")
            .Resolve(c => c.Source.ParentId is null ? null : c.LoadUnit(c.Source.ParentId));
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<UnitGraphType>>>>("ancestors")
            .Description("Units above this one, from the root down to the parent.")
            .Resolve(c => c.LoadUnits(c.Source.AncestorIds));
        Field<NonNullGraphType<ConnectionGraphType<UnitGraphType, Unit>>>("children")
            .Description("The units directly below this one, in code order, paged by cursor.")
            .ConnectionArguments()
            .Resolve().WithService<IUnitStore>()
            .ResolveAsync(async (c, store) =>
            {
                var page = await store.FindAsync(new UnitFilter(ParentId: c.Source.Id), Cursors.PageRequest(c, "CODE"), c.CancellationToken);
                return new Connection<Unit>(page, "CODE", u => u.Code);
            });
        Entries.EntryQueries.AddEntriesOf(this);
        Field<NonNullGraphType<ConnectionGraphType<UnitGraphType, Unit>>>("descendants")
            .Description("Every unit below this one (its whole subtree, without itself), in code order, paged by cursor.")
            .ConnectionArguments()
            .Resolve().WithService<IUnitStore>()
            .ResolveAsync(async (c, store) =>
            {
                var page = await store.FindAsync(new UnitFilter(DescendantsOf: c.Source.Id), Cursors.PageRequest(c, "CODE"), c.CancellationToken);
                return new Connection<Unit>(page, "CODE", u => u.Code);
            });
        Field(u => u.ValidFrom, nullable: true).Description("The day the unit came into being, if known.");
        Field(u => u.ValidTo, nullable: true).Description("The first day the unit no longer exists (it ended the day before); null while it exists.");
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<UnitGraphType>>>>("predecessors")
            .Description("Units that ended and live on in this one (merger or split).")
            .Resolve(c => c.LoadUnits(c.Source.PredecessorIds));
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<UnitGraphType>>>>("successors")
            .Description("Units this one was merged or split into.")
            .Resolve(c => c.LoadUnits(c.Source.SuccessorIds));
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<UnitGraphType>>>>("currentSuccessors")
            .Description("The unit(s) that carry this one on at `asOf` (default today), following successors through repeated reorganisations; the unit itself while it exists.")
            .Argument<DateOnlyGraphType>("asOf", "The day to resolve for; default today.")
            .Resolve().WithServices<IUnitStore, RegistryClock>()
            .ResolveAsync(async (c, store, clock) =>
                await UnitHistory.CurrentSuccessorsAsync(c.Source, c.GetArgument<DateOnly?>("asOf") ?? clock.Today(), store, c.CancellationToken));
        Field<NonNullGraphType<BooleanGraphType>>("isActive")
            .Description("Whether the unit exists on `asOf` (default today).")
            .Argument<DateOnlyGraphType>("asOf", "The day to check; default today.")
            .Resolve().WithService<RegistryClock>()
            .Resolve((c, clock) => c.Source.IsValidOn(c.GetArgument<DateOnly?>("asOf") ?? clock.Today()));
        Field(u => u.Version).Description("Optimistic concurrency version: send it back with updateUnit.");
        Field(u => u.CreatedAt).Description("When the unit was created in the registry (UTC).");
        Field(u => u.UpdatedAt).Description("When the unit was last changed (UTC).");
        AuditQueries.AddHistory(this, u => u.Id);
    }
}

public static class UnitLoaders
{
    public static IDataLoaderResult<Unit?> LoadUnit(this IResolveFieldContext context, string id) => Loader(context).Load(id);

    public static IDataLoaderResult<IReadOnlyList<Unit>> LoadUnits(this IResolveFieldContext context, IReadOnlyList<string> ids)
    {
        var loader = Loader(context);
        var results = ids.Select(loader.Load).ToList();
        return new ManyResult(results);
    }

    private static BatchLoader<string, Unit> Loader(IResolveFieldContext context) => context.Loaders().Units;

    private sealed class ManyResult(List<IDataLoaderResult<Unit?>> items) : IDataLoaderResult<IReadOnlyList<Unit>>
    {
        public async Task<IReadOnlyList<Unit>> GetResultAsync(CancellationToken cancellationToken = default)
        {
            var list = new List<Unit>(items.Count);
            foreach (var item in items)
                if (await item.GetResultAsync(cancellationToken) is { } unit) list.Add(unit);
            return list;
        }

        async Task<object?> IDataLoaderResult.GetResultAsync(CancellationToken cancellationToken) =>
            await GetResultAsync(cancellationToken);
    }
}

/// <summary>Walks successor links level by level: one store call per generation of reorganisation.</summary>
public static class UnitHistory
{
    public static async Task<IReadOnlyList<Unit>> CurrentSuccessorsAsync(Unit start, DateOnly asOf, IUnitStore store, CancellationToken ct)
    {
        var known = new Dictionary<string, Unit> { [start.Id] = start };
        var frontier = new List<Unit> { start };
        for (var depth = 0; depth < 32 && frontier.Count > 0; depth++)
        {
            var missing = frontier.Where(u => !u.IsValidOn(asOf))
                .SelectMany(u => u.SuccessorIds).Where(id => !known.ContainsKey(id)).Distinct().ToList();
            if (missing.Count == 0) break;
            var loaded = await store.GetByIdsAsync(missing, ct);
            foreach (var u in loaded) known[u.Id] = u;
            frontier = [.. loaded];
        }
        return UnitRules.CurrentSuccessors(start, asOf, id => known.GetValueOrDefault(id));
    }
}
