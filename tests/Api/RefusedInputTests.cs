using System.Text;
using DanVanKheo.Api.Common;
using DanVanKheo.Tests.Infrastructure;

namespace DanVanKheo.Tests.Api;

/// <summary>Bad input is refused with the right code, and changes nothing.</summary>
public sealed class RefusedInputTests(RegistryApiFactory factory) : IClassFixture<RegistryApiFactory>
{
    private readonly GraphQLClient _client = factory.Client();

    private static HttpRequestMessage Post(byte[] body) =>
        new(HttpMethod.Post, "/graphql") { Content = new ByteArrayContent(body) { Headers = { { "Content-Type", "application/json" } } } };

    public static TheoryData<string, string> MalformedIds()
    {
        var data = new TheoryData<string, string>();
        string[] ids = ["!!!", "", "bm8tY29sb24", GlobalId.Encode("Entry", "-1"), GlobalId.Encode("Entry", ""), GlobalId.Encode("", "1"), GlobalId.Encode("En try", "1"), GlobalId.Encode("Entry", "1\u0000")];
        foreach (var id in ids)
        {
            data.Add($"{{ node(id: \"{id}\") {{ id }} }}", "id");
            data.Add($"{{ nodes(ids: [\"{id}\"]) {{ id }} }}", "ids");
            data.Add($"{{ entry(id: \"{id}\") {{ id }} }}", "id");
            data.Add($"{{ unit(id: \"{id}\") {{ id }} }}", "id");
            data.Add($"{{ council(id: \"{id}\") {{ id }} }}", "id");
            data.Add($"{{ round(id: \"{id}\") {{ id }} }}", "id");
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(MalformedIds))]
    public async Task Malformed_global_ids_are_bad_user_input_naming_the_argument(string query, string argument)
    {
        var r = await _client.Run(query);
        Assert.Equal(200, r.Status);
        Assert.Equal("BAD_USER_INPUT", r.FirstErrorCode);
        Assert.Equal(argument, r.Errors![0]!["extensions"]!["field"]!.GetValue<string>());
        Assert.Contains($"'{argument}'", r.Errors![0]!["message"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("node(id: $id) { id }")]
    [InlineData("entry(id: $id) { id }")]
    [InlineData("unit(id: $id) { id }")]
    public async Task Well_formed_ids_of_nothing_still_answer_null(string field)
    {
        var id = GlobalId.Encode(field.StartsWith("unit") ? "Unit" : "Entry", Guid.CreateVersion7().ToString("N"));
        var r = await _client.Run($"query($id: ID!) {{ x: {field} }}", new { id });
        r.AssertNoErrors();
        Assert.Null(r.Data!["x"]);
    }

    [Fact]
    public async Task Malformed_ids_in_variables_are_refused_too()
    {
        var r = await _client.Run("query($id: ID!) { node(id: $id) { id } }", new { id = "!!!" });
        Assert.Equal("BAD_USER_INPUT", r.FirstErrorCode);
    }

    [Theory]
    [InlineData("extend type Query { x: Int } { __typename }")]
    [InlineData("type Evil { a: Int } { __typename }")]
    [InlineData("schema { query: Query } { __typename }")]
    [InlineData("directive @x on FIELD { __typename }")]
    public async Task Type_definitions_in_a_request_are_refused(string document)
    {
        var r = await _client.Run(document, accept: "application/graphql-response+json");
        Assert.Equal(400, r.Status);
        Assert.Equal("GRAPHQL_VALIDATION_FAILED", r.FirstErrorCode);
        Assert.Null(r.Data);
    }

    [Fact]
    public async Task Subscriptions_over_plain_http_are_a_validation_error()
    {
        var r = await _client.Run("subscription { x }", accept: "application/graphql-response+json");
        Assert.Equal(400, r.Status);
        Assert.All(r.Errors!, e => Assert.Contains(e!["extensions"]!["code"]!.GetValue<string>(), new[] { "GRAPHQL_VALIDATION_FAILED", "SUBSCRIPTION_NEEDS_STREAM" }));
        Assert.Contains(r.Errors!, e => e!["extensions"]!["code"]!.GetValue<string>() == "SUBSCRIPTION_NEEDS_STREAM");
    }

    [Theory]
    [InlineData(200)]
    [InlineData(1_000)]
    public async Task Documents_nested_too_deeply_are_parse_errors(int depth)
    {
        var selections = await _client.Run(string.Concat(Enumerable.Repeat("{ a ", depth)) + new string('}', depth));
        Assert.Equal("GRAPHQL_PARSE_FAILED", selections.FirstErrorCode);
        var list = await _client.Run("{ entries(where: { tags: " + new string('[', depth) + new string(']', depth) + " }) { totalCount } }");
        Assert.Equal("GRAPHQL_PARSE_FAILED", list.FirstErrorCode);
    }

    [Fact]
    public async Task Lone_surrogates_in_graphql_strings_are_bad_user_input()
    {
        var r = await _client.Run("{ units(where: { search: \"\\ud800\" }) { totalCount } }");
        Assert.Equal("BAD_USER_INPUT", r.FirstErrorCode);
    }

    [Theory]
    [InlineData("{\"query\":\"{ __typename }\",\"operationName\":\"\\ud800\"}")]
    [InlineData("{\"query\":\"query($s: String) { units(where: { search: $s }) { totalCount } }\",\"variables\":{\"s\":\"\\udfff\"}}")]
    [InlineData("{\"query\":\"query($a: Int) { entries(first: $a) { totalCount } }\",\"variables\":{\"a\":1,\"a\":2}}")]
    [InlineData("{\"query\":\"{ __typename }\",\"query\":\"{ fields { code } }\"}")]
    public async Task Lone_surrogate_escapes_and_duplicate_keys_are_400(string body)
    {
        var r = await _client.SendRaw(Post(Encoding.UTF8.GetBytes(body)));
        Assert.Equal(400, r.Status);
        Assert.Equal("BAD_REQUEST", r.FirstErrorCode);
    }

    [Theory]
    [InlineData(new byte[] { 0xFF })]
    [InlineData(new byte[] { 0xC0, 0xAF })]
    [InlineData(new byte[] { 0xED, 0xA0, 0x80 })]
    [InlineData(new byte[] { 0xE1, 0xBA })]
    public async Task Invalid_utf8_bodies_are_400(byte[] bad)
    {
        var body = Encoding.UTF8.GetBytes("{\"query\":\"{ units(where: { search: \\\"x").Concat(bad).Concat(Encoding.UTF8.GetBytes("\\\" }) { totalCount } }\"}")).ToArray();
        var r = await _client.SendRaw(Post(body));
        Assert.Equal(400, r.Status);
        Assert.Contains("UTF-8", r.Body);
    }
}
