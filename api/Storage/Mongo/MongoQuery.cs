using DanVanKheo.Api.Common;
using MongoDB.Bson;
using MongoDB.Bson.Serialization;
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

    /// <summary>Keyset paging by _id (string ids compare byte-wise, like LiteDB's ordinal collation).</summary>
    public static Task<Page<T>> PageByIdAsync<T>(IMongoCollection<T> col, FilterDefinition<T> filter,
        SortDirection direction, PageRequest page, CancellationToken ct) =>
        RunAsync(col, [filter], "_id", direction, page, ct);

    /// <summary>The filters plus the keyset bounds of one page.</summary>
    public static FilterDefinition<T> Paged<T>(IReadOnlyList<FilterDefinition<T>> filters, KeysetPlan plan, string sortKey)
    {
        var all = new List<FilterDefinition<T>>(filters);
        if (plan.GreaterThan is not null) all.Add(Builders<T>.Filter.Gt(sortKey, plan.GreaterThan));
        if (plan.LessThan is not null) all.Add(Builders<T>.Filter.Lt(sortKey, plan.LessThan));
        return And(all);
    }

    /// <summary>A detached copy, for an event's "before".</summary>
    public static T Clone<T>(T document) => BsonSerializer.Deserialize<T>(document.ToBsonDocument());

    /// <summary>One element of documents read through a projection (read whole where a server ignores projections).</summary>
    public static async Task<List<string>> ValuesAsync<T>(IMongoCollection<T> col, FilterDefinition<T> filter, string field, CancellationToken ct)
    {
        var docs = await col.Find(filter).Project(Builders<T>.Projection.Include(field)).ToListAsync(ct);
        return [.. docs.Select(d => d[field].AsString)];
    }
}
