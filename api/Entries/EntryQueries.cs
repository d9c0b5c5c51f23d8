using DanVanKheo.Api.Auth;
using DanVanKheo.Api.Common;
using DanVanKheo.Api.Fields;
using DanVanKheo.Api.GraphQL;
using DanVanKheo.Api.Units;
using GraphQL;
using GraphQL.Builders;
using GraphQL.MicrosoftDI;
using GraphQL.Types;

namespace DanVanKheo.Api.Entries;

public sealed class EntryFilterInputGraphType() : FilterInputGraphType<EntryFilterInputGraphType>(EntryQueries.Where);

public sealed class EntrySortInputGraphType() : SortInputGraphType("EntrySortInput",
    "One sort key of the entries list: set exactly one field; list several inputs for several keys (served orders: docs/querying.md). Every order is total (ties broken by code), so cursors are stable.",
    [
        ("code", "By code, i.e. by year then registration order."),
        ("title", "By title in Vietnamese alphabetical order (a < ă < â, d < đ; tones decide only between equal letters), ties by code."),
        ("updatedAt", "By the time of the last change (ties by code)."),
        ("startDate", "By start date, entries without one first (ties by code)."),
        ("year", "By registration year; follow it with code, title or updatedAt, or ties are broken by code."),
    ]);

public static class EntryQueries
{
    public static FilterSpec Where { get; } = new("EntryFilterInput",
        "Filters for the entries list: every given field's conditions must hold, and/or combine whole filters. Operators a field does not serve are refused with QUERY_NOT_SERVED.",
        [
            new(EntryQuerying.Search, typeof(StringGraphType),
                "Word prefixes, ignoring case and diacritics: \"khe van dong\" finds \"Khéo vận động…\". Matches title, code and tags.",
                Custom: (v, path) => SearchFilter((string)v, path)),
            new(EntryQuerying.Id, typeof(IdOperationFilterInputGraphType), "The entry itself, by global id (eq, in).",
                (v, path) => DecodeId(v, EntryGraphType.TypeName, path)),
            new(EntryQuerying.Code, typeof(StringOperationFilterInputGraphType),
                "The entry's code, e.g. DVK-2024-000123 (eq, neq, in, nin, startsWith, contains; case does not matter).",
                (v, _) => ((string)v).Trim().ToUpperInvariant()),
            new(EntryQuerying.Title, typeof(StringOperationFilterInputGraphType),
                "The title, ignoring case and diacritics (startsWith, contains).",
                (v, _) => TextFolding.Fold((string)v)),
            new(EntryQuerying.Year, typeof(IntOperationFilterInputGraphType), "The registration year (every comparison).",
                (v, path) => v is int y and >= 1 and <= 9999 ? y : throw new InputException(new(Messages.YearOutOfRangeAt, path), path)),
            new(EntryQuerying.Status, typeof(EnumOperationFilterInputGraphType<EntryStatusGraphType>), "The status (eq, neq, in, nin)."),
            new(EntryQuerying.Kind, typeof(EnumOperationFilterInputGraphType<EntryKindGraphType>), "Model or exemplar (eq, neq, in, nin)."),
            new(EntryQuerying.UnitId, typeof(IdOperationFilterInputGraphType), "The unit the entry was registered by (eq, in).",
                (v, path) => DecodeId(v, UnitGraphType.TypeName, path)),
            new(EntryQuerying.SubtreeOf, typeof(IdOperationFilterInputGraphType),
                "A unit whose subtree registered the entry: the unit itself or any unit below it, as it was at registration (eq, in).",
                (v, path) => DecodeId(v, UnitGraphType.TypeName, path)),
            new(EntryQuerying.FieldId, typeof(IdOperationFilterInputGraphType), "The field of work (eq, in).",
                (v, path) => DecodeId(v, FieldGraphType.TypeName, path)),
            new(EntryQuerying.UpdatedAt, typeof(DateTimeOperationFilterInputGraphType), "The time of the last change (gt, gte, lt, lte).",
                (v, _) => ((DateTime)v).ToUniversalTime()),
        ]);

