using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using DanVanKheo.Tests.Infrastructure;

namespace DanVanKheo.Tests.Api;

/// <summary>GraphQL over HTTP: media types, methods and status codes per the graphql-over-http draft.</summary>
public sealed class TransportTests(RegistryApiFactory factory) : IClassFixture<RegistryApiFactory>
{
    private readonly GraphQLClient _client = factory.Client();

    private static HttpRequestMessage Post(string body, string contentType = "application/json") =>
        new(HttpMethod.Post, "/graphql") { Content = new StringContent(body, Encoding.UTF8) { Headers = { ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType) } } };

    [Theory]
    [InlineData("application/json", "application/json")]
    [InlineData("application/graphql-response+json", "application/graphql-response+json")]
    [InlineData("application/graphql-response+json, application/json;q=0.9", "application/graphql-response+json")]
    [InlineData("application/json, application/graphql-response+json;q=0.5", "application/json")]
    [InlineData("*/*", "application/json")]
    [InlineData(null, "application/graphql-response+json")]
    public async Task Response_media_type_follows_the_Accept_header(string? accept, string expected)
    {
        var r = await _client.Run("{ __typename }", accept: accept);
        Assert.Equal(200, r.Status);
        Assert.Equal(expected, r.ContentType);
        Assert.Equal("Query", r.At("__typename").GetValue<string>());
    }

    [Fact]
    public async Task Unacceptable_Accept_header_gets_406()
    {
        var r = await _client.Run("{ __typename }", accept: "text/html");
        Assert.Equal(406, r.Status);
    }

    [Theory]
    [InlineData("PUT")]
    [InlineData("DELETE")]
    [InlineData("PATCH")]
    public async Task Other_methods_get_405_with_Allow(string method)
    {
        using var response = await _client.Http.SendAsync(new HttpRequestMessage(new HttpMethod(method), "/graphql"));
        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal("GET, POST", string.Join(", ", response.Content.Headers.Allow));
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("application/json; charset=latin1")]
    public async Task Post_with_another_content_type_gets_415(string contentType)
    {
        var r = await _client.SendRaw(Post("{\"query\":\"{ __typename }\"}", contentType));
        Assert.Equal(415, r.Status);
        Assert.Equal("BAD_REQUEST", r.FirstErrorCode);
    }

    [Theory]
    [InlineData("NONSENSE")]
    [InlineData("{\"query\":")]
    [InlineData("")]
    [InlineData("[{\"query\":\"{ __typename }\"}]")]
    [InlineData("{\"qeury\":\"{ __typename }\"}")]
    [InlineData("{\"query\":42}")]
    [InlineData("{\"query\":\"{ __typename }\",\"variables\":[7]}")]
    [InlineData("{\"query\":\"{ __typename }\",\"operationName\":{}}")]
    public async Task Malformed_requests_get_400_for_both_media_types(string body)
    {
        foreach (var accept in new[] { "application/json", "application/graphql-response+json" })
        {
            var r = await _client.SendRaw(Post(body), accept);
            Assert.Equal(400, r.Status);
            Assert.Equal("BAD_REQUEST", r.FirstErrorCode);
            Assert.Null(r.Data);
        }
    }

    [Fact]
    public async Task Document_parse_failure_is_200_for_json_and_400_for_graphql_response_json()
    {
        var json = await _client.Run("{", accept: "application/json");
        Assert.Equal(200, json.Status);
        Assert.Equal("GRAPHQL_PARSE_FAILED", json.FirstErrorCode);
        var gql = await _client.Run("{", accept: "application/graphql-response+json");
        Assert.Equal(400, gql.Status);
        Assert.Equal("GRAPHQL_PARSE_FAILED", gql.FirstErrorCode);
        Assert.False(gql.Json!.AsObject().ContainsKey("data"));
    }

    [Fact]
    public async Task Validation_failure_is_200_for_json_and_400_for_graphql_response_json()
    {
        var json = await _client.Run("{ noSuchField }", accept: "application/json");
        Assert.Equal(200, json.Status);
        Assert.Equal("GRAPHQL_VALIDATION_FAILED", json.FirstErrorCode);
        var gql = await _client.Run("{ noSuchField }", accept: "application/graphql-response+json");
        Assert.Equal(400, gql.Status);
    }

    [Fact]
    public async Task Invalid_enum_in_variables_is_a_bad_user_input_error()
    {
        var r = await _client.Run("query($k: EntryKind) { entries(where: { kind: { eq: $k } }) { totalCount } }", new { k = "MOHINH" },
            accept: "application/graphql-response+json");
        Assert.Equal(400, r.Status);
        Assert.Equal("BAD_USER_INPUT", r.FirstErrorCode);
    }

    [Fact]
    public async Task Get_runs_queries_and_refuses_mutations_with_405()
    {
        using var ok = await _client.Http.GetAsync("/graphql?query=" + Uri.EscapeDataString("query Q { __typename }") + "&operationName=Q");
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Contains("\"__typename\":\"Query\"", await ok.Content.ReadAsStringAsync());

        using var mutation = await _client.Http.GetAsync("/graphql?query=" + Uri.EscapeDataString("mutation { submitEntry(input: {id: \"x\", version: 1}) { errors { code } } }"));
        Assert.Equal(HttpStatusCode.MethodNotAllowed, mutation.StatusCode);
        Assert.Contains("POST", mutation.Content.Headers.Allow);

        using var missing = await _client.Http.GetAsync("/graphql");
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
    }

    [Fact]
    public async Task Too_deep_queries_are_refused_before_execution()
    {
        var deep = "{ units { nodes { " + string.Concat(Enumerable.Repeat("parent { ", 20)) + "code" + new string('}', 20) + " } } }";
        var r = await _client.Run(deep, accept: "application/graphql-response+json");
        Assert.Equal(400, r.Status);
        Assert.Equal("QUERY_TOO_COMPLEX", r.FirstErrorCode);
    }

    [Fact]
    public async Task Oversized_bodies_get_413()
    {
        var huge = "{\"query\":\"{ __typename }\",\"variables\":{\"pad\":\"" + new string('x', 200_000) + "\"}}";
        var r = await _client.SendRaw(Post(huge));
        Assert.Equal(413, r.Status);
    }

    [Fact]
    public async Task Vietnamese_text_leaves_as_plain_utf8()
    {
        var r = await _client.Run("{ fields { name } }");
        Assert.Contains("Văn hóa – xã hội", r.Body);
        Assert.DoesNotContain("\\u", r.Body);
        var quoted = await _client.Run("{ noSuchField }");
        Assert.Contains("'noSuchField'", quoted.Body);
        Assert.DoesNotContain("\\u", quoted.Body);
    }

    [Fact]
    public async Task Parsed_documents_are_cached_for_reuse()
    {
        var query = "query CacheProbe" + Guid.NewGuid().ToString("N") + " { fields { code } }";
        var cache = factory.Services.GetRequiredService<DanVanKheo.Api.GraphQL.DocumentCache>();
        Assert.False(cache.Contains(query));
        (await _client.Run(query)).AssertNoErrors();
        Assert.True(cache.Contains(query));
        (await _client.Run(query)).AssertNoErrors();
    }

    [Fact]
    public async Task A_cached_document_still_meets_every_per_request_rule()
    {
        var cache = factory.Services.GetRequiredService<DanVanKheo.Api.GraphQL.DocumentCache>();
        var tag = Guid.NewGuid().ToString("N")[..8];

        // Authorization: cached by an auditor's request, refused to an anonymous one.
        var audit = $"query Audit{tag} {{ auditEvents(first: 1) {{ totalCount }} }}";
        var auditor = factory.Client(RegistryApiFactory.Token("auditor-" + tag, ["Registry.Auditor"]));
        (await auditor.Run(audit)).AssertNoErrors();
        Assert.True(cache.Contains(audit));
        var anonymous = await _client.Run(audit);
        Assert.Contains(anonymous.FirstErrorCode, new[] { "UNAUTHENTICATED", "FORBIDDEN" });
        Assert.Null(anonymous.Data?["auditEvents"]);

        // Mutations over GET: cached by a POST, refused over GET.
        var admin = factory.Client(RegistryApiFactory.AdminToken());
        var mutation = $"mutation Create{tag} {{ createUnit(input: {{ code: \"GET.{tag.ToUpperInvariant()}\", name: \"Xã Thử {tag}\", kind: COMMUNE }}) {{ errors {{ code }} }} }}";
        (await admin.Run(mutation)).AssertNoErrors();
        Assert.True(cache.Contains(mutation));
        using var get = new HttpRequestMessage(HttpMethod.Get, "/graphql?query=" + Uri.EscapeDataString(mutation));
        var overGet = await admin.SendRaw(get);
        Assert.Equal(405, overGet.Status);

        // Variables are coerced on every request.
        var typed = $"query Typed{tag}($n: Int!) {{ entries(first: $n) {{ totalCount }} }}";
        (await _client.Run(typed, new { n = 1 })).AssertNoErrors();
        Assert.True(cache.Contains(typed));
        var wrong = await _client.Run(typed, new { n = "một" });
        Assert.NotNull(wrong.FirstErrorCode);
        Assert.Null(wrong.Data);

        // An operation name the cached document does not have.
        var missing = await _client.Send(new { query = typed, variables = new { n = 1 }, operationName = "Nope" });
        Assert.NotNull(missing.FirstErrorCode);
    }

    [Fact]
    public async Task Mutations_without_a_token_get_401_unauthenticated()
    {
        var r = await _client.Run("mutation { submitEntry(input: {id: \"x\", version: 1}) { errors { code } } }");
        Assert.Equal(401, r.Status);
        Assert.Equal("UNAUTHENTICATED", r.FirstErrorCode);
    }

    public static TheoryData<string, string> BadTokens() => new()
    {
        { "expired", RegistryApiFactory.Token("u1", ["Registry.Admin"], expires: DateTime.UtcNow.AddMinutes(-10)) },
        { "wrong audience", RegistryApiFactory.Token("u1", ["Registry.Admin"], audience: "someone-else") },
        { "wrong issuer", RegistryApiFactory.Token("u1", ["Registry.Admin"], issuer: "evil-issuer") },
        { "wrong signature", RegistryApiFactory.Token("u1", ["Registry.Admin"], key: Encoding.UTF8.GetBytes("another-key-another-key-another-key-123456")) },
        { "garbage", "not.a.jwt" },
    };

    [Theory]
    [MemberData(nameof(BadTokens))]
    public async Task Invalid_tokens_get_401_even_for_queries(string why, string token)
    {
        var r = await factory.Client(token).Run("{ __typename }");
        Assert.True(r.Status == 401, $"{why}: {r.Status} {r.Body}");
        Assert.Equal("UNAUTHENTICATED", r.FirstErrorCode);
    }
}
