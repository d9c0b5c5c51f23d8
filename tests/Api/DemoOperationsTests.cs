using System.Text.Json.Nodes;
using DanVanKheo.Tests.Infrastructure;

namespace DanVanKheo.Tests.Api;

/// <summary>The API as `dotnet run` starts it: the demo dataset loaded into an empty store.</summary>
public sealed class DemoDataApiFactory : RegistryApiFactory
{
    protected override void AddSettings(IDictionary<string, string?> settings) => settings["Storage:SeedDemoData"] = "true";
}

/// <summary>
/// Every query in schema/operations runs against the demo dataset with ids found in it, as a
/// front-end developer trying the samples on `dotnet run` would: no errors, and the root field
/// finds something. (The mutations run in <see cref="SchemaContractTests"/> on data they create.)
/// </summary>
public sealed class DemoOperationsTests(DemoDataApiFactory factory) : IClassFixture<DemoDataApiFactory>
{
    /// <summary>Answers that may rightly be empty on the demo data: it is seeded, not changed through the API, so it has no audit history.</summary>
    private static readonly HashSet<string> MayBeEmpty = ["AuditEvents", "EntryHistory", "UnitHistory", "MyBallots"];

    [Fact]
    public async Task Every_sample_query_runs_against_the_demo_dataset_with_real_ids()
    {
        var s = new RegistryScenario(factory);
        var variables = await DiscoverAsync(s);
        var files = Directory.GetFiles(Path.Combine(SchemaContractTests.RepoRoot(), "schema", "operations"), "*.graphql");
        var ran = 0;
        foreach (var file in files)
        {
            var text = File.ReadAllText(file);
            var operation = GraphQLParser.Parser.Parse(text).Definitions.OfType<GraphQLParser.AST.GraphQLOperationDefinition>().Single();
            if (operation.Operation != GraphQLParser.AST.OperationType.Query) continue;
            var name = operation.Name!.StringValue;
            Assert.True(variables.TryGetValue(name, out var v), $"No demo-data variables for query {name}: add them in {nameof(DiscoverAsync)}.");
            var (client, vars) = v;
            var r = await client.Send(new { query = text, operationName = name, variables = vars });
            Assert.True(r.Status == 200 && (r.Errors is null || r.Errors.Count == 0), $"{name}: {r.Body}");
            var root = r.Data!.AsObject().Single().Value;
            Assert.True(root is not null, $"{name} found nothing in the demo data: {r.Body}");
            if (!MayBeEmpty.Contains(name)) Assert.True(HasContent(root), $"{name} answered an empty result on the demo data: {r.Body}");
            ran++;
        }
        Assert.True(ran >= 15, $"Only {ran} queries ran.");
    }

    /// <summary>A connection or list with at least one item; any other object counts as found.</summary>
    private static bool HasContent(JsonNode node) => node switch
    {
        JsonArray a => a.Count > 0,
        JsonObject o when o["nodes"] is JsonArray nodes => nodes.Count > 0,
        JsonObject o when o["history"] is JsonObject h => h["nodes"] is JsonArray { Count: > 0 },
        _ => true,
    };

