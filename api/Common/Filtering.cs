namespace DanVanKheo.Api.Common;

/// <summary>The comparison a filter condition makes (HotChocolate's operation names).</summary>
public enum FilterOperator
{
    Eq,
    Neq,
    In,
    Nin,
    Gt,
    Gte,
    Lt,
    Lte,
    Contains,
    StartsWith,
}

/// <summary>
/// A store-independent filter: conditions combined with and/or. Values are already typed and
/// decoded (local ids, enum values, ints, UTC instants, folded text); each store translates the
/// tree into its own query, and <see cref="QueryCapabilities"/> decides before that whether the
/// stores' indexes serve it.
/// </summary>
public abstract record FilterNode;

public sealed record AllOf(IReadOnlyList<FilterNode> Parts) : FilterNode;

public sealed record AnyOf(IReadOnlyList<FilterNode> Parts) : FilterNode;

/// <summary>One comparison; <see cref="Values"/> has one value, or several for in/nin.</summary>
public sealed record Condition(string Field, FilterOperator Operator, IReadOnlyList<object> Values) : FilterNode
{
    public object Value => Values[0];
}

public static class Filters
{
    /// <summary>Folds a tree bottom-up: <paramref name="leaf"/> for conditions, <paramref name="all"/>/<paramref name="any"/> for groups.</summary>
    public static T Fold<T>(FilterNode node, Func<Condition, T> leaf, Func<IReadOnlyList<T>, T> all, Func<IReadOnlyList<T>, T> any) => node switch
    {
        Condition c => leaf(c),
        AllOf a => all(a.Parts.Select(p => Fold(p, leaf, all, any)).ToList()),
        AnyOf o => any(o.Parts.Select(p => Fold(p, leaf, all, any)).ToList()),
        _ => throw new ArgumentOutOfRangeException(nameof(node)),
    };

    public static IEnumerable<Condition> Conditions(FilterNode? node) => node switch
    {
        null => [],
        Condition c => [c],
        AllOf a => a.Parts.SelectMany(Conditions),
        AnyOf o => o.Parts.SelectMany(Conditions),
        _ => [],
    };

    /// <summary>
    /// The values a conjunction of eq conditions asks for, by field (lists whose stores take flat
    /// equality filters); a field asked for with two different values is returned as a conflict.
    /// </summary>
    public static (IReadOnlyDictionary<string, object> Values, bool Conflict) Equalities(FilterNode? node)
    {
        var values = new Dictionary<string, object>();
        foreach (var c in Conditions(node))
        {
            if (c.Operator != FilterOperator.Eq) throw new InvalidOperationException($"Only eq conditions are flat ({c.Field}).");
            if (values.TryGetValue(c.Field, out var seen) && !Equals(seen, c.Value)) return (values, true);
            values[c.Field] = c.Value;
        }
        return (values, false);
    }

    public static int Depth(FilterNode? node) => node switch
    {
        null or Condition => 0,
        AllOf a => 1 + a.Parts.Select(Depth).DefaultIfEmpty(0).Max(),
        AnyOf o => 1 + o.Parts.Select(Depth).DefaultIfEmpty(0).Max(),
        _ => 0,
    };

    /// <summary>
    /// Evaluates a condition against a value the caller read from the object. Strings compare
    /// ordinally (text fields hold folded text, so contains/startsWith ignore case and diacritics).
    /// </summary>
    public static bool Test(Condition c, object? actual) => c.Operator switch
    {
        FilterOperator.Eq => Equal(actual, c.Value),
        FilterOperator.Neq => !Equal(actual, c.Value),
        FilterOperator.In => c.Values.Any(v => Equal(actual, v)),
        FilterOperator.Nin => !c.Values.Any(v => Equal(actual, v)),
        FilterOperator.Gt => actual is not null && Compare(actual, c.Value) > 0,
        FilterOperator.Gte => actual is not null && Compare(actual, c.Value) >= 0,
        FilterOperator.Lt => actual is not null && Compare(actual, c.Value) < 0,
        FilterOperator.Lte => actual is not null && Compare(actual, c.Value) <= 0,
        FilterOperator.Contains => actual is string s && s.Contains((string)c.Value, StringComparison.Ordinal),
        FilterOperator.StartsWith => actual is string s && s.StartsWith((string)c.Value, StringComparison.Ordinal),
        _ => false,
    };

    private static bool Equal(object? a, object b) => a is string s ? string.Equals(s, b as string, StringComparison.Ordinal) : Equals(a, b);

