using System.Collections;
using DanVanKheo.Api.Common;
using GraphQL.Types;

namespace DanVanKheo.Api.GraphQL;

// HotChocolate's filtering shape: per-type operation inputs (StringOperationFilterInput, …),
// a filter input per list with `and`/`or`, and `order` as a list of one-key sort inputs.

public sealed class StringOperationFilterInputGraphType : InputObjectGraphType
{
    public StringOperationFilterInputGraphType()
    {
        Name = "StringOperationFilterInput";
        Description = "Conditions on a text field; all given conditions must hold. Which of them a list serves is in docs/querying.md (others are refused with QUERY_NOT_SERVED).";
        Field<StringGraphType>("eq").Description("The value equals this text.");
        Field<StringGraphType>("neq").Description("The value differs from this text.");
        Field<ListGraphType<NonNullGraphType<StringGraphType>>>("in").Description("The value equals one of these texts.");
        Field<ListGraphType<NonNullGraphType<StringGraphType>>>("nin").Description("The value equals none of these texts.");
        Field<StringGraphType>("contains").Description("The value contains this text (titles: ignoring case and diacritics).");
        Field<StringGraphType>("startsWith").Description("The value starts with this text (titles: ignoring case and diacritics).");
    }
}

public sealed class IntOperationFilterInputGraphType : InputObjectGraphType
{
    public IntOperationFilterInputGraphType()
    {
        Name = "IntOperationFilterInput";
        Description = "Conditions on a whole-number field; all given conditions must hold.";
        Field<IntGraphType>("eq").Description("The value equals this number.");
        Field<IntGraphType>("neq").Description("The value differs from this number.");
        Field<ListGraphType<NonNullGraphType<IntGraphType>>>("in").Description("The value equals one of these numbers.");
        Field<ListGraphType<NonNullGraphType<IntGraphType>>>("nin").Description("The value equals none of these numbers.");
        Field<IntGraphType>("gt").Description("The value is greater than this number.");
        Field<IntGraphType>("gte").Description("The value is greater than or equal to this number.");
        Field<IntGraphType>("lt").Description("The value is less than this number.");
        Field<IntGraphType>("lte").Description("The value is less than or equal to this number.");
    }
}

public sealed class DateTimeOperationFilterInputGraphType : InputObjectGraphType
{
    public DateTimeOperationFilterInputGraphType()
    {
        Name = "DateTimeOperationFilterInput";
        Description = "Conditions on an instant (UTC); all given conditions must hold. Which of them a list serves is in docs/querying.md.";
        Field<DateTimeGraphType>("eq").Description("The instant equals this one.");
        Field<DateTimeGraphType>("neq").Description("The instant differs from this one.");
        Field<ListGraphType<NonNullGraphType<DateTimeGraphType>>>("in").Description("The instant equals one of these.");
        Field<ListGraphType<NonNullGraphType<DateTimeGraphType>>>("nin").Description("The instant equals none of these.");
        Field<DateTimeGraphType>("gt").Description("The instant is after this one.");
        Field<DateTimeGraphType>("gte").Description("The instant is this one or later.");
        Field<DateTimeGraphType>("lt").Description("The instant is before this one.");
        Field<DateTimeGraphType>("lte").Description("The instant is this one or earlier.");
    }
}

public sealed class IdOperationFilterInputGraphType : InputObjectGraphType
{
    public IdOperationFilterInputGraphType()
    {
        Name = "IdOperationFilterInput";
        Description = "Conditions on a global id; all given conditions must hold.";
        Field<IdGraphType>("eq").Description("The id is this global id.");
        Field<ListGraphType<NonNullGraphType<IdGraphType>>>("in").Description("The id is one of these global ids.");
    }
}

/// <summary>Conditions on an enum field, named after the enum as HotChocolate does (EntryStatusOperationFilterInput).</summary>
public sealed class EnumOperationFilterInputGraphType<TEnumGraph> : InputObjectGraphType where TEnumGraph : IGraphType
{
    public EnumOperationFilterInputGraphType()
    {
        Name = EdgeGraphType<TEnumGraph, object>.NodeName() + "OperationFilterInput";
        Description = "Conditions on a value of this enum; all given conditions must hold.";
        Field<TEnumGraph>("eq").Description("The value is this one.");
        Field<TEnumGraph>("neq").Description("The value is not this one.");
        Field<ListGraphType<NonNullGraphType<TEnumGraph>>>("in").Description("The value is one of these.");
        Field<ListGraphType<NonNullGraphType<TEnumGraph>>>("nin").Description("The value is none of these.");
    }
}

public sealed class SortEnumGraphType : EnumerationGraphType<SortDirection>
{
    public SortEnumGraphType()
    {
        Name = "SortEnumType";
        Description = "The direction of one sort key.";
        Values["ASC"]!.Description = "Ascending: smallest, earliest or alphabetically first value first.";
        Values["DESC"]!.Description = "Descending: largest, latest or alphabetically last value first.";
    }
}

/// <summary>
/// One filterable field of a list: its GraphQL operation input type and how an input value
/// becomes the value the stores compare (a local id, folded text, …). <see cref="Custom"/>
/// replaces the operation input for a field that takes a plain value (the entries' search).
/// </summary>
public sealed record FilterField(string Name, Type GraphType, string Description, Func<object, string, object>? Decode = null,
    Func<object, string, FilterNode?>? Custom = null);

