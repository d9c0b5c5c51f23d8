using DanVanKheo.Api.Entries;
using DanVanKheo.Api.Replications;
using DanVanKheo.Api.Reports;
using DanVanKheo.Api.Storage.Mongo;
using MongoDB.Bson;
using MongoDB.Bson.Serialization;
using MongoDB.Driver;

namespace DanVanKheo.Tests.Storage;

/// <summary>Server-free checks of what the MongoDB adapters send: filters, pipeline stages, index keys.</summary>
public sealed class MongoReplicationRenderingTests
{
    static MongoReplicationRenderingTests() => MongoMappings.Register();

    private static BsonDocument Render(FilterDefinition<Replication> filter) =>
        filter.Render(new RenderArgs<Replication>(BsonSerializer.LookupSerializer<Replication>(), BsonSerializer.SerializerRegistry));

    [Fact]
    public void Class_maps_register_idempotently_and_store_enums_and_dates_as_strings()
    {
        MongoMappings.Register();
        MongoMappings.Register();
        var r = new Replication
        {
            Id = "r1", SourceEntryId = "e1", Status = ReplicationStatus.Sustained, PlannedOn = new DateOnly(2024, 3, 1),
            SustainedOn = new DateOnly(2025, 1, 2), Path = ["e0", "e1"],
        };
        var doc = r.ToBsonDocument();
        Assert.Equal("r1", doc["_id"].AsString);
        Assert.Equal("Sustained", doc["Status"].AsString);
        Assert.Equal("2024-03-01", doc["PlannedOn"].AsString);
        Assert.Equal("2025-01-02", doc["SustainedOn"].AsString);
        Assert.True(!doc.Contains("StartedOn") || doc["StartedOn"].IsBsonNull);
        Assert.False(doc.Contains("Generation"));
        var back = BsonSerializer.Deserialize<Replication>(doc);
        Assert.Equal(r.PlannedOn, back.PlannedOn);
        Assert.Equal(r.SustainedOn, back.SustainedOn);
        Assert.Equal(r.Path, back.Path);
    }

    [Fact]
    public void Filters_render_to_indexed_queries()
    {
        Assert.Equal(BsonDocument.Parse("{ Path: 'e1' }"), Render(MongoReplicationStore.DescendantsFilter("e1")));
        Assert.Equal(BsonDocument.Parse("{ DerivedKey: { $in: ['a', 'b'] } }"), Render(MongoReplicationStore.DerivedFilter(["a", "b"])));
        Assert.Equal(BsonDocument.Parse("{ AdoptingUnitLineage: { $in: ['p'] } }"), Render(MongoReplicationStore.AdoptedUnderFilter(["p"])));
        Assert.Equal(BsonDocument.Parse("{ SourceEntryId: 'e1', AdoptingUnitLineage: 'u1', Status: 'Planned' }"),
            Render(MongoReplicationStore.FindFilter(new ReplicationFilter { SourceEntryId = "e1", AdoptingUnitSubtree = "u1", Status = ReplicationStatus.Planned })));
    }

    [Fact]
    public void Leaderboard_is_a_server_side_group_sort_and_limit()
    {
        var stages = MongoReplicationStore.LeaderboardPipeline(new LeaderboardFilter { Year = 2024, FieldId = "f", SourceUnitSubtree = "p" }, 5);
        Assert.Equal(
        [
            "{ \"$match\" : { \"Status\" : { \"$ne\" : \"Discontinued\" }, \"SourceUnitLineage\" : \"p\", \"Year\" : 2024, \"SourceFieldId\" : \"f\" } }",
            "{ \"$group\" : { \"_id\" : \"$SourceEntryId\", \"n\" : { \"$sum\" : 1 }, \"units\" : { \"$addToSet\" : \"$AdoptingUnitId\" } } }",
            "{ \"$sort\" : { \"n\" : -1, \"_id\" : 1 } }",
            "{ \"$limit\" : 5 }",
        ], stages.Select(s => s.ToJson()));
    }