    private static async Task<Dictionary<string, (GraphQLClient, object?)>> DiscoverAsync(RegistryScenario s)
    {
        var province = (await s.Anonymous.Run("""{ units(where: { kind: PROVINCE, validOn: "2025-07-01" }, first: 1) { nodes { id code } } }"""))
            .Found("units.nodes.0");
        var provinceId = province["id"]!.GetValue<string>();
        var before = (await s.Anonymous.Run("""{ units(where: { kind: PROVINCE, validOn: "2024-06-01" }, first: 1) { nodes { id } } }"""))
            .Found("units.nodes.0.id").GetValue<string>();
        var fieldId = (await s.Anonymous.Run("{ fields { id } }")).Found("fields.0.id").GetValue<string>();
        var registered = (await s.Anonymous.Run("""
            query($unit: ID!) { entries(where: { subtreeOf: { eq: $unit }, status: { eq: REGISTERED } }, first: 1) { nodes { id code title } } }
            """, new { unit = provinceId })).Found("entries.nodes.0");
        var top = (await s.Anonymous.Run("""
            query($unit: ID) { mostReplicated(unitId: $unit, first: 1) { entry { id code field { id } } } }
            """, new { unit = (string?)null })).Found("mostReplicated.0.entry");
        var published = (await s.Anonymous.Run("""
            { rounds(where: { status: PUBLISHED }, first: 1) { nodes { id level year council { unit { id } } results { outcome nomination { entry { code } } } } } }
            """)).Found("rounds.nodes.0");
        var recognized = published["results"]!.AsArray().First(x => x!["outcome"]!.GetValue<string>() == "APPROVED")!
            .AsObject()["nomination"]!["entry"]!["code"]!.GetValue<string>();
        // The round a council is working on (voting, or closed by the deadline service since the seed's date), else any with nominations.
        var rounds = (await s.Admin.Run("""
            { rounds(first: 50) { nodes { id status level year council { unit { id } } members { userId } nominations(first: 1) { totalCount } } } }
            """)).Found("rounds.nodes").AsArray().Select(n => n!).Where(n => n["nominations"]!["totalCount"]!.GetValue<int>() > 0).ToList();
        var open = rounds.FirstOrDefault(n => n["status"]!.GetValue<string>() is "VOTING" or "CLOSED") ?? rounds.First();
        var member = open["members"]!.AsArray().First()!["userId"]!.GetValue<string>();
        var councilUnit = published["council"]!["unit"]!["id"]!.GetValue<string>();

        return new()
        {
            ["AnnualReport"] = (s.Anonymous, new { unitId = provinceId, year = 2025, includeSubunits = true, asOf = "2025-07-01" }),
            ["AuditEvents"] = (s.Auditor, new { where = new { unitId = provinceId }, first = 10 }),
            ["Councils"] = (s.Anonymous, new { unitId = councilUnit }),
            ["EntryByCode"] = (s.Anonymous, new { code = registered["code"]!.GetValue<string>() }),
            ["EntryHistory"] = (s.Auditor, new { code = registered["code"]!.GetValue<string>() }),
            ["EntryLineage"] = (s.Anonymous, new { entryId = top["id"]!.GetValue<string>(), asOf = "2026-01-01" }),
            ["EntryRecognitions"] = (s.Anonymous, new { code = recognized }),
            ["Fields"] = (s.Anonymous, null),
            ["MostReplicated"] = (s.Anonymous, new { year = (int?)null, fieldId = top["field"]!["id"]!.GetValue<string>(), unitId = (string?)null }),
            ["MyBallots"] = (s.As(member), new { roundId = open["id"]!.GetValue<string>() }),
            ["NodeById"] = (s.Anonymous, new { id = registered["id"]!.GetValue<string>() }),
            ["Replications"] = (s.Anonymous, new { sourceEntryId = top["id"]!.GetValue<string>() }),
            ["RoundNominations"] = (s.Anonymous, new { id = open["id"]!.GetValue<string>() }),
            ["RoundResults"] = (s.Anonymous, new { id = published["id"]!.GetValue<string>() }),
            ["Rounds"] = (s.Anonymous, new
            {
                unitId = open["council"]!["unit"]!["id"]!.GetValue<string>(), level = open["level"]!.GetValue<string>(),
                year = open["year"]!.GetValue<int>(), status = open["status"]!.GetValue<string>(),
            }),
            ["SearchEntries"] = (s.Anonymous, new { search = registered["title"]!.GetValue<string>().Split(' ')[0], subtreeOf = provinceId }),
            ["UnitByCode"] = (s.Anonymous, new { code = province["code"]!.GetValue<string>() }),
            ["UnitChildren"] = (s.Anonymous, new { parentId = provinceId, validOn = "2025-07-01" }),
            ["UnitEntries"] = (s.Anonymous, new { code = province["code"]!.GetValue<string>() }),
            ["UnitHistory"] = (s.Auditor, new { id = before }),
            ["VerifyAuditChain"] = (s.Auditor, new { stream = (string?)null }),
        };
    }
}

internal static class DemoResponses
{
    /// <summary>The value at <paramref name="path"/>, failing with the whole answer when the demo data lacks it.</summary>
    public static JsonNode Found(this GraphQLResponse r, string path)
    {
        r.AssertNoErrors();
        try
        {
            return r.At(path);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentOutOfRangeException)
        {
            throw new Xunit.Sdk.XunitException($"The demo data has nothing at {path}: {r.Body}");
        }
    }
}
