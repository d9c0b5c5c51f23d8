using DanVanKheo.Api.Auth;
using DanVanKheo.Api.Common;
using DanVanKheo.Api.Fields;
using DanVanKheo.Api.GraphQL;
using DanVanKheo.Api.Units;
using GraphQL;
using GraphQL.MicrosoftDI;
using GraphQL.Types;

namespace DanVanKheo.Api.Entries;

public sealed class EntryFilterInput
{
    public string? Search { get; set; }
    public string? UnitId { get; set; }
    public bool? IncludeSubunits { get; set; }
    public string? FieldId { get; set; }
    public EntryKind? Kind { get; set; }
    public EntryStatus? Status { get; set; }
    public List<EntryStatus>? Statuses { get; set; }
    public int? Year { get; set; }
}

public sealed class EntryFilterInputGraphType : InputObjectGraphType<EntryFilterInput>
{
    public EntryFilterInputGraphType()
    {
        Name = "EntryFilterInput";
        Description = "Filters for the entries list; all given conditions must hold.";
        Field(f => f.Search, nullable: true).Description("Word prefixes, ignoring case and diacritics: \"khe van dong\" finds \"Khéo vận động…\". Matches title, code and tags.");
        Field<IdGraphType>("unitId").Description("Only entries of this unit.");
        Field(f => f.IncludeSubunits, nullable: true).Description("With unitId: also entries of every unit below it (as filed at registration).");
        Field<IdGraphType>("fieldId").Description("Only entries of this field of work.");
        Field<EntryKindGraphType>("kind").Description("Only models or only exemplars.");
        Field<EntryStatusGraphType>("status").Description("Only entries in this status.");
        Field<ListGraphType<NonNullGraphType<EntryStatusGraphType>>>("statuses").Description("Only entries in one of these statuses.");
        Field(f => f.Year, nullable: true).Description("Only entries registered in this year.");
    }
}

public sealed class SortEnumGraphType : EnumerationGraphType<SortDirection>
{
    public SortEnumGraphType() { Name = "SortEnumType"; Description = "Sort direction."; }
}

public sealed class EntrySortInput
{
    public SortDirection? Code { get; set; }
    public SortDirection? Title { get; set; }
    public SortDirection? UpdatedAt { get; set; }
    public SortDirection? StartDate { get; set; }
}

public sealed class EntrySortInputGraphType : InputObjectGraphType<EntrySortInput>
{
    public EntrySortInputGraphType()
    {
        Name = "EntrySortInput";
        Description = "One sort key: set exactly one field. Every order is total (ties broken by code), so cursors are stable.";
        Field<SortEnumGraphType>("code").Description("By code, i.e. by year then registration order; drafts (NHÁP-… references) come after every registry code.");
        Field<SortEnumGraphType>("title").Description("By title, ignoring case and diacritics.");
        Field<SortEnumGraphType>("updatedAt").Description("By last change.");
        Field<SortEnumGraphType>("startDate").Description("By start date (entries without one first).");
    }
}

public static class EntryQueries
{
    public static void Register(ObjectGraphType query)
    {
        query.Field<NonNullGraphType<ConnectionGraphType<EntryGraphType, Entry>>>("entries")
            .RequirePolicy(Policies.DraftsOfOwnUnits)
            .Description("Entries the caller may see (drafts only to their unit's editors), paged by cursor. Default order: newest code first.")
            .Argument<EntryFilterInputGraphType>("where", "Filters; all must hold.")
            .Argument<ListGraphType<NonNullGraphType<EntrySortInputGraphType>>>("order", "At most one sort key.")
            .ConnectionArguments()
            .Resolve().WithService<IEntryStore>()
            .ResolveAsync(async (c, store) =>
            {
                var where = c.GetArgument<EntryFilterInput?>("where") ?? new EntryFilterInput();
                var sort = ReadSort(c.GetArgument<List<EntrySortInput>?>("order"));
                var filter = ToFilter(where, c);
                var tag = $"{sort.Field}:{sort.Direction}".ToUpperInvariant();
                var page = await store.FindAsync(filter, sort, Cursors.PageRequest(c, tag), c.CancellationToken);
                var field = sort.Field;
                return new Connection<Entry>(page, tag, e => EntrySort.KeyOf(e, field));
            });

        query.Field<EntryGraphType>("entry")
            .RequirePolicy(Policies.DraftsOfOwnUnits)
            .Description("One entry by global id or by code (exactly one). Null when it does not exist or the caller may not see it; a draft's reference (NHÁP-…) finds it for those who may see it.")
            .Argument<IdGraphType>("id", "The entry's global id.")
            .Argument<StringGraphType>("code", "The entry's code, e.g. DVK-2024-000123.")
            .Resolve().WithService<IEntryStore>()
            .ResolveAsync(async (c, store) =>
            {
                var id = c.GetArgument<string?>("id");
                var code = c.GetArgument<string?>("code");
                if ((id is null) == (code is null))
                    throw new InputException("Pass exactly one of 'id' or 'code'.", "id");
                if (code is not null)
                {
                    var entry = await store.GetByCodeAsync(code, c.CancellationToken);
                    return entry is not null && EntryAccess.VisibilityFor(c.Caller()).CanSee(entry) ? entry : null;
                }
                var local = GlobalId.LocalIdOf(id, EntryGraphType.TypeName);
                return local is null ? null : await c.LoadEntry(local).GetResultAsync(c.CancellationToken);
            });
    }

    private static EntryFilter ToFilter(EntryFilterInput where, IResolveFieldContext c)
    {
        if (where.IncludeSubunits == true && where.UnitId is null)
            throw new InputException("'includeSubunits' needs 'unitId'.", "where.includeSubunits");
        if (where.Search is { Length: > 200 })
            throw new InputException("'search' is limited to 200 characters.", "where.search");
        var statuses = new List<EntryStatus>();
        if (where.Status is { } s) statuses.Add(s);
        if (where.Statuses is { } list) statuses.AddRange(list);
        return new EntryFilter
        {
            SearchTerms = EntryRules.SearchTerms(where.Search),
            UnitId = UnitQueries.DecodeOptional(where.UnitId, "where.unitId"),
            IncludeSubunits = where.IncludeSubunits == true,
            FieldId = where.FieldId is null ? null
                : GlobalId.LocalIdOf(where.FieldId, FieldGraphType.TypeName) ?? throw new InputException("'where.fieldId' is not a Field id.", "where.fieldId"),
            Kind = where.Kind,
            Statuses = statuses.Distinct().ToList(),
            Year = where.Year,
            Visibility = EntryAccess.VisibilityFor(c.Caller()),
        };
    }

    private static EntrySort ReadSort(List<EntrySortInput>? order)
    {
        if (order is null || order.Count == 0) return new EntrySort();
        if (order.Count > 1) throw new InputException("Sort by one key at a time.", "order");
        var o = order[0];
        var set = new (EntrySortField Field, SortDirection? Dir)[]
        {
            (EntrySortField.Code, o.Code), (EntrySortField.Title, o.Title),
            (EntrySortField.UpdatedAt, o.UpdatedAt), (EntrySortField.StartDate, o.StartDate),
        }.Where(x => x.Dir is not null).ToList();
        if (set.Count != 1) throw new InputException("Set exactly one field in the sort input.", "order");
        return new EntrySort(set[0].Field, set[0].Dir!.Value);
    }
}
