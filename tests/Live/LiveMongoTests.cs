using System.Text.Json.Nodes;
using DanVanKheo.Api.Storage.Mongo;
using DanVanKheo.Tests.Infrastructure;
using DanVanKheo.Tests.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace DanVanKheo.Tests.Live;

/// <summary>
/// Two API instances on one MongoDB database deliver the same events in the same order: on the
/// emulator (no change streams) through the tail by OrderKey, on real MongoDB (Testcontainers when
/// Docker answers, or MONGODB_URI) through change streams.
/// </summary>
public sealed class LiveMongoTests
{
    private sealed class MongoApiFactory(string database) : RegistryApiFactory
    {
        protected override void AddSettings(IDictionary<string, string?> settings)
        {
            settings["ConnectionStrings:Mongo"] = MongoTestServer.Uri;
            settings["Storage:MongoDatabase"] = database;
            settings["Subscriptions:MongoPollInterval"] = "00:00:00.100";
            settings["Subscriptions:MongoSettle"] = "00:00:00.500";
        }

        public MongoAuditFeed.FeedPath FeedPath => Services.GetRequiredService<MongoAuditFeed>().Path;
    }

    private const string Query = "subscription($w: EntryRegisteredFilterInput, $after: String) { entryRegistered(where: $w, after: $after) { cursor entry { id } } }";

    [MongoFact]
    public async Task Two_instances_on_one_database_deliver_the_same_events_with_the_same_cursors()
    {
        var path = await TwoInstancesAsync();
        Assert.Equal(MongoTestServer.IsEmulator ? MongoAuditFeed.FeedPath.Tailing : MongoAuditFeed.FeedPath.ChangeStream, path);
    }

    [MongoFact]
    [EmulatorGap("the emulator has no change streams; the tailing fallback is tested by the test above")]
    public async Task On_MongoDB_both_instances_follow_a_change_stream_and_a_cursor_of_one_resumes_on_the_other()
    {
        Assert.Equal(MongoAuditFeed.FeedPath.ChangeStream, await TwoInstancesAsync(resumeAcross: true));
    }

    private static async Task<MongoAuditFeed.FeedPath> TwoInstancesAsync(bool resumeAcross = false)
    {
        var database = $"dvk_live_{Guid.NewGuid():N}";
        try
        {
            await using var a = new MongoApiFactory(database);
            await using var b = new MongoApiFactory(database);
            var s = new RegistryScenario(a);
            var province = await s.CreateUnit("Tỉnh Cà Mau mongo", "PROVINCE");
            var commune = (await s.CreateUnit("Xã Tân Lộc", "COMMUNE", province["id"]!.GetValue<string>()))["id"]!.GetValue<string>();
            var editor = s.EditorOf(commune, "editor-mongo");
            var where = new { unitId = province["id"]!.GetValue<string>() };
            await using var wa = await WsClient.ConnectAsync(a);
            await using var wb = await WsClient.ConnectAsync(b);
            await wa.SubscribeAsync("e", Query, new { w = where });
            await wb.SubscribeAsync("e", Query, new { w = where });
            await Task.Delay(1000);
            Assert.Equal(a.FeedPath, b.FeedPath);

            var ids = new List<string>();
            for (var i = 0; i < 3; i++)
                ids.Add((await s.Submit(editor, await s.CreateEntry(editor, commune, $"Mô hình Mongo số {i + 1}")))["id"]!.GetValue<string>());
            var fromA = new List<JsonNode>();
            var fromB = new List<JsonNode>();
            for (var i = 0; i < 3; i++)
            {
                fromA.Add((await wa.NextOfAsync("e"))!.Message!["payload"]!["data"]!["entryRegistered"]!);
                fromB.Add((await wb.NextOfAsync("e"))!.Message!["payload"]!["data"]!["entryRegistered"]!);
            }
            Assert.Equal(ids, fromA.Select(e => e["entry"]!["id"]!.GetValue<string>()));
            Assert.Equal(fromA.Select(e => e.ToJsonString()), fromB.Select(e => e.ToJsonString()));

            if (resumeAcross)
            {
                // A cursor instance A gave resumes on instance B: the two later events, once each.
                await using var again = await WsClient.ConnectAsync(b);
                await again.SubscribeAsync("r", Query, new { w = where, after = fromA[0]["cursor"]!.GetValue<string>() });
                for (var i = 1; i < 3; i++)
                    Assert.Equal(ids[i], (await again.NextOfAsync("r")).Message!["payload"]!["data"]!["entryRegistered"]!["entry"]!["id"]!.GetValue<string>());
                Assert.True(await again.QuietAsync(TimeSpan.FromMilliseconds(500)), "an event was replayed twice");
            }
            return a.FeedPath;
        }
        finally
        {
            await MongoTestServer.DropAsync(database);
        }
    }
}
