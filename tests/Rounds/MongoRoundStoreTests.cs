using DanVanKheo.Api.Councils;
using DanVanKheo.Api.Entries;
using DanVanKheo.Api.Rounds;
using DanVanKheo.Api.Storage.Mongo;
using DanVanKheo.Tests.Storage;
using MongoDB.Bson;
using MongoDB.Bson.Serialization;
using MongoDB.Driver;

namespace DanVanKheo.Tests.Rounds;

/// <summary>The store contract against a real server, in a throwaway database per test.</summary>
[RequiresMongo]
public sealed class MongoRoundStoreContractTests : RoundStoreContract
{
    private readonly string _database = "dvk_rounds_test_" + Guid.NewGuid().ToString("N")[..12];
    private bool _created;

    protected override Task<(ICouncilStore, IRoundStore)> CreateStoresAsync()
    {
        if (MongoTestServer.Uri is null)
            return Task.FromResult<(ICouncilStore, IRoundStore)>((null!, null!)); // every test is skipped
        _created = true;
        var db = MongoTestServer.Client.GetDatabase(_database);
        return Task.FromResult<(ICouncilStore, IRoundStore)>((new MongoCouncilStore(db), new MongoRoundStore(db)));
    }

    public override async Task DisposeAsync()
    {
        if (_created) await MongoTestServer.Client.DropDatabaseAsync(_database);
    }

    [MongoFact]
    public async Task Server_is_reachable() =>
        Assert.NotNull(await MongoTestServer.Client.GetDatabase("admin").RunCommandAsync<BsonDocument>(new BsonDocument("ping", 1)));
}

/// <summary>What the Mongo adapter sends, checked without a server.</summary>
public sealed class MongoRoundStoreRenderTests
{
    static MongoRoundStoreRenderTests() => MongoRoundMappings.Register();

    private static BsonDocument Render<T>(FilterDefinition<T> f) =>
        f.Render(new RenderArgs<T>(BsonSerializer.SerializerRegistry.GetSerializer<T>(), BsonSerializer.SerializerRegistry));

    private static BsonDocument Render<T>(IndexKeysDefinition<T> k) =>
        k.Render(new RenderArgs<T>(BsonSerializer.SerializerRegistry.GetSerializer<T>(), BsonSerializer.SerializerRegistry));

    [Fact]
    public void Ballots_have_a_unique_compound_index_on_nomination_and_member()
    {
        var index = MongoRoundStore.BallotIndexes().First();
        Assert.Equal("{ \"NominationId\" : 1, \"MemberId\" : 1 }", Render(index.Keys).ToString());
        Assert.True(index.Options.Unique);
        var history = MongoRoundStore.HistoryIndexes().Single();
        Assert.Equal("{ \"NominationId\" : 1, \"MemberId\" : 1, \"Revision\" : 1 }", Render(history.Keys).ToString());
        Assert.True(history.Options.Unique);
        var nomination = MongoRoundStore.NominationIndexes().First();
        Assert.Equal("{ \"UniqueKey\" : 1 }", Render(nomination.Keys).ToString());
        Assert.True(nomination.Options.Unique);
        Assert.True(MongoRoundStore.RecognitionIndexes().First().Options.Unique);
    }

    [Fact]
    public void The_ballot_upsert_targets_the_non_recused_ballot_of_one_member_and_increments_the_revision()
    {
        Assert.Equal("{ \"NominationId\" : \"n1\", \"MemberId\" : \"m1\", \"Choice\" : { \"$ne\" : \"Recused\" } }",
            Render(MongoRoundStore.OpenBallotFilter("n1", "m1")).ToString());
        var update = MongoRoundStore.BallotUpdate(new Ballot { Id = "b1", RoundId = "r1", Choice = BallotChoice.Approve, Scores = [7, 3] })
            .Render(new RenderArgs<Ballot>(BsonSerializer.SerializerRegistry.GetSerializer<Ballot>(), BsonSerializer.SerializerRegistry)).AsBsonDocument;
        Assert.Equal("b1", update["$setOnInsert"]["_id"].AsString);
        Assert.Equal("Approve", update["$set"]["Choice"].AsString);
        Assert.Equal(new BsonArray { 7, 3 }, update["$set"]["Scores"].AsBsonArray);
        Assert.Equal(1, update["$inc"]["Revision"].AsInt32);
    }

    [Fact]
    public void Round_filters_render_enums_by_name()
    {
        var f = MongoRoundStore.RoundFilterOf(new RoundFilter { UnitId = "P", Status = RoundStatus.Voting, Year = 2025, Level = EntryLevel.Province });
        Assert.Equal("{ \"CouncilUnitId\" : \"P\", \"Status\" : \"Voting\", \"Year\" : 2025, \"Level\" : \"Province\" }", Render(f).ToString());
        Assert.Equal("{ }", Render(MongoRoundStore.RoundFilterOf(new RoundFilter())).ToString());
    }

    [Fact]
    public void Documents_map_ids_enums_fractions_and_dates_like_the_embedded_store()
    {
        var round = new Round
        {
            Id = "r1", Status = RoundStatus.Voting, Level = EntryLevel.Province, DecisionDate = new DateOnly(2025, 12, 1),
            Rule = new ApprovalRule { Quorum = Fraction.Of(2, 3), Threshold = Fraction.Of(1, 2) },
        };
        var doc = round.ToBsonDocument();
        Assert.Equal("r1", doc["_id"].AsString);
        Assert.Equal("Voting", doc["Status"].AsString);
        Assert.Equal("2025-12-01", doc["DecisionDate"].AsString);
        Assert.Equal(2, doc["Rule"]["Quorum"]["Numerator"].AsInt32);
        Assert.False(doc.Contains("Digest"));
        var back = BsonSerializer.Deserialize<Round>(doc);
        Assert.Equal(new DateOnly(2025, 12, 1), back.DecisionDate);
        Assert.Equal("2/3", back.Rule.Quorum.ToString());
        Assert.Equal("Chair", new CouncilMember { Role = CouncilRole.Chair }.ToBsonDocument()["Role"].AsString);
    }
}