    public static void Register(ObjectGraphType query)
    {
        query.Field<NonNullGraphType<ConnectionGraphType<EntryGraphType, Entry>>>("entries")
            .RequirePolicy(Policies.DraftsOfOwnUnits)
            .Description("Entries the caller may see (drafts only to their unit's editors), paged by cursor. Default order: newest code first.")
            .EntryListArguments()
            .Resolve().WithService<IEntryStore>()
            .ResolveAsync(async (c, store) => await FindAsync(c, store, null));

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
                    throw new InputException(new(Messages.PassExactlyOneIdCode), "id");
                if (code is not null)
                {
                    var entry = await store.GetByCodeAsync(code, c.CancellationToken);
                    return entry is not null && EntryAccess.VisibilityFor(c.Caller()).CanSee(entry) ? entry : null;
                }
                var local = GlobalId.LocalIdOf(id, EntryGraphType.TypeName);
                return local is null ? null : await c.LoadEntry(local).GetResultAsync(c.CancellationToken);
            });
    }

    /// <summary>Unit.entries: the entries a unit registered, as a connection with the entries list's arguments.</summary>
    public static void AddEntriesOf(UnitGraphType unit) =>
        unit.Field<NonNullGraphType<ConnectionGraphType<EntryGraphType, Entry>>>("entries")
            .RequirePolicy(Policies.DraftsOfOwnUnits)
            .Description("Entries this unit registered that the caller may see, paged by cursor, with the filters and orders of Query.entries (a whole subtree: Query.entries with where.subtreeOf).")
            .EntryListArguments()
            .Resolve().WithService<IEntryStore>()
            .ResolveAsync(async (c, store) =>
                await FindAsync(c, store, new Condition(EntryQuerying.UnitId, FilterOperator.Eq, [((Unit)c.Source!).Id])));

    /// <summary>The filter and order arguments of an entries list (Query.entries, Unit.entries).</summary>
    public static FieldBuilder<TSource, object> EntryListArguments<TSource>(this FieldBuilder<TSource, object> field) =>
        field
            .Argument<EntryFilterInputGraphType>("where", "Filters: every given field's conditions must hold; and/or combine filters.")
            .Argument<ListGraphType<NonNullGraphType<EntrySortInputGraphType>>>("order", "Sort keys, most significant first (e.g. [{ year: DESC }, { title: ASC }]).")
            .ConnectionArguments();

    /// <summary>One page of an entries list; <paramref name="scope"/> is a condition the list itself adds (Unit.entries).</summary>
    public static async Task<Connection<Entry>> FindAsync(IResolveFieldContext c, IEntryStore store, FilterNode? scope)
    {
        var where = Where.Parse(c.GetArgument<object?>("where"));
        var order = FilterSpec.ParseOrder(c.GetArgument<object?>("order"));
        EntryQuerying.Capabilities.Check(where, order);
        var sort = new EntrySort(order.Select(k => new EntrySortKey(EntryQuerying.SortField(k.Field), k.Direction)).ToList());
        var filter = new EntryFilter
        {
            Where = scope is null ? where : where is null ? scope : new AllOf([scope, where]),
            Visibility = EntryAccess.VisibilityFor(c.Caller()),
        };
        var request = Cursors.PageRequest(c, sort.Tag);
        if ((request.After is { } a && sort.DecodeKey(a) is null) || (request.Before is { } b && sort.DecodeKey(b) is null))
            throw new InputException(new(Messages.CursorListOrder, request.After is not null ? "after" : "before"), request.After is not null ? "after" : "before");
        var page = await store.FindAsync(filter, sort, request, c.CancellationToken);
        return new Connection<Entry>(page, sort.Tag, sort.CursorOf);
    }

    private static FilterNode? SearchFilter(string text, string path)
    {
        if (text.Length > 200) throw new InputException(new(Messages.TextTooLong, path, 200), path);
        var terms = EntryRules.SearchTerms(text);
        var parts = terms.Select(t => (FilterNode)new Condition(EntryQuerying.Search, FilterOperator.StartsWith, [t])).ToList();
        return parts.Count switch { 0 => null, 1 => parts[0], _ => new AllOf(parts) };
    }

    private static string DecodeId(object value, string typeName, string path) =>
        GlobalId.LocalIdOf((string)value, typeName) ?? throw new InputException(new(Messages.NotAnIdOfType, path, typeName), path);
}