    [Fact]
    public void Index_keys_cover_uniqueness_and_every_read()
    {
        var rendered = MongoIndexes.Of(MongoCollections.Replications).Indexes.Select(i => (i.Name, i.Keys.ToJson(), i.Unique)).ToList();
        Assert.Equal(
        [
            ("ux_active", "{ \"ActiveKey\" : 1 }", true),
            ("ux_derived", "{ \"DerivedKey\" : 1 }", true),
            ("ix_source", "{ \"SourceEntryId\" : 1 }", false),
            ("ix_path", "{ \"Path\" : 1 }", false),
            ("ix_adopting_lineage_id", "{ \"AdoptingUnitLineage\" : 1, \"_id\" : 1 }", false),
            ("ix_source_lineage_year", "{ \"SourceUnitLineage\" : 1, \"Year\" : 1, \"Status\" : 1, \"SourceEntryId\" : 1 }", false),
            ("ix_year_source", "{ \"Year\" : 1, \"Status\" : 1, \"SourceEntryId\" : 1 }", false),
        ], rendered);
    }

    [Fact]
    public void A_summary_delta_is_one_upsert_that_increments_counters_and_tallies()
    {
        var g = new EntryGroup
        {
            Year = 2024, UnitId = "u", UnitLineage = ["p", "u"], FieldId = "field-kinh-te", Kind = EntryKind.Exemplar, ExemplarType = ExemplarType.Individual,
            Level = EntryLevel.Province, Status = EntryStatus.Recognized, Novelty = EntryNovelty.Replicated, Count = 1,
            HouseholdsReached = 10, PeopleReached = 20, MoneyMobilizedVnd = 3_000_000_000, LandDonatedM2 = 1.5,
        };
        var delta = UnitSummary.EmptyFor(g);
        delta.Add(g, -1);
        var model = MongoReportSummary.Upsert(delta);
        Assert.True(model.IsUpsert);
        Assert.Equal(BsonDocument.Parse("{ _id: '2024|u|p,u|P' }"), ((BsonDocumentFilterDefinition<BsonDocument>)model.Filter).Document);
        var update = ((BsonDocumentUpdateDefinition<BsonDocument>)model.Update).Document;
        Assert.Equal(BsonDocument.Parse("{ Year: 2024, UnitId: 'u', UnitLineage: ['p', 'u'], Drafts: false }"), update["$setOnInsert"]);
        Assert.Equal(BsonDocument.Parse("""
            { Count: NumberLong(-1), HouseholdsReached: NumberLong(-10), PeopleReached: NumberLong(-20), MoneyMobilizedVnd: NumberLong(-3000000000),
              LandDonatedM2: -1.5, Workdays: NumberLong(0), 'ByField.field-kinh-te': NumberLong(-1), 'ByKind.IndividualExemplar': NumberLong(-1),
              'ByLevel.Province': NumberLong(-1), 'ByStatus.Recognized': NumberLong(-1), 'ByNovelty.Replicated': NumberLong(-1),
              'RecognizedByLevel.Province': NumberLong(-1) }
            """), update["$inc"]);
    }

    [Fact]
    public void Summary_rows_read_back_without_the_tallies_changes_emptied()
    {
        var row = BsonDocument.Parse("""
            { _id: '2024|u|p,u|D', Year: 2024, UnitId: 'u', UnitLineage: ['p', 'u'], Drafts: true, Count: NumberLong(2), HouseholdsReached: 10,
              PeopleReached: NumberLong(20), MoneyMobilizedVnd: NumberLong(3000000000), LandDonatedM2: 2.0, Workdays: NumberLong(0),
              ByField: { f: NumberLong(2), g: NumberLong(0) }, ByStatus: { Draft: NumberLong(2) }, ByLevel: { Commune: 2 } }
            """);
        var u = MongoReportSummary.ToSummary(row);
        Assert.Equal("2024|u|p,u|D: 2 10 20 3000000000 2 0 [f=2] [] [Commune=2] [Draft=2] [] []", u.ToString());
        Assert.True(u.Drafts);
    }
}
