using DanVanKheo.Api.Storage.Mongo;
using MongoDB.Bson;
using MongoDB.Driver;

namespace DanVanKheo.Tests.Storage;

/// <summary>What only a real server can show: index creation and the transaction probe.</summary>
public sealed class MongoServerTests
{
    [MongoFact]
    public async Task Indexes_are_created_once_with_the_LiteDB_names()
    {
        var name = $"dvk_test_{Guid.NewGuid():N}";
        using var db = new MongoContext(MongoTestServer.Client, name);
        try
        {
            await db.EnsureIndexesAsync();
            // A second context on the same database starts against existing indexes.
            using var again = new MongoContext(MongoTestServer.Client, name);
            await again.EnsureIndexesAsync();

            var indexes = await (await db.Entries.Indexes.ListAsync()).ToListAsync();
            var unique = indexes.Where(i => i.GetValue("unique", false).ToBoolean()).Select(i => i["name"].AsString).Order();
            Assert.Equal(["ux_code", "ux_start_key", "ux_title_key", "ux_updated_key"], unique);
            Assert.Equal(11, indexes.Count);
            Assert.Equal(4, (await (await db.Units.Indexes.ListAsync()).ToListAsync()).Count);
            _ = await db.SupportsTransactionsAsync();
        }
        finally
        {
            await MongoTestServer.Client.DropDatabaseAsync(name);
        }
    }
}
