using System.Text.Json.Nodes;

namespace DanVanKheo.Tests.Api.FrontEnd;

public sealed class IdeKestrelApiFactory : KestrelApiFactory
{
    protected override void AddSettings(IDictionary<string, string?> settings) => settings["GraphQL:Ide"] = "true";
}

/// <summary>The IDE in a real headless Chromium (Debian's package; .ci/run installs it).</summary>
public sealed class IdeBrowserTests(IdeKestrelApiFactory factory) : IClassFixture<IdeKestrelApiFactory>
{
    public const string Chromium = "/usr/bin/chromium";

    [Fact]
    public async Task Chromium_loads_GraphiQL_from_the_root_and_runs_typename()
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: install Debian's chromium (apt-get install chromium), as .ci/run does.");
        var run = await NodeTools.RunScript("ide.mjs", factory.BaseUrl, Chromium);
        Assert.True(run.ExitCode == 0, run.ToString());
        var report = JsonNode.Parse(run.Stdout.Trim().Split('\n')[^1])!;
        Assert.True(report["error"] is null, run.Stdout);
        Assert.Equal(factory.BaseUrl + "/graphql", report["url"]!.GetValue<string>());
        Assert.Equal(200, report["status"]!.GetValue<int>());
        Assert.Contains("GraphiQL", report["title"]!.GetValue<string>());
        Assert.Contains("entries", report["defaultQuery"]!.GetValue<string>());
        Assert.Contains("__typename", report["query"]!.GetValue<string>());
        Assert.Contains("\"Query\"", report["result"]!.GetValue<string>());
        Assert.Contains("Mutation", report["docs"]!.GetValue<string>());
        var operations = Directory.GetFiles(Path.Combine(SchemaContractTests.RepoRoot(), "schema", "operations"), "*.graphql").Length;
        Assert.Equal(operations, report["examples"]!.GetValue<int>());
        Assert.Empty(report["pageErrors"]!.AsArray());
        Assert.Empty(report["failedRequests"]!.AsArray());
    }
}
