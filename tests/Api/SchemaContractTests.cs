using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using DanVanKheo.Api.GraphQL;
using DanVanKheo.Tests.Infrastructure;
using GraphQL;
using Microsoft.Extensions.DependencyInjection;

namespace DanVanKheo.Tests.Api;

/// <summary>
/// schema/schema.graphql is the reviewed contract: it must equal what the code prints.
/// Run with UPDATE_SCHEMA=1 to rewrite it after an intended change.
/// </summary>
public sealed class SchemaContractTests(RegistryApiFactory factory) : IClassFixture<RegistryApiFactory>
{
    public static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "DanVanKheo.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Run the tests from inside the repository.");
    }

    [Fact]
    public void Schema_file_matches_the_schema_printed_from_code()
    {
        var schema = factory.Services.GetRequiredService<RegistrySchema>();
        var printed = SchemaPrinting.Print(schema);
        var path = Path.Combine(RepoRoot(), "schema", "schema.graphql");
        if (Environment.GetEnvironmentVariable("UPDATE_SCHEMA") == "1") File.WriteAllText(path, printed);
        Assert.True(File.Exists(path), "schema/schema.graphql is missing: run the tests with UPDATE_SCHEMA=1.");
        var committed = File.ReadAllText(path).ReplaceLineEndings("\n");
        Assert.True(committed == printed,
            "schema/schema.graphql differs from the schema in code. Review the change, then run the tests with UPDATE_SCHEMA=1.");
    }

    [Fact]
    public void Every_public_field_and_type_has_a_description()
    {
        var printed = SchemaPrinting.Print(factory.Services.GetRequiredService<RegistrySchema>());
        var lines = printed.Split('\n');
        var missing = new List<string>();
        var inSchemaBlock = false;
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (line.StartsWith("schema {", StringComparison.Ordinal)) inSchemaBlock = true;
            if (inSchemaBlock)
            {
                if (line == "}") inSchemaBlock = false;
                continue;
            }
            var isField = Regex.IsMatch(line, @"^  [a-zA-Z_]+[(:]");
            var isType = Regex.IsMatch(line, @"^(type|input|enum|interface) ");
            if (!isField && !isType) continue;
            var prev = i > 0 ? lines[i - 1].Trim() : "";
            if (!prev.EndsWith("\"", StringComparison.Ordinal)) missing.Add(line.Trim());
        }
        Assert.True(missing.Count == 0, "Undescribed: " + string.Join("; ", missing.Take(20)));
    }

    [Fact]
    public async Task Every_operation_in_schema_operations_is_valid_and_runs()
    {
        var dir = Path.Combine(RepoRoot(), "schema", "operations");
        var files = Directory.GetFiles(dir, "*.graphql");
        Assert.NotEmpty(files);
        var s = new RegistryScenario(factory);
        var ctx = await OperationContext.CreateAsync(factory, s);
        foreach (var file in files)
        {
            var text = File.ReadAllText(file);
            var operations = GraphQLParser.Parser.Parse(text).Definitions.OfType<GraphQLParser.AST.GraphQLOperationDefinition>().ToList();
            Assert.True(operations.Count == 1, $"{Path.GetFileName(file)} must hold exactly one operation.");
            var name = operations[0].Name?.StringValue ?? "";
            Assert.True(name == Path.GetFileNameWithoutExtension(file), $"{Path.GetFileName(file)} must hold the operation named after it, not '{name}'.");
            var variables = ctx.VariablesFor(name);
            if (operations[0].Operation == GraphQLParser.AST.OperationType.Subscription)
            {
                // Plain HTTP refuses subscriptions before execution, and only for that reason when the document is valid.
                var refused = await ctx.ClientFor(name, text).Send(new { query = text, operationName = name, variables });
                Assert.True(refused.Errors?.All(e => e?["extensions"]?["code"]?.GetValue<string>() == "SUBSCRIPTION_NEEDS_STREAM") == true, $"{Path.GetFileName(file)}: {refused.Body}");
                await using var ws = await Live.WsClient.ConnectAsync(factory, ctx.TokenFor(name));
                await ws.SendAsync(new { id = "op", type = "subscribe", payload = new { query = text, operationName = name, variables } });
                Assert.True(await ws.QuietAsync(TimeSpan.FromMilliseconds(300)), $"{Path.GetFileName(file)} did not start over WebSocket");
                continue;
            }
            var r = await ctx.ClientFor(name, text).Send(new { query = text, operationName = name, variables });
            Assert.True(r.Errors is null || r.Errors.Count == 0, $"{Path.GetFileName(file)}: {r.Body}");
            if (r.Data is JsonObject data)
                foreach (var (_, value) in data)
                    if (value is JsonObject payload && payload["errors"] is JsonArray { Count: > 0 } errs)
                        Assert.Fail($"{Path.GetFileName(file)} returned user errors: {errs.ToJsonString()}");
        }
    }
}
