using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using DanVanKheo.Api.Seeding;
using DanVanKheo.Api.Storage.Mongo;
using DanVanKheo.Seed;
using DanVanKheo.Seed.Generation;
using LiteDatabase = LiteDB.LiteDatabase;
using LiteConnection = LiteDB.ConnectionString;
using LiteConnectionType = LiteDB.ConnectionType;
using Microsoft.Extensions.DependencyInjection;
using MongoDB.Bson;
using MongoDB.Driver;

namespace DanVanKheo.Tests.Storage;

/// <summary>What the API refuses to start on, and settings that differ per environment.</summary>
[Collection("Seed CLI")]
public sealed class MongoDeploymentTests
{
    [Fact]
    public void Only_a_replica_set_a_mongos_or_a_load_balancer_counts_as_replicated()
    {
        Assert.False(MongoContext.IsReplicated(BsonDocument.Parse("{ isWritablePrimary: true, maxWireVersion: 25, ok: 1 }")));
        Assert.True(MongoContext.IsReplicated(BsonDocument.Parse("{ isWritablePrimary: true, setName: 'rs0', ok: 1 }")));
        Assert.True(MongoContext.IsReplicated(BsonDocument.Parse("{ isWritablePrimary: true, msg: 'isdbgrid', ok: 1 }")));
        Assert.True(MongoContext.IsReplicated(BsonDocument.Parse("{ isWritablePrimary: true, serviceId: ObjectId('65a1b2c3d4e5f60718293a4b'), ok: 1 }")));
    }

    [Fact]
    public async Task An_unreachable_server_is_refused_within_the_timeout_naming_the_setting()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop(); // nothing listens there now
        using var client = MongoContext.CreateClient($"mongodb://127.0.0.1:{port}/?serverSelectionTimeoutMS=1500");
        using var db = new MongoContext(client, "dvk_unreachable");
        var clock = Stopwatch.StartNew();
        var e = await Assert.ThrowsAsync<MongoDeploymentException>(() => db.CheckDeploymentAsync());
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
        Assert.Contains("MONGODB_URI", e.Message);
        Assert.Contains($"127.0.0.1:{port}", e.Message);
    }

    [Fact]
    public void Without_a_timeout_in_the_URI_the_start_check_waits_ten_seconds_not_thirty()
    {
        using var client = MongoContext.CreateClient("mongodb://127.0.0.1:1/?replicaSet=rs0");
        Assert.Equal(TimeSpan.FromSeconds(10), client.Settings.ServerSelectionTimeout);
        using var explicitTimeout = MongoContext.CreateClient("mongodb://127.0.0.1:1/?serverSelectionTimeoutMS=2500");
        Assert.Equal(TimeSpan.FromMilliseconds(2500), explicitTimeout.Settings.ServerSelectionTimeout);
    }

    [Fact]
    public void Demo_data_is_loaded_only_in_Development()
    {
        static bool? Seeds(string file) =>
            JsonNode.Parse(File.ReadAllText(Path.Combine(ApiFolder(), file)))?["Storage"]?["SeedDemoData"]?.GetValue<bool>();
        Assert.False(Seeds("appsettings.json"));
        Assert.True(Seeds("appsettings.Development.json"));
    }

    private static string ApiFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "api", "appsettings.json"))) return Path.Combine(dir.FullName, "api");
        throw new DirectoryNotFoundException("api/appsettings.json not found above " + AppContext.BaseDirectory);
    }

    /// <summary>
    /// Through the seed CLI on both stores: the same data, and on MongoDB the CLI prepared the
    /// database as the API's start does (every index, the report summary) before loading.
    /// </summary>
    [MongoFact]
    public async Task The_same_seed_gives_the_same_rounds_ballots_and_replications_on_both_stores()
    {
        string[] options = ["--seed", "11", "--entries", "300", "--batch", "100"];
        using var lite = new DanVanKheo.Tests.Seed.TempLiteDb();
        Assert.Equal(SeedCli.Ok, await SeedCli.RunAsync(["--store", "litedb:" + lite.Path, .. options]));

        var name = MongoTestServer.NewDatabaseName("dvk_seed");
        try
        {
            Assert.Equal(SeedCli.Ok, await SeedCli.RunAsync(["--store", MongoTestServer.Uri!, "--database", name, .. options]));
            using var file = new LiteDatabase(new LiteConnection { Filename = lite.Path, Connection = LiteConnectionType.Direct });
            var mongo = MongoTestServer.Client.GetDatabase(name);
            foreach (var collection in new[] { "units", "entries", "councils", "rounds", "nominations", "ballots", "ballot_history", "recognitions", "replications" })
            {
                var liteIds = file.GetCollection(collection).FindAll().Select(d => d["_id"].AsString).Order(StringComparer.Ordinal).ToList();
                var mongoIds = (await mongo.GetCollection<BsonDocument>(collection).Find(FilterDefinition<BsonDocument>.Empty).ToListAsync())
                    .Select(d => d["_id"].AsString).Order(StringComparer.Ordinal).ToList();
                Assert.True(liteIds.Count > 0, $"the seed wrote no {collection}");
                Assert.True(liteIds.SequenceEqual(mongoIds), $"{collection}: {liteIds.Count} on LiteDB, {mongoIds.Count} on MongoDB, or different ids");
            }

            // The CLI created every index (it did not rely on the API having started once) ...
            foreach (var set in MongoIndexes.All)
            {
                var listed = (await (await mongo.GetCollection<BsonDocument>(set.Collection).Indexes.ListAsync()).ToListAsync())
                    .Select(i => i["name"].AsString).ToHashSet();
                foreach (var index in set.Indexes)
                    Assert.True(listed.Contains(index.Name), $"{set.Collection}.{index.Name} missing after the seed");
            }
            // ... and the seeded entries are in the report summary: each province's report equals the reference.
            using var db = new MongoContext(MongoTestServer.Client, name);
            var entries = await db.Entries.Find(FilterDefinition<DanVanKheo.Api.Entries.Entry>.Empty).ToListAsync();
            foreach (var (province, year) in entries.Select(e => (e.UnitLineage[0], e.Year)).Distinct())
            {
                var scope = new DanVanKheo.Api.Reports.ReportScope([province], true, year, DanVanKheo.Api.Entries.EntryVisibility.Everything);
                Assert.Equal(ReplicationStoreContract.Describe(DanVanKheo.Api.Reports.ReportRules.SummarizeInMemory(entries, scope)),
                    ReplicationStoreContract.Describe(await new MongoReportStore(db).SummarizeAsync(scope)));
            }
        }
        finally
        {
            await MongoTestServer.DropAsync(name);
        }
    }
}
