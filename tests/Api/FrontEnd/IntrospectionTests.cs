using System.Text.Json.Nodes;
using DanVanKheo.Tests.Infrastructure;

namespace DanVanKheo.Tests.Api.FrontEnd;

/// <summary>What codegen, GraphiQL and Apollo do first: the full graphql-js introspection query, over a real socket.</summary>
public sealed class IntrospectionTests(KestrelApiFactory factory) : IClassFixture<KestrelApiFactory>
{
    [Fact]
    public async Task Graphql_js_introspection_with_every_flag_succeeds_and_rebuilds_the_committed_schema()
    {
        var schemaFile = Path.Combine(SchemaContractTests.RepoRoot(), "schema", "schema.graphql");
        var run = await NodeTools.RunScript("introspect.mjs", factory.BaseUrl + "/graphql", schemaFile);
        Assert.True(run.ExitCode == 0, run.ToString());
        var report = JsonNode.Parse(run.Stdout.Trim().Split('\n')[^1])!;
        Assert.True(report["errors"] is null, run.Stdout);
        Assert.Equal(200, report["status"]!.GetValue<int>());
        Assert.True(report["identical"]!.GetValue<bool>(), "Schema from the URL differs from schema/schema.graphql: " + run.Stdout);
        Assert.True(report["types"]!.GetValue<int>() > 20, run.Stdout);
        Assert.StartsWith("Dân vận khéo registry", report["description"]!.GetValue<string>());
        Assert.Contains(report["directives"]!.AsArray(), d => d!["name"]!.GetValue<string>() == "deprecated" && d["isRepeatable"]!.GetValue<bool>() == false);
    }
}
