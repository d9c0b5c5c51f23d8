using System.Buffers.Text;
using System.Text;
using DanVanKheo.Api.Common;
using GraphQL;
using GraphQL.Builders;
using GraphQL.Types;

namespace DanVanKheo.Api.GraphQL;

/// <summary>A page of <typeparamref name="T"/> with the sort key each cursor is made from.</summary>
public sealed record Connection<T>(Page<T> Page, string SortTag, Func<T, string> KeyOf)
{
    public string CursorOf(T item) => Cursors.Encode(SortTag, KeyOf(item));
}

public static class Cursors
{
    public static string Encode(string sortTag, string key) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes(sortTag + "|" + key));

    /// <summary>The sort key inside a cursor; refuses cursors made for another order.</summary>
    public static string? Decode(string? cursor, string sortTag, string argument)
    {
        if (cursor is null) return null;
        try
        {
            var text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor));
            if (text.StartsWith(sortTag + "|", StringComparison.Ordinal)) return text[(sortTag.Length + 1)..];
        }
        catch (FormatException)
        {
        }
        throw new InputException(new(Messages.CursorListOrder, argument), argument);
    }

    /// <summary>Reads first/after/last/before into a keyset page request.</summary>
    public static PageRequest PageRequest(IResolveFieldContext context, string sortTag)
    {
        var first = context.GetArgument<int?>("first");
        var last = context.GetArgument<int?>("last");
        if (first is not null && last is not null)
            throw new InputException(new(Messages.PassEitherFirstLastBoth), "first");
        var size = first ?? last ?? Common.PageRequest.DefaultPageSize;
        if (size is < 0 or > Common.PageRequest.MaxPageSize)
            throw new InputException(new(Messages.PageSizeBetween0, Common.PageRequest.MaxPageSize), first is null ? "last" : "first");
        var countTotal = context.SubFields?.Values.Any(f => f.Field.Name.Value == "totalCount") ?? true;
        return new PageRequest(size,
            Decode(context.GetArgument<string?>("after"), sortTag, "after"),
            Decode(context.GetArgument<string?>("before"), sortTag, "before"),
            Backward: last is not null,
            CountTotal: countTotal);
    }

    public static FieldBuilder<TSource, object> ConnectionArguments<TSource>(this FieldBuilder<TSource, object> field) =>
        field
            .Argument<IntGraphType>("first", "Returns the first n items (default 20, at most 200).")
            .Argument<StringGraphType>("after", "Returns the items after this cursor.")
            .Argument<IntGraphType>("last", "Returns the last n items.")
            .Argument<StringGraphType>("before", "Returns the items before this cursor.");
}

/// <summary>Bad input detected while resolving a query: becomes a GraphQL error with code BAD_USER_INPUT.</summary>
public sealed class InputException(Common.Message text, string? argument = null)
    : DomainException(ErrorCodes.InvalidInput, text, argument);

public sealed class PageInfoGraphType : ObjectGraphType<PageInfoData>
{
    public PageInfoGraphType()
    {
        Name = "PageInfo";
        Description = "Information about pagination in a connection.";
        Field(p => p.HasNextPage).Description("Whether more items follow this page.");
        Field(p => p.HasPreviousPage).Description("Whether items precede this page.");
        Field(p => p.StartCursor, nullable: true).Description("The cursor of the first item of this page.");
        Field(p => p.EndCursor, nullable: true).Description("The cursor of the last item of this page.");
    }
}

public sealed record PageInfoData(bool HasNextPage, bool HasPreviousPage, string? StartCursor, string? EndCursor);

public sealed record EdgeData<T>(string Cursor, T Node);

public class EdgeGraphType<TNodeGraph, T> : ObjectGraphType<EdgeData<T>> where TNodeGraph : IGraphType
{
    public EdgeGraphType()
    {
        Name = NodeName() + "Edge";
        Description = "An edge in a connection.";
        Field(e => e.Cursor).Description("A cursor for use in pagination.");
        Field<NonNullGraphType<TNodeGraph>>("node").Description("The item at the end of the edge.").Resolve(c => c.Source.Node);
    }

    internal static string NodeName()
    {
        var name = typeof(TNodeGraph).Name;
        return name.EndsWith("GraphType", StringComparison.Ordinal) ? name[..^"GraphType".Length] : name;
    }
}

public class ConnectionGraphType<TNodeGraph, T> : ObjectGraphType<Connection<T>> where TNodeGraph : IGraphType
{
    public ConnectionGraphType()
    {
        Name = EdgeGraphType<TNodeGraph, T>.NodeName() + "Connection";
        Description = "A connection to a list of items, paged by keyset cursors.";
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<EdgeGraphType<TNodeGraph, T>>>>>("edges")
            .Description("A list of edges.")
            .Resolve(c => c.Source.Page.Items.Select(i => new EdgeData<T>(c.Source.CursorOf(i), i)).ToList());
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<TNodeGraph>>>>("nodes")
            .Description("A flattened list of the nodes.")
            .Resolve(c => c.Source.Page.Items);
        Field<NonNullGraphType<PageInfoGraphType>>("pageInfo")
            .Description("Information to aid in pagination.")
            .Resolve(c =>
            {
                var items = c.Source.Page.Items;
                return new PageInfoData(c.Source.Page.HasNextPage, c.Source.Page.HasPreviousPage,
                    items.Count > 0 ? c.Source.CursorOf(items[0]) : null,
                    items.Count > 0 ? c.Source.CursorOf(items[^1]) : null);
            });
        Field<NonNullGraphType<IntGraphType>>("totalCount")
            .Description("How many items match the filter, on all pages.")
            .Resolve(c => (int)Math.Min(int.MaxValue, c.Source.Page.TotalCount));
    }
}
