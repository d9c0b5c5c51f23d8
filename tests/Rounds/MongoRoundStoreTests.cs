using DanVanKheo.Api.Councils;
using DanVanKheo.Api.Entries;
using DanVanKheo.Api.Rounds;
using DanVanKheo.Api.Storage.Mongo;
using DanVanKheo.Tests.Storage;
using MongoDB.Bson;
using MongoDB.Bson.Serialization;
using MongoDB.Driver;

namespace DanVanKheo.Tests.Rounds;

/// <summary>The store contract against a server, in a throwaway database per test.</summary>
[RequiresMongo]
public sealed class MongoRoundStoreContractTests : RoundStoreContract
{
    private readonly string _database = MongoTestServer.NewDatabaseName("dvk_rounds");
    private MongoContext? _db;

    protected override async Task<(ICouncilStore, IRoundStore)> CreateStoresAsync()
    {
        if (MongoTestServer.Uri is null) return (null!, null!); // every test is skipped
        _db = new MongoContext(MongoTestServer.Client, _database);
        await _db.EnsureIndexesAsync();
        return (new MongoCouncilStore(_db), new MongoRoundStore(_db));
    }

    public override async Task DisposeAsync()
    {
        if (_db is null) return;
        await MongoTestServer.DropAsync(_database);
        _db.Dispose();
    }

    [MongoFact]
    public async Task Server_is_reachable() =>
        Assert.NotNull(await MongoTestServer.Client.GetDatabase("admin").RunCommandAsync<BsonDocument>(new BsonDocument("ping", 1)));
}

/// <summary>What the Mongo adapter sends, checked without a server.</summary>
public sealed class MongoRoundStoreRenderTests
{
    static MongoRoundStoreRenderTests() => MongoMappings.Register();

    private static BsonDocument Render<T>(FilterDefinition<T> f) =>
        f.Render(new RenderArgs<T>(BsonSerializer.SerializerRegistry.GetSerializer<T>(), BsonSerializer.SerializerRegistry));

    [Fact]
    public void Ballots_have_a_unique_compound_index_on_nomination_and_member()
    {
        static (string Name, BsonDocument Keys, bool Unique) Index(string collection, string name) =>
            MongoIndexes.Of(collection).Indexes.Single(i => i.Name == name);
        var ballot = Index(MongoCollections.Ballots, "ux_nomination_member");
        Assert.Equal("{ \"NominationId\" : 1, \"MemberId\" : 1 }", ballot.Keys.ToString());
        Assert.True(ballot.Unique);
        var history = Index(MongoCollections.BallotHistory, "ux_nomination_member_revision");
        Assert.Equal("{ \"NominationId\" : 1, \"MemberId\" : 1, \"Revision\" : 1 }", history.Keys.ToString());
        Assert.True(history.Unique);
        var nomination = Index(MongoCollections.Nominations, "ux_round_entry");
        Assert.Equal("{ \"UniqueKey\" : 1 }", nomination.Keys.ToString());
        Assert.True(nomination.Unique);
        Assert.True(Index(MongoCollections.Recognitions, "ux_round_entry").Unique);
    }

    [Fact]
    public void A_ballot_is_written_only_through_a_voting_round_and_the_members_ballot()
    {
        Assert.Equal("{ \"_id\" : \"r1\", \"Status\" : \"Voting\" }", Render(MongoRoundStore.VotingFilter("r1")).ToString());
        Assert.Equal("{ \"NominationId\" : \"n1\", \"MemberId\" : \"m1\" }", Render(MongoRoundStore.MemberBallotFilter("n1", "m1")).ToString());
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