    private static int Compare(object a, object b) => a is string s ? string.CompareOrdinal(s, (string)b) : ((IComparable)a).CompareTo(b);
}

/// <summary>One key of a multi-key order.</summary>
public sealed record SortKey(string Field, SortDirection Direction);

/// <summary>
/// What one connection serves: the operators of each filterable field and the orders its
/// indexes can walk. A request outside the table is refused with <see cref="ErrorCodes.QueryNotServed"/>
/// rather than answered by scanning; the table is the same on both stores, so an answer never
/// depends on which store runs.
/// </summary>
public sealed class QueryCapabilities
{
    public const int MaxDepth = 4;
    public const int MaxConditions = 20;
    public const int MaxValues = 100;

    public required string Connection { get; init; }
    public required IReadOnlyDictionary<string, IReadOnlySet<FilterOperator>> Fields { get; init; }
    /// <summary>Whether the store combines conditions with or (otherwise only a conjunction is served).</summary>
    public bool Or { get; init; } = true;
    /// <summary>Orders served, as lists of field names; any direction of each key is served.</summary>
    public required IReadOnlyList<IReadOnlyList<string>> Orders { get; init; }

    public void Check(FilterNode? where, IReadOnlyList<SortKey> order)
    {
        if (Filters.Depth(where) > MaxDepth)
            throw new DomainException(ErrorCodes.InvalidInput, new(Messages.WhereTooDeep, "where", MaxDepth), "where");
        if (!Or && HasOr(where))
            throw new DomainException(ErrorCodes.QueryNotServed, new(Messages.ListCannotCombineOr, Connection), "where.or");
        var conditions = Filters.Conditions(where).ToList();
        if (conditions.Count > MaxConditions)
            throw new DomainException(ErrorCodes.InvalidInput, new(Messages.WhereTooManyConditions, MaxConditions), "where");
        foreach (var c in conditions)
        {
            if (c.Values.Count > MaxValues)
                throw new DomainException(ErrorCodes.InvalidInput, new(Messages.FilterTooManyValues, $"where.{c.Field}", MaxValues), $"where.{c.Field}");
            if (!Fields.TryGetValue(c.Field, out var ops) || !ops.Contains(c.Operator))
                throw new DomainException(ErrorCodes.QueryNotServed,
                    new(Messages.ListCannotFilterWith, Connection, c.Field, OperatorName(c.Operator), Describe(c.Field)),
                    $"where.{c.Field}");
        }
        var fields = order.Select(k => k.Field).ToList();
        if (fields.Distinct().Count() != fields.Count)
            throw new DomainException(ErrorCodes.InvalidInput, new(Messages.OrderFieldOnce), "order");
        if (fields.Count > 0 && !Orders.Any(o => o.SequenceEqual(fields)))
            throw new DomainException(ErrorCodes.QueryNotServed,
                new(Messages.ListCannotBeOrderedBy, Connection, string.Join(", ", fields),
                    string.Join("; ", Orders.Select(o => "[" + string.Join(", ", o) + "]"))), "order");
    }

    private static bool HasOr(FilterNode? node) => node switch
    {
        AnyOf => true,
        AllOf a => a.Parts.Any(HasOr),
        _ => false,
    };

    private object Describe(string field) => Fields.TryGetValue(field, out var ops)
        ? string.Join(", ", ops.Select(OperatorName))
        : new Message(Messages.NoFilterOnField);

    public static string OperatorName(FilterOperator op) => op switch
    {
        FilterOperator.StartsWith => "startsWith",
        _ => op.ToString().ToLowerInvariant(),
    };

    public static IReadOnlySet<FilterOperator> Ops(params FilterOperator[] ops) => new HashSet<FilterOperator>(ops);

    public static readonly IReadOnlySet<FilterOperator> Equality = Ops(FilterOperator.Eq, FilterOperator.Neq, FilterOperator.In, FilterOperator.Nin);
    public static readonly IReadOnlySet<FilterOperator> Comparable = Ops(FilterOperator.Eq, FilterOperator.Neq, FilterOperator.In, FilterOperator.Nin,
        FilterOperator.Gt, FilterOperator.Gte, FilterOperator.Lt, FilterOperator.Lte);
    public static readonly IReadOnlySet<FilterOperator> IdMatch = Ops(FilterOperator.Eq, FilterOperator.In);
    public static readonly IReadOnlySet<FilterOperator> Range = Ops(FilterOperator.Gt, FilterOperator.Gte, FilterOperator.Lt, FilterOperator.Lte);
}
