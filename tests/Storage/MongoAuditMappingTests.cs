using DanVanKheo.Api.Audit;
using DanVanKheo.Api.Entries;
using DanVanKheo.Api.Storage.Mongo;
using MongoDB.Bson;
using MongoDB.Bson.Serialization;
using static DanVanKheo.Tests.Storage.TestData;

namespace DanVanKheo.Tests.Storage;

/// <summary>Server-free checks of the MongoDB audit log: outbox documents, event mapping, indexes, filters.</summary>
public sealed class MongoAuditMappingTests
{
    static MongoAuditMappingTests() => MongoMappings.Register();

    [Fact]
    public void A_change_without_transactions_carries_its_event_in_the_same_document_and_reads_back_without_it()
    {
        var entry = Draft(Unit("AG", "Tỉnh An Giang"), "Mô hình Xóm đạo bình yên", 3);
        var scope = AuditStoreContract.Scope("createEntry");
        var e = scope.Event(new AuditTarget(AuditTargetTypes.Entry, entry.Id, entry.UnitId, null, entry));
        var doc = MongoAuditStore.WithOutbox(entry, MongoAuditStore.Outbox(e));

        Assert.Equal(entry.Id, doc["_id"].AsString);
        var pending = doc[MongoAuditStore.OutboxField].AsBsonArray.Single().AsBsonDocument;
        Assert.Equal(e.Id, pending["_id"].AsString);
        Assert.Equal("Change", pending["Kind"].AsString);
        Assert.Equal("Entry:" + entry.Id, pending["Stream"].AsString);
        var roundTrip = BsonSerializer.Deserialize<AuditEvent>(pending);
        Assert.Equal(AuditChain.Canonical(e), AuditChain.Canonical(roundTrip));

        var read = BsonSerializer.Deserialize<Entry>(doc);
        Assert.Equal(entry.Title, read.Title);
        Assert.False(MongoAuditStore.WithOutbox(entry, null).Contains(MongoAuditStore.OutboxField));
    }

    [Fact]
    public void Audit_indexes_serialise_appends_per_stream()
    {
        var models = MongoAuditStore.IndexModels();
        var chain = Assert.Single(models, m => m.Options.Name == "ux_stream_seq");
        Assert.True(chain.Options.Unique);
        var keys = chain.Keys.Render(new MongoDB.Driver.RenderArgs<AuditEvent>(BsonSerializer.LookupSerializer<AuditEvent>(), BsonSerializer.SerializerRegistry));
        Assert.Equal(new BsonDocument { ["Stream"] = 1, ["Sequence"] = 1 }, keys);
        Assert.Contains(models, m => m.Options.Name == "ix_targets");
    }

    [Fact]
    public void Filters_render_to_indexed_fields()
    {
        var filters = MongoAuditStore.Filters(new AuditFilter(TargetId: "e1", ActorId: "u1", Kind: AuditKind.Security));
        var rendered = filters.Select(f => f.Render(new MongoDB.Driver.RenderArgs<AuditEvent>(BsonSerializer.LookupSerializer<AuditEvent>(), BsonSerializer.SerializerRegistry)).ToJson()).ToList();
        Assert.Equal(["{ \"TargetIds\" : \"e1\" }", "{ \"ActorId\" : \"u1\" }", "{ \"Kind\" : \"Security\" }"], rendered);
    }
}
