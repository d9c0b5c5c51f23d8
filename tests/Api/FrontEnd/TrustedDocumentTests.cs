using System.Text;
using System.Text.Json.Nodes;
using DanVanKheo.Api.GraphQL;
using DanVanKheo.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace DanVanKheo.Tests.Api.FrontEnd;

public sealed class TrustedOnlyApiFactory : RegistryApiFactory
{
    protected override void AddSettings(IDictionary<string, string?> settings) => settings["GraphQL:TrustedDocumentsOnly"] = "true";
}

internal static class Trusted
{
    public static string OperationsDir => Path.Combine(SchemaContractTests.RepoRoot(), "schema", "operations");

    public static string Text(string name) => File.ReadAllText(Path.Combine(OperationsDir, name + ".graphql"));

    public static string Id(string name) => TrustedDocuments.Hash(Text(name));
}

/// <summary>Operations of schema/operations/ by their SHA-256, and the manifest front-end builds read.</summary>
public sealed class TrustedDocumentTests(RegistryApiFactory factory) : IClassFixture<RegistryApiFactory>
{
    [Fact]
    public async Task A_trusted_document_runs_by_documentId()
    {
        var r = await factory.Client().Send(new { documentId = "sha256:" + Trusted.Id("Fields") });
        r.AssertNoErrors();
        Assert.True(r.At("fields").AsArray().Count > 0);
    }

    [Fact]
    public async Task A_trusted_document_runs_by_Apollo_persistedQuery_hash_with_variables()
    {
        var scenario = new RegistryScenario(factory);
        var unit = await scenario.CreateUnit("Xã Tin Cậy");
        var r = await factory.Client().Send(new
        {
            variables = new { code = unit["code"]!.GetValue<string>() },
            extensions = new { persistedQuery = new { version = 1, sha256Hash = Trusted.Id("UnitByCode") } },
        });
        r.AssertNoErrors();
        Assert.Equal("Xã Tin Cậy", r.At("unit.name").GetValue<string>());
    }

    [Fact]
    public async Task A_trusted_document_runs_over_GET_by_documentId()
    {
        var r = await factory.Client().SendRaw(new HttpRequestMessage(HttpMethod.Get, "/graphql?documentId=sha256:" + Trusted.Id("Fields")));
        Assert.Equal(200, r.Status);
        r.AssertNoErrors();
    }

    [Fact]
    public async Task A_trusted_mutation_still_needs_a_token()
    {
        var r = await factory.Client().Send(new { documentId = "sha256:" + Trusted.Id("CreateUnit"), variables = new { input = new { code = "X", name = "Y", kind = "COMMUNE" } } },
            accept: "application/graphql-response+json");
        Assert.Equal(401, r.Status);
        Assert.Equal("UNAUTHENTICATED", r.FirstErrorCode);
    }

