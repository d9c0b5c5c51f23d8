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
            ("ix_adopting_lineage", "{ \"AdoptingUnitLineage\" : 1 }", false),
            ("ix_source_lineage_year", "{ \"SourceUnitLineage\" : 1, \"Year\" : 1, \"Status\" : 1, \"SourceEntryId\" : 1 }", false),
            ("ix_year_source", "{ \"Year\" : 1, \"Status\" : 1, \"SourceEntryId\" : 1 }", false),
        ], rendered);
    }

    [Fact]
    public void Report_pipeline_matches_scope_and_visibility_then_groups_by_every_dimension()
    {
        var pub = MongoReportStore.Pipeline(new ReportScope(["p"], true, 2024, EntryVisibility.Public));
        Assert.Equal(BsonDocument.Parse("{ $match: { Year: 2024, UnitLineage: { $in: ['p'] }, Status: { $ne: 'Draft' } } }"), pub[0]);
        var editor = MongoReportStore.Pipeline(new ReportScope(["p", "q"], false, 2023, new EntryVisibility(false, "u")));
        Assert.Equal(BsonDocument.Parse("{ $match: { Year: 2023, UnitId: { $in: ['p', 'q'] }, $or: [ { Status: { $ne: 'Draft' } }, { UnitLineage: 'u' } ] } }"), editor[0]);
        var all = MongoReportStore.Pipeline(new ReportScope(["p"], true, 2024, EntryVisibility.Everything));
        Assert.Equal(BsonDocument.Parse("{ $match: { Year: 2024, UnitLineage: { $in: ['p'] } } }"), all[0]);
        var group = all[1]["$group"].AsBsonDocument;
        Assert.Equal(["Year", "UnitId", "UnitLineage", "FieldId", "Kind", "ExemplarType", "Level", "Status", "Novelty"], group["_id"].AsBsonDocument.Names);
        Assert.Equal(["_id", "Count", "HouseholdsReached", "PeopleReached", "MoneyMobilizedVnd", "LandDonatedM2", "Workdays"], group.Names);
        Assert.Equal(BsonDocument.Parse("{ $sum: '$Results.PeopleReached' }"), group["PeopleReached"]);
    }

    [Fact]
    public void Report_rows_read_back_into_entry_groups()
    {
        var row = BsonDocument.Parse("""
            { _id: { Year: 2024, UnitId: 'u', UnitLineage: ['p', 'u'], FieldId: 'f', Kind: 'Exemplar', ExemplarType: 'Individual',
                     Level: 'Province', Status: 'Recognized', Novelty: 'Replicated' },
              Count: 3, HouseholdsReached: 10, PeopleReached: NumberLong(20), MoneyMobilizedVnd: NumberLong(3000000000), LandDonatedM2: 1.5, Workdays: 0 }
            """);
        var g = MongoReportStore.ToGroup(row);
        Assert.Equal(new EntryGroup
        {
            Year = 2024, UnitId = "u", UnitLineage = g.UnitLineage, FieldId = "f", Kind = EntryKind.Exemplar, ExemplarType = ExemplarType.Individual,
            Level = EntryLevel.Province, Status = EntryStatus.Recognized, Novelty = EntryNovelty.Replicated, Count = 3,
            HouseholdsReached = 10, PeopleReached = 20, MoneyMobilizedVnd = 3_000_000_000, LandDonatedM2 = 1.5,
        }, g);
        Assert.Equal(["p", "u"], g.UnitLineage);
    }
}
