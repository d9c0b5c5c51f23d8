using DanVanKheo.Api.Storage.Mongo;
using MongoDB.Bson;
using MongoDB.Driver;

namespace DanVanKheo.Tests.Storage;

/// <summary>What only a server can show: index creation and the deployment check.</summary>
public sealed class MongoServerTests
{
    [MongoFact]
    public async Task Every_index_unique_ones_included_exists_after_start_and_creating_them_again_is_harmless()
    {
        var name = MongoTestServer.NewDatabaseName("dvk_ix");
        using var db = new MongoContext(MongoTestServer.Client, name);
        try
        {
            await db.EnsureIndexesAsync();
            // A second instance starting against the same database finds them in place.
            using var again = new MongoContext(MongoTestServer.Client, name);
            await again.EnsureIndexesAsync();

            foreach (var set in MongoIndexes.All)
            {
                var listed = await (await db.Database.GetCollection<BsonDocument>(set.Collection).Indexes.ListAsync()).ToListAsync();
                foreach (var (index, keys, unique) in set.Indexes)
                {
                    var found = Assert.Single(listed, i => i["name"].AsString == index);
                    Assert.Equal(keys, found["key"].AsBsonDocument);
                    Assert.Equal(unique, found.GetValue("unique", false).ToBoolean());
                }
            }
        }
        finally
        {
            await MongoTestServer.DropAsync(name);
        }
    }

    [MongoFact]
    public async Task The_test_server_is_a_replica_set_and_passes_the_start_check()
    {
        using var db = new MongoContext(MongoTestServer.Client, MongoTestServer.NewDatabaseName("dvk_check"));
        await db.CheckDeploymentAsync();
    }
}