    [Fact]
    public async Task An_unknown_id_is_refused_with_PERSISTED_QUERY_NOT_FOUND()
    {
        var unknown = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes("{ __typename }x")));
        var r = await factory.Client().Send(new { documentId = "sha256:" + unknown });
        Assert.Equal(200, r.Status);
        Assert.Equal("PERSISTED_QUERY_NOT_FOUND", r.FirstErrorCode);
        Assert.Null(r.Data);
        var apollo = await factory.Client().Send(new { extensions = new { persistedQuery = new { version = 1, sha256Hash = unknown } } },
            accept: "application/graphql-response+json");
        Assert.Equal(400, apollo.Status);
        Assert.Equal("PERSISTED_QUERY_NOT_FOUND", apollo.FirstErrorCode);
    }

    [Theory]
    [InlineData("md5:0123")]
    [InlineData("sha256:xyz")]
    [InlineData("sha256:")]
    public async Task A_malformed_id_is_a_bad_request(string id)
    {
        var r = await factory.Client().Send(new { documentId = id });
        Assert.Equal("BAD_REQUEST", r.FirstErrorCode);
        Assert.Null(r.Data);
    }

    [Fact]
    public async Task Text_that_does_not_match_its_id_is_refused()
    {
        var r = await factory.Client().Send(new { query = "{ __typename }", documentId = "sha256:" + Trusted.Id("Fields") });
        Assert.Equal("BAD_REQUEST", r.FirstErrorCode);
        Assert.Null(r.Data);
    }

    [Fact]
    public async Task Development_style_servers_accept_arbitrary_documents_too()
    {
        var r = await factory.Client().Run("{ __typename }");
        Assert.Equal("Query", r.At("__typename").GetValue<string>());
    }

    [Fact]
    public async Task A_trusted_document_is_parsed_at_start_and_validated_once()
    {
        var documents = factory.Services.GetRequiredService<TrustedDocuments>();
        var fields = documents.Find(Trusted.Id("Fields"))!;
        Assert.NotNull(fields.Parsed);
        await factory.Client().Send(new { documentId = "sha256:" + fields.Id });
        Assert.True(fields.Validated);
        var again = await factory.Client().Send(new { documentId = "sha256:" + fields.Id });
        again.AssertNoErrors();
        // An invalid variable is still caught on a document that skips validation.
        var unitByCode = documents.Find(Trusted.Id("UnitByCode"))!;
        await factory.Client().Send(new { documentId = "sha256:" + unitByCode.Id, variables = new { code = "KHONG.CO" } });
        Assert.True(unitByCode.Validated);
        var bad = await factory.Client().Send(new { documentId = "sha256:" + unitByCode.Id, variables = new { code = new[] { 1, 2 } } });
        Assert.Equal("BAD_USER_INPUT", bad.FirstErrorCode);
    }

    [Fact]
    public void Every_operation_file_is_a_trusted_document_with_the_hash_of_its_text()
    {
        var documents = factory.Services.GetRequiredService<TrustedDocuments>();
        var files = Directory.GetFiles(Trusted.OperationsDir, "*.graphql");
        Assert.Equal(files.Length, documents.All.Count);
        foreach (var file in files)
        {
            var d = documents.Find(TrustedDocuments.Hash(File.ReadAllText(file)));
            Assert.True(d is not null, $"{Path.GetFileName(file)} is not embedded as a trusted document.");
            Assert.Equal(Path.GetFileNameWithoutExtension(file), d.Name);
        }
    }

    /// <summary>Rewritten with UPDATE_SCHEMA=1, like schema/schema.graphql.</summary>
    [Fact]
    public void Manifest_is_current()
    {
        var manifest = factory.Services.GetRequiredService<TrustedDocuments>().Manifest();
        var path = Path.Combine(Trusted.OperationsDir, "manifest.json");
        if (Environment.GetEnvironmentVariable("UPDATE_SCHEMA") == "1") File.WriteAllText(path, manifest);
        Assert.True(File.Exists(path), "schema/operations/manifest.json is missing: run the tests with UPDATE_SCHEMA=1.");
        Assert.True(File.ReadAllText(path).ReplaceLineEndings("\n") == manifest,
            "schema/operations/manifest.json is out of date: run the tests with UPDATE_SCHEMA=1.");
        var json = JsonNode.Parse(manifest)!;
        Assert.Equal("apollo-persisted-query-manifest", json["format"]!.GetValue<string>());
        foreach (var op in json["operations"]!.AsArray())
            Assert.Equal(TrustedDocuments.Hash(op!["body"]!.GetValue<string>()), op["id"]!.GetValue<string>());
    }
}

/// <summary>GraphQL:TrustedDocumentsOnly: the production allowlist.</summary>
public sealed class TrustedOnlyTests(TrustedOnlyApiFactory factory) : IClassFixture<TrustedOnlyApiFactory>
{
    [Fact]
    public async Task Arbitrary_documents_are_refused_with_TRUSTED_DOCUMENTS_ONLY()
    {
        var r = await factory.Client().Run("{ fields { id } }", accept: "application/graphql-response+json");
        Assert.Equal(400, r.Status);
        Assert.Equal("TRUSTED_DOCUMENTS_ONLY", r.FirstErrorCode);
        Assert.Null(r.Data);
        var introspection = await factory.Client().Run("{ __schema { types { name } } }");
        Assert.Equal("TRUSTED_DOCUMENTS_ONLY", introspection.FirstErrorCode);
    }

    [Fact]
    public async Task A_refused_mutation_changes_nothing()
    {
        var code = RegistryScenario.UniqueCode("TD");
        var r = await factory.Client(RegistryApiFactory.AdminToken()).Run(
            "mutation($i: CreateUnitInput!) { createUnit(input: $i) { unit { id } errors { code } } }",
            new { i = new { code, name = "Xã Không Được Tạo", kind = "COMMUNE" } });
        Assert.Equal("TRUSTED_DOCUMENTS_ONLY", r.FirstErrorCode);
        var check = await factory.Client().Send(new { documentId = "sha256:" + Trusted.Id("UnitByCode"), variables = new { code } });
        check.AssertNoErrors();
        Assert.Null(check.Data!["unit"]);
    }

    [Fact]
    public async Task Trusted_documents_run_by_id_and_by_their_exact_text()
    {
        var byId = await factory.Client().Send(new { documentId = "sha256:" + Trusted.Id("Fields") });
        byId.AssertNoErrors();
        var byText = await factory.Client().Send(new { query = Trusted.Text("Fields") });
        byText.AssertNoErrors();
        Assert.Equal(byId.At("fields").ToJsonString(), byText.At("fields").ToJsonString());
    }

    [Fact]
    public async Task Sdl_stays_available_for_codegen()
    {
        using var response = await factory.CreateClient().GetAsync("/graphql?sdl");
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
    }
}
