using DanVanKheo.Api.Common;
using MongoDB.Driver;
using SortDirection = DanVanKheo.Api.Common.SortDirection;

namespace DanVanKheo.Api.Storage.Mongo;

/// <summary>Keyset paging over a single indexed, unique string sort key.</summary>
internal static class MongoQuery
{
    public static SortDefinition<T> Sort<T>(KeysetPlan plan, string sortKey) =>
        plan.ReadAscending ? Builders<T>.Sort.Ascending(sortKey) : Builders<T>.Sort.Descending(sortKey);

    public static FilterDefinition<T> And<T>(IReadOnlyList<FilterDefinition<T>> filters) => filters.Count switch
    {
        0 => Builders<T>.Filter.Empty,
        1 => filters[0],
        _ => Builders<T>.Filter.And(filters),
    };

    public static async Task<Page<T>> RunAsync<T>(IMongoCollection<T> col, IReadOnlyList<FilterDefinition<T>> filters,
        string sortKey, SortDirection direction, PageRequest page, CancellationToken ct)
    {
        var plan = KeysetPlan.For(direction, page);
        // An unfiltered count comes from collection metadata instead of scanning every document.
        var total = !page.CountTotal ? -1 : filters.Count == 0
            ? await col.EstimatedDocumentCountAsync(cancellationToken: ct)
            : await col.CountDocumentsAsync(And(filters), cancellationToken: ct);
        var rows = await col.Find(Paged(filters, plan, sortKey)).Sort(Sort<T>(plan, sortKey)).Limit(plan.Take).ToListAsync(ct);
        return plan.ToPage(rows, page, total);
    }

    /// <summary>The filters plus the keyset bounds of one page.</summary>
    public static FilterDefinition<T> Paged<T>(IReadOnlyList<FilterDefinition<T>> filters, KeysetPlan plan, string sortKey)
    {
        var all = new List<FilterDefinition<T>>(filters);
        if (plan.GreaterThan is not null) all.Add(Builders<T>.Filter.Gt(sortKey, plan.GreaterThan));
        if (plan.LessThan is not null) all.Add(Builders<T>.Filter.Lt(sortKey, plan.LessThan));
        return And(all);
    }
}
