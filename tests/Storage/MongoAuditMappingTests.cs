using DanVanKheo.Api.Audit;
using DanVanKheo.Api.Entries;
using DanVanKheo.Api.Storage.Mongo;
using MongoDB.Bson;
using MongoDB.Bson.Serialization;
using static DanVanKheo.Tests.Storage.TestData;

namespace DanVanKheo.Tests.Storage;

/// <summary>Server-free checks of the MongoDB audit log: event mapping, indexes, filters.</summary>
public sealed class MongoAuditMappingTests
{
    static MongoAuditMappingTests() => MongoMappings.Register();

    [Fact]
    public void An_event_round_trips_through_its_BSON_form_with_the_same_hash_input()
    {
        var entry = Draft(Unit("AG", "Tỉnh An Giang"), "Mô hình Xóm đạo bình yên", 3);
        var e = AuditStoreContract.Scope("createEntry").Event(new AuditTarget(AuditTargetTypes.Entry, entry.Id, entry.UnitId, null, entry));
        var doc = e.ToBsonDocument();
        Assert.Equal(e.Id, doc["_id"].AsString);
        Assert.Equal("Change", doc["Kind"].AsString);
        Assert.Equal("Entry:" + entry.Id, doc["Stream"].AsString);
        Assert.Equal(AuditChain.Canonical(e), AuditChain.Canonical(BsonSerializer.Deserialize<AuditEvent>(doc)));
    }

    [Fact]
    public void Audit_indexes_serialise_appends_per_stream_and_serve_each_filter_in_order()
    {
        var indexes = MongoIndexes.Of(MongoCollections.Audit).Indexes;
        var chain = Assert.Single(indexes, i => i.Name == "ux_stream_seq");
        Assert.True(chain.Unique);
        Assert.Equal(new BsonDocument { ["Stream"] = 1, ["Sequence"] = 1 }, chain.Keys);
        foreach (var field in new[] { "TargetIds", "ActorId", "UnitId", "Action" })
            Assert.Contains(indexes, i => i.Keys.Names.SequenceEqual([field, "OrderKey"]));
    }

    [Fact]
    public void Filters_render_to_indexed_fields()
    {
        var filters = MongoAuditStore.Filters(new AuditFilter(TargetId: "e1", ActorId: "u1", Kind: AuditKind.Security));
        var rendered = filters.Select(f => f.Render(new MongoDB.Driver.RenderArgs<AuditEvent>(BsonSerializer.LookupSerializer<AuditEvent>(), BsonSerializer.SerializerRegistry)).ToJson()).ToList();
        Assert.Equal(["{ \"TargetIds\" : \"e1\" }", "{ \"ActorId\" : \"u1\" }", "{ \"Kind\" : \"Security\" }"], rendered);
    }
}
