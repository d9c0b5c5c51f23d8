using DanVanKheo.Api.Common;
using LiteDB;

namespace DanVanKheo.Api.Storage.LiteDb;

/// <summary>Keyset paging over a single indexed, unique sort key.</summary>
internal static class LiteDbQuery
{
    public static Page<T> Run<T>(ILiteCollection<T> col, List<BsonExpression> filters, string sortKeyPath,
        SortDirection direction, PageRequest page)
    {
        long total = !page.CountTotal ? -1 : filters.Count == 0 ? col.LongCount() : Where(col, filters).LongCount();
        var plan = KeysetPlan.For(direction, page);
        var paged = new List<BsonExpression>(filters);
        if (plan.GreaterThan is not null)
            paged.Add(BsonExpression.Create($"{sortKeyPath} > @0", new BsonValue(plan.GreaterThan)));
        if (plan.LessThan is not null)
            paged.Add(BsonExpression.Create($"{sortKeyPath} < @0", new BsonValue(plan.LessThan)));
        var query = Where(col, paged);
        var ordered = plan.ReadAscending
            ? query.OrderBy(BsonExpression.Create(sortKeyPath))
            : query.OrderByDescending(BsonExpression.Create(sortKeyPath));
        var rows = ordered.Limit(plan.Take).ToList();
        return plan.ToPage(rows, page, total);
    }

    /// <summary>
    /// <c>field = value</c> with the value as a parameter. LiteDB's <c>Query.EQ</c>/<c>Query.In</c>
    /// write the value into the expression's text, and LiteDB parses, compiles and keeps every
    /// distinct text in a process-wide cache that never shrinks: a read by a new id cost a
    /// compilation (milliseconds) and memory for good. Parameterised, the text is one per field.
    /// </summary>
    public static BsonExpression Eq(string field, BsonValue value) => BsonExpression.Create($"{field} = @0", value);

    /// <summary><c>field &gt; value</c>, parameterised (see <see cref="Eq"/>).</summary>
    public static BsonExpression Gt(string field, BsonValue value) => BsonExpression.Create($"{field} > @0", value);

    /// <summary><c>field IN values</c> with the values as a parameter (see <see cref="Eq"/>); still answered from the field's index.</summary>
    public static BsonExpression In(string field, IEnumerable<BsonValue> values) => BsonExpression.Create($"{field} IN @0", new BsonArray(values));

    /// <summary>
    /// One Where per filter: LiteDB's Query.And joins the sources as text and drops their
    /// parameters, so "@0" of a search term would be read as null.
    /// </summary>
    public static ILiteQueryable<T> Where<T>(ILiteCollection<T> col, IEnumerable<BsonExpression> filters)
    {
        var query = col.Query();
        foreach (var f in filters) query = query.Where(f);
        return query;
    }
}
