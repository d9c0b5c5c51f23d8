using DanVanKheo.Api.Audit;
using MongoDB.Bson;
using MongoDB.Bson.Serialization;
using MongoDB.Driver;

namespace DanVanKheo.Api.Storage.Mongo;

/// <summary>
/// Single-document writes of the feature stores (councils, rounds, nominations, replications)
/// with the use case's audit event, through <see cref="MongoAuditStore.WriteAsync"/>:
/// in one transaction where the server has them, else with the event in the document's outbox.
/// Without an audit writer (stores built on a bare database in tests) they write plainly.
/// </summary>
internal static class MongoAuditedWrites
{
    public static IMongoCollection<BsonDocument> Raw<T>(IMongoCollection<T> col) =>
        col.Database.GetCollection<BsonDocument>(col.CollectionNamespace.CollectionName);

    public static Task<bool> WriteAsync(MongoAuditStore? audit, AuditScope? scope, string collection, string documentId, Func<AuditTarget[]> targets,
        Func<IClientSessionHandle?, BsonArray?, Task<bool>> write, CancellationToken ct) =>
        audit is null || scope is null
            ? write(null, null)
            : audit.WriteAsync(scope, s => s.Event(targets()), collection, documentId, write, ct);

    public static Task InsertAsync<T>(MongoAuditStore? audit, AuditScope? scope, IMongoCollection<T> col, string id, T document, Func<AuditTarget[]> targets, CancellationToken ct) =>
        WriteAsync(audit, scope, col.CollectionNamespace.CollectionName, id, targets, async (session, outbox) =>
        {
            await InsertOneAsync(col, document, session, outbox, ct);
            return true;
        }, ct);

    /// <summary>Replaces the document if its stored Version is <paramref name="expectedVersion"/>.</summary>
    public static Task<bool> ReplaceAsync<T>(MongoAuditStore? audit, AuditScope? scope, IMongoCollection<T> col, string id, int expectedVersion, T document,
        Func<AuditTarget[]> targets, CancellationToken ct) =>
        WriteAsync(audit, scope, col.CollectionNamespace.CollectionName, id, targets,
            (session, outbox) => ReplaceOneAsync(col, id, expectedVersion, document, session, outbox, ct), ct);

    public static async Task InsertOneAsync<T>(IMongoCollection<T> col, T document, IClientSessionHandle? session, BsonArray? outbox, CancellationToken ct)
    {
        if (outbox is not null) await Raw(col).InsertOneAsync(MongoAuditStore.WithOutbox(document, outbox), cancellationToken: ct);
        else if (session is null) await col.InsertOneAsync(document, cancellationToken: ct);
        else await col.InsertOneAsync(session, document, cancellationToken: ct);
    }

    public static async Task<bool> ReplaceOneAsync<T>(IMongoCollection<T> col, string id, int expectedVersion, T document,
        IClientSessionHandle? session, BsonArray? outbox, CancellationToken ct)
    {
        var filter = Builders<BsonDocument>.Filter.Eq("_id", id) & Builders<BsonDocument>.Filter.Eq("Version", expectedVersion);
        var raw = Raw(col);
        var doc = MongoAuditStore.WithOutbox(document, outbox);
        var result = session is null
            ? await raw.ReplaceOneAsync(filter, doc, cancellationToken: ct)
            : await raw.ReplaceOneAsync(session, filter, doc, cancellationToken: ct);
        return result.MatchedCount == 1;
    }

    /// <summary>A detached copy, for an event's "before".</summary>
    public static T Clone<T>(T document) => BsonSerializer.Deserialize<T>(document.ToBsonDocument());
}
