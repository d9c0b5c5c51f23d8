using System.Text.Json.Nodes;
using DanVanKheo.Tests.Infrastructure;
using DanVanKheo.Tests.Storage;

namespace DanVanKheo.Tests.Live;

/// <summary>Two API instances on one MongoDB database deliver the same events in the same order (the tailing path).</summary>
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
    }

    private const string Query = "subscription($w: EntryRegisteredFilterInput) { entryRegistered(where: $w) { cursor entry { id } } }";

    [MongoFact]
    public async Task Two_instances_on_one_database_deliver_the_same_events_with_the_same_cursors()
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
        }
        finally
        {
            await MongoTestServer.DropAsync(database);
        }
    }
}
