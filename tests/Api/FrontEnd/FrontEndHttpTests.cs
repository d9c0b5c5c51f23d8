using System.Net;
using System.Text.Json.Nodes;
using DanVanKheo.Api.GraphQL;
using DanVanKheo.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace DanVanKheo.Tests.Api.FrontEnd;

public sealed class IdeApiFactory : RegistryApiFactory
{
    protected override void AddSettings(IDictionary<string, string?> settings) => settings["GraphQL:Ide"] = "true";
}

/// <summary>SDL over HTTP, the IDE page and its assets, the root redirect, introspection pricing.</summary>
public sealed class FrontEndHttpTests(IdeApiFactory factory) : IClassFixture<IdeApiFactory>
{
    private static string SchemaFile => Path.Combine(SchemaContractTests.RepoRoot(), "schema", "schema.graphql");

    private static HttpRequestMessage Get(string url, string accept)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.TryAddWithoutValidation("Accept", accept);
        return request;
    }

    [Theory]
    [InlineData("*/*")]
    [InlineData("text/html,application/xhtml+xml")]
    public async Task Sdl_is_byte_identical_to_the_committed_schema(string accept)
    {
        using var response = await factory.CreateClient().SendAsync(Get("/graphql?sdl", accept));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType?.CharSet);
        Assert.Equal(await File.ReadAllBytesAsync(SchemaFile), await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task A_browser_gets_GraphiQL_with_the_examples_and_the_token_note()
    {
        using var response = await factory.CreateClient().SendAsync(Get("/graphql",
            "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("<html lang=\"vi\">", html);
        var start = html.IndexOf("id=\"dvk-ide-config\">", StringComparison.Ordinal) + "id=\"dvk-ide-config\">".Length;
        var config = JsonNode.Parse(html[start..html.IndexOf("</script>", start, StringComparison.Ordinal)])!;
        Assert.Equal("/graphql", config["endpoint"]!.GetValue<string>());
        Assert.Contains("dotnet user-jwts create --project api --role Registry.Admin -o token", config["defaultHeaders"]!.GetValue<string>());
        var names = config["examples"]!.AsArray().Select(e => e!["name"]!.GetValue<string>()).ToHashSet();
        var files = Directory.GetFiles(Path.Combine(SchemaContractTests.RepoRoot(), "schema", "operations"), "*.graphql")
            .Select(Path.GetFileNameWithoutExtension).ToHashSet();
        Assert.True(files.SetEquals(names!), "The IDE's examples must be the operations of schema/operations/.");
    }

    [Fact]
    public async Task The_page_links_either_the_built_bundle_or_the_pinned_CDN_modules()
    {
        using var page = await factory.CreateClient().SendAsync(Get("/graphql", "text/html"));
        var html = await page.Content.ReadAsStringAsync();
        var bundle = Path.Combine(SchemaContractTests.RepoRoot(), "api", "wwwroot", "ide", "bundle.js");
        if (File.Exists(bundle))
        {
            Assert.Contains("src=\"/graphql/ide/bundle.js\"", html);
            using var js = await factory.CreateClient().SendAsync(Get("/graphql/ide/bundle.js", "*/*"));
            Assert.Equal(HttpStatusCode.OK, js.StatusCode);
            Assert.Equal("text/javascript", js.Content.Headers.ContentType?.MediaType);
        }
        var cdn = IdePage.Render("/graphql", factory.Services.GetRequiredService<TrustedDocuments>(), bundled: false);
        Assert.Contains("https://esm.sh/graphiql@5.4.0", cdn);
        Assert.Contains($"integrity=\"{IdePage.CdnStyleIntegrity}\"", cdn);
        Assert.Contains("/graphql/ide/app.js", cdn);
        using var app = await factory.CreateClient().SendAsync(Get("/graphql/ide/app.js", "*/*"));
        Assert.Equal(HttpStatusCode.OK, app.StatusCode);
        Assert.Contains("createGraphiQLFetcher", await app.Content.ReadAsStringAsync());
    }

    [Fact]
    public void Cdn_versions_are_those_pinned_in_the_ide_package()
    {
        var package = JsonNode.Parse(File.ReadAllText(Path.Combine(SchemaContractTests.RepoRoot(), "api", "ide", "package.json")))!;
        foreach (var (name, version) in IdePage.Versions)
            Assert.Equal(package["dependencies"]![name]!.GetValue<string>(), version);
    }

    [Theory]
    [InlineData("/graphql/ide/..%2Fappsettings.json")]
    [InlineData("/graphql/ide/appsettings.json")]
    [InlineData("/graphql/ide/missing.js")]
    [InlineData("/graphql/ide/%2E%2E%2F%2E%2E%2FProgram.cs")]
    public async Task Asset_requests_outside_the_bundle_get_404(string url)
    {
        using var response = await factory.CreateClient().SendAsync(Get(url, "*/*"));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Root_redirects_to_the_IDE()
    {
        var client = factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        using var response = await client.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/graphql", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Json_clients_still_get_GraphQL_over_GET()
    {
        using var response = await factory.CreateClient().SendAsync(Get("/graphql?query=%7B__typename%7D", "application/json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Query", JsonNode.Parse(await response.Content.ReadAsStringAsync())!["data"]!["__typename"]!.GetValue<string>());
    }

    [Fact]
    public async Task Introspection_is_cheap_once_but_a_flood_of_it_is_refused()
    {
        const string full = "__schema { types { name fields(includeDeprecated: true) { name args { name type { name ofType { name ofType { name } } } } type { name ofType { name ofType { name } } } } } }";
        var once = await factory.Client().Run($"{{ {full} }}");
        once.AssertNoErrors();
        var aliases = string.Join(" ", Enumerable.Range(0, 400).Select(i => $"a{i}: {full}"));
        var flood = await factory.Client().Run($"{{ {aliases} }}");
        Assert.Equal("QUERY_TOO_COMPLEX", flood.FirstErrorCode);
        Assert.Null(flood.Data);
    }

    [Fact]
    public async Task Introspection_depth_stays_bounded()
    {
        var deep = "{ __schema { types { fields { type { fields { type { fields { type { fields { type { fields { type { fields { name } } } } } } } } } } } } } }";
        var r = await factory.Client().Run(deep);
        Assert.Equal("QUERY_TOO_COMPLEX", r.FirstErrorCode);
    }
}

/// <summary>Without the option, outside Development, there is no IDE.</summary>
public sealed class IdeOffTests(RegistryApiFactory factory) : IClassFixture<RegistryApiFactory>
{
    [Fact]
    public async Task Ide_is_off_by_default_outside_Development()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/graphql");
        request.Headers.TryAddWithoutValidation("Accept", "text/html");
        using var response = await factory.CreateClient().SendAsync(request);
        Assert.NotEqual("text/html", response.Content.Headers.ContentType?.MediaType);
        using var asset = await factory.CreateClient().GetAsync("/graphql/ide/app.js");
        Assert.Equal(HttpStatusCode.NotFound, asset.StatusCode);
        var client = factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        using var root = await client.GetAsync("/");
        Assert.Equal("/graphql?query=%7B__typename%7D", root.Headers.Location?.OriginalString);
    }
}