/// <summary>A list's filter input: its name, description and fields; parses an argument into a <see cref="FilterNode"/>.</summary>
public sealed class FilterSpec(string typeName, string description, IReadOnlyList<FilterField> fields)
{
    public string TypeName { get; } = typeName;
    public string Description { get; } = description;
    public IReadOnlyList<FilterField> Fields { get; } = fields;

    private readonly Dictionary<string, FilterField> _byName = fields.ToDictionary(f => f.Name);

    /// <summary>The filter an argument value describes; null when it sets nothing.</summary>
    public FilterNode? Parse(object? value, string path = "where") => ParseObject(value, path, 0) is { } node && !IsEmpty(node) ? node : null;

    private static bool IsEmpty(FilterNode node) => node is AllOf { Parts.Count: 0 };

    private FilterNode ParseObject(object? value, string path, int depth)
    {
        if (depth > QueryCapabilities.MaxDepth)
            throw new InputException(new(Messages.WhereTooDeep, path, QueryCapabilities.MaxDepth), path);
        if (value is not IDictionary<string, object?> dict) return new AllOf([]);
        var parts = new List<FilterNode>();
        foreach (var (key, raw) in dict)
        {
            if (raw is null) continue;
            var at = $"{path}.{key}";
            if (key is "and" or "or")
            {
                var items = Items(raw).Select((item, i) => ParseObject(item, $"{at}[{i}]", depth + 1)).ToList();
                if (items.Count == 0) throw new InputException(new(Messages.FilterNeedsOneItem, at), at);
                parts.Add(key == "and" ? new AllOf(items) : new AnyOf(items));
                continue;
            }
            if (!_byName.TryGetValue(key, out var field)) continue; // validation already refused unknown fields
            if (field.Custom is not null)
            {
                if (field.Custom(raw, at) is { } custom) parts.Add(custom);
                continue;
            }
            if (raw is not IDictionary<string, object?> ops) continue;
            foreach (var (opName, opValue) in ops)
            {
                if (opValue is null) continue;
                var op = Operator(opName);
                var values = op is FilterOperator.In or FilterOperator.Nin
                    ? Items(opValue).Select(v => Decode(field, v!, $"{at}.{opName}")).ToList()
                    : [Decode(field, opValue, $"{at}.{opName}")];
                if (values.Count > QueryCapabilities.MaxValues)
                    throw new InputException(new(Messages.FilterTooManyValues, $"{at}.{opName}", QueryCapabilities.MaxValues), $"{at}.{opName}");
                parts.Add(new Condition(field.Name, op, values));
            }
        }
        return parts.Count == 1 ? parts[0] : new AllOf(parts);
    }

    private static object Decode(FilterField field, object value, string path)
    {
        if (value is string { Length: > 200 })
            throw new InputException(new(Messages.TextTooLong, path, 200), path);
        return field.Decode is null ? value : field.Decode(value, path);
    }

    private static List<object?> Items(object raw) => raw is IEnumerable list and not string ? list.Cast<object?>().ToList() : [raw];

    private static FilterOperator Operator(string name) => name switch
    {
        "eq" => FilterOperator.Eq,
        "neq" => FilterOperator.Neq,
        "in" => FilterOperator.In,
        "nin" => FilterOperator.Nin,
        "gt" => FilterOperator.Gt,
        "gte" => FilterOperator.Gte,
        "lt" => FilterOperator.Lt,
        "lte" => FilterOperator.Lte,
        "contains" => FilterOperator.Contains,
        "startsWith" => FilterOperator.StartsWith,
        _ => throw new InputException(new(Messages.UnknownFilterOperator, name), name),
    };

    /// <summary>Reads `order: [{ field: DIR }, …]`: each item sets exactly one field.</summary>
    public static IReadOnlyList<SortKey> ParseOrder(object? value)
    {
        if (value is null) return [];
        var keys = new List<SortKey>();
        var i = 0;
        foreach (var item in Items(value))
        {
            var set = (item as IDictionary<string, object?>)?.Where(kv => kv.Value is not null).ToList() ?? [];
            if (set.Count != 1) throw new InputException(new(Messages.OneFieldPerSortInput), $"order[{i}]");
            keys.Add(new SortKey(set[0].Key, (SortDirection)set[0].Value!));
            i++;
        }
        return keys;
    }
}

/// <summary>The GraphQL input of a <see cref="FilterSpec"/>, with `and`/`or` lists of itself.</summary>
public abstract class FilterInputGraphType<TSelf> : InputObjectGraphType where TSelf : FilterInputGraphType<TSelf>
{
    protected FilterInputGraphType(FilterSpec spec)
    {
        Name = spec.TypeName;
        Description = spec.Description;
        Field<ListGraphType<NonNullGraphType<TSelf>>>("and").Description("Every one of these filters holds.");
        Field<ListGraphType<NonNullGraphType<TSelf>>>("or").Description("At least one of these filters holds.");
        foreach (var field in spec.Fields)
            AddField(new FieldType { Name = field.Name, Type = field.GraphType, Description = field.Description });
    }
}

/// <summary>The GraphQL input of one sort key of a list: set exactly one field.</summary>
public abstract class SortInputGraphType : InputObjectGraphType
{
    protected SortInputGraphType(string name, string description, IReadOnlyList<(string Field, string Description)> fields)
    {
        Name = name;
        Description = description;
        foreach (var (field, text) in fields)
            AddField(new FieldType { Name = field, Type = typeof(SortEnumGraphType), Description = text });
    }
}
