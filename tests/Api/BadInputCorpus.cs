using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using DanVanKheo.Tests.Infrastructure;

namespace DanVanKheo.Tests.Api;

/// <summary>
/// Hostile and malformed requests, as an attacker sends them. Whatever the request, the answer is a
/// 4xx or a GraphQL error with a code: never a 5xx, never slow, never a stack trace or an internal name.
/// </summary>
public static partial class BadInputCorpus
{
    public sealed record Case(string Name, Func<HttpRequestMessage> Build);

    public static readonly IReadOnlyDictionary<string, Case> Cases = Build().ToDictionary(c => c.Name);

    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (var name in Cases.Keys) data.Add(name);
        return data;
    }

    private static HttpRequestMessage PostBytes(byte[] body, string? contentType = "application/json", string? accept = "application/json")
    {
        var content = new ByteArrayContent(body);
        if (contentType is not null) content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = content };
        if (accept is not null) request.Headers.TryAddWithoutValidation("Accept", accept);
        return request;
    }

    private static HttpRequestMessage PostText(string body, string? contentType = "application/json", string? accept = "application/json") =>
        PostBytes(Encoding.UTF8.GetBytes(body), contentType, accept);

    /// <summary>A JSON body whose "query" is <paramref name="query"/> (escaped as JSON).</summary>
    private static HttpRequestMessage PostQuery(string query, string? variablesJson = null, string? accept = "application/json") =>
        PostText("{\"query\":" + System.Text.Json.JsonSerializer.Serialize(query) +
                 (variablesJson is null ? "" : ",\"variables\":" + variablesJson) + "}", accept: accept);

    private static HttpRequestMessage Get(string rawQueryString) => new(HttpMethod.Get, "/graphql?" + rawQueryString);

    private static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();

    private static IEnumerable<Case> Build()
    {
        // Invalid UTF-8 sequences, placed inside the query string, the operation name, a variable
        // and a bare body.
        var badUtf8 = new Dictionary<string, byte[]>
        {
            ["FF"] = [0xFF],
            ["FE"] = [0xFE],
            ["overlong C0 AF"] = [0xC0, 0xAF],
            ["overlong E0 80 AF"] = [0xE0, 0x80, 0xAF],
            ["surrogate ED A0 80"] = [0xED, 0xA0, 0x80],
            ["surrogate ED BF BF"] = [0xED, 0xBF, 0xBF],
            ["truncated C3"] = [0xC3],
            ["truncated E1 BA"] = [0xE1, 0xBA],
            ["truncated F0 9F 98"] = [0xF0, 0x9F, 0x98],
            ["lone continuation 80"] = [0x80],
            ["above U+10FFFF F4 90 80 80"] = [0xF4, 0x90, 0x80, 0x80],
            ["latin-1 e9"] = [0x4E, 0x67, 0x68, 0xE9],
        };
        foreach (var (name, bytes) in badUtf8)
        {
            var a = Encoding.UTF8;
            yield return new($"utf8 {name} in query", () => PostBytes(Concat(a.GetBytes("{\"query\":\"{ units(where: { search: \\\""), bytes, a.GetBytes("\\\" }) { totalCount } }\"}"))));
            yield return new($"utf8 {name} in operationName", () => PostBytes(Concat(a.GetBytes("{\"query\":\"query Q { __typename }\",\"operationName\":\"Q"), bytes, a.GetBytes("\"}"))));
            yield return new($"utf8 {name} in variable", () => PostBytes(Concat(a.GetBytes("{\"query\":\"query($s: String) { units(where: { search: $s }) { totalCount } }\",\"variables\":{\"s\":\""), bytes, a.GetBytes("\"}}"))));
            yield return new($"utf8 {name} as body", () => PostBytes(bytes));
            yield return new($"utf8 {name} in GET query", () => Get("query=%7B__typename%7D%20" + string.Concat(bytes.Select(b => $"%{b:X2}"))));
        }

        // Lone surrogate escapes: JSON \u escapes that are no valid UTF-16.
        string[] surrogates = [@"\ud800", @"\udfff", @"\udc00\ud800", @"x\ud800y", @"\ud83d", @"\ude00\ude00"];
        foreach (var s in surrogates)
        {
            yield return new($"surrogate {s} in query", () => PostText("{\"query\":\"{ __typename }" + s + "\"}"));
            yield return new($"surrogate {s} in query string argument", () => PostText("{\"query\":\"{ units(where: { search: \\\"" + s + "\\\" }) { totalCount } }\"}"));
            yield return new($"surrogate {s} in operationName", () => PostText("{\"query\":\"query Q { __typename }\",\"operationName\":\"" + s + "\"}"));
            yield return new($"surrogate {s} in variable", () => PostText("{\"query\":\"query($s: String) { entries(where: { search: $s }) { totalCount } }\",\"variables\":{\"s\":\"" + s + "\"}}"));
            yield return new($"surrogate {s} in variable name", () => PostText("{\"query\":\"{ __typename }\",\"variables\":{\"" + s + "\":1}}"));
            yield return new($"surrogate {s} in GraphQL string escape", () => PostQuery("{ units(where: { search: \"" + s + "\" }) { totalCount } }"));
            yield return new($"surrogate {s} in GraphQL entry code", () => PostQuery("{ entry(code: \"" + s + "\") { id } }"));
            yield return new($"surrogate {s} in GET variables", () => Get("query=" + Uri.EscapeDataString("query($s: String) { units(where: { search: $s }) { totalCount } }") + "&variables=" + Uri.EscapeDataString("{\"s\":\"" + s + "\"}")));
        }

        // Duplicate JSON keys.
        yield return new("duplicate key query", () => PostText("{\"query\":\"{ __typename }\",\"query\":\"{ fields { code } }\"}"));
        yield return new("duplicate key variables", () => PostText("{\"query\":\"{ __typename }\",\"variables\":{},\"variables\":{}}"));
        yield return new("duplicate key operationName", () => PostText("{\"query\":\"query A { __typename } query B { __typename }\",\"operationName\":\"A\",\"operationName\":\"B\"}"));
        yield return new("duplicate variable key", () => PostText("{\"query\":\"query($a: Int) { entries(first: $a) { totalCount } }\",\"variables\":{\"a\":1,\"a\":2}}"));
        yield return new("duplicate variable key different types", () => PostText("{\"query\":\"query($a: Int) { entries(first: $a) { totalCount } }\",\"variables\":{\"a\":1,\"a\":\"x\"}}"));
        yield return new("duplicate nested variable key", () => PostText("{\"query\":\"query($w: EntryFilterInput) { entries(where: $w) { totalCount } }\",\"variables\":{\"w\":{\"search\":\"a\",\"search\":\"b\"}}}"));
        yield return new("duplicate extensions key", () => PostText("{\"query\":\"{ __typename }\",\"extensions\":{\"a\":1,\"a\":2}}"));
        yield return new("duplicate variable key in GET", () => Get("query=" + Uri.EscapeDataString("query($a: Int) { entries(first: $a) { totalCount } }") + "&variables=" + Uri.EscapeDataString("{\"a\":1,\"a\":2}")));
        yield return new("duplicate GET query parameter", () => Get("query=%7B__typename%7D&query=%7B__typename%7D"));
        yield return new("duplicate GraphQL argument", () => PostQuery("{ entries(first: 1, first: 2) { totalCount } }"));
        yield return new("duplicate GraphQL input field", () => PostQuery("{ entries(where: { search: \"a\", search: \"b\" }) { totalCount } }"));
        yield return new("duplicate GraphQL variable definition", () => PostQuery("query($a: Int, $a: Int) { entries(first: $a) { totalCount } }", "{\"a\":1}"));

        // Deep nesting: selections, list literals, input objects, JSON.
        foreach (var depth in new[] { 16, 50, 200, 1_000, 5_000 })
        {
            yield return new($"nested selections {depth}", () => PostQuery(string.Concat(Enumerable.Repeat("{ a ", depth)) + new string('}', depth)));
            yield return new($"nested list literal {depth}", () => PostQuery("{ entries(where: { tags: " + new string('[', depth) + new string(']', depth) + " }) { totalCount } }"));
            yield return new($"nested input object {depth}", () => PostQuery("{ entries(where: " + string.Concat(Enumerable.Repeat("{ a: ", depth)) + "1" + new string('}', depth) + ") { totalCount } }"));
            yield return new($"nested JSON variables {depth}", () => PostText("{\"query\":\"query($w: EntryFilterInput) { entries(where: $w) { totalCount } }\",\"variables\":{\"w\":" + string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth) + "}}"));
            yield return new($"nested JSON list variables {depth}", () => PostText("{\"query\":\"query($t: [String!]) { __typename }\",\"variables\":{\"t\":" + new string('[', depth) + new string(']', depth) + "}}"));
            yield return new($"nested parent selections {depth}", () => PostQuery("{ units { nodes { " + string.Concat(Enumerable.Repeat("parent { ", depth)) + "code" + new string('}', depth) + " } } }"));
        }
        yield return new("nested fragments cycle", () => PostQuery("{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }"));
        yield return new("self-spreading fragment", () => PostQuery("{ ...A } fragment A on Query { __typename ...A }"));

        // Operations and definitions we do not run.
        string[] unsupportedDocuments =
        [
            "subscription { x }",
            "subscription { __typename }",
            "subscription S { entries { totalCount } }",
            "extend type Query { x: Int } { __typename }",
            "type Foo { a: Int } { __typename }",
            "schema { query: Query } { __typename }",
            "directive @x on FIELD { __typename }",
            "scalar Evil { __typename }",
            "input I { a: Int } query { __typename }",
            "enum E { A } { __typename }",
            "extend schema @x { __typename }",
            "union U = A | B { __typename }",
            "interface I { a: Int } { __typename }",
            "fragment F on Query { __typename }",
            "query { __typename } query { __typename }",
            "query A { __typename } query A { __typename }",
            "{ __typename } { __typename }",
            "",
            " ",
            "#",
            "query",
            "{",
            "}",
            "{ __typename @skip }",
            "{ __typename @include(if: \"yes\") }",
            "{ __typename @unknown }",
            "query($x: Unknown) { __typename }",
            "query($x: Int = \"a\") { __typename }",
            "{ entries(first: \"ten\") { totalCount } }",
            "{ entries(first: 99999999999999999999) { totalCount } }",
            "{ entries(first: -1) { totalCount } }",
            "{ entries(first: 100000) { totalCount } }",
            "{ entries(first: 1.5) { totalCount } }",
            "{ entries(last: -5) { totalCount } }",
            "{ entries(after: \"!!!\") { totalCount } }",
            "{ entries(after: \"\") { totalCount } }",
            "{ entries(before: \"bm90LWEtY3Vyc29y\", last: 2) { totalCount } }",
            "{ entries(where: { search: \"" + new string('a', 5_000) + "\" }) { totalCount } }",
            "{ units(where: { search: \"" + new string('x', 20_000) + "\" }) { totalCount } }",
            "{ entries(where: { search: \"\\u0000\\u001b[31m\" }) { totalCount } }",
            "{ entries(where: { search: \"\u202Eabc\" }) { totalCount } }",
            "{ entries(order: [{ code: ASC, title: DESC }]) { totalCount } }",
            "{ entries(where: { kind: { eq: MOHINH } }) { totalCount } }",
            "{ __schema { types { name } } __type(name: \"\\ud800\") { name } }",
            "{ report(unitId: \"!!!\", year: 2024) { __typename } }",
            "{ report(unitId: \"VW5pdDp4\", year: -99999) { __typename } }",
            "{ report(unitId: \"VW5pdDp4\", year: 2147483647) { __typename } }",
            "query Q($a: Int!) { entries(first: $a) { totalCount } }",
            "{ nodes(ids: [" + string.Join(",", Enumerable.Repeat("\"VW5pdDp4\"", 500)) + "]) { id } }",
            "\u0000",
            "{ __typename \u0000 }",
            "\uFEFF{ __typename }",
            "{ \"__typename\" }",
            "{ __typename(x: 1) }",
            "{ entries { nodes { id(x: $undefined) } } }",
        ];
        for (var i = 0; i < unsupportedDocuments.Length; i++)
        {
            var doc = unsupportedDocuments[i];
            yield return new($"document {i}: {Shorten(doc)}", () => PostQuery(doc));
            yield return new($"document {i} as graphql-response+json: {Shorten(doc)}", () => PostQuery(doc, accept: "application/graphql-response+json"));
        }

        // Malformed global ids: every query argument of type ID.
        string[] badIds = ["!!!", "", " ", "no-colon-here", "VW5pdA", "RW50cnk6LTE", "RW50cnk6", "OjE", "%%%", "==", "a.b", new string('A', 500), "RW50cnk6\\u0000"];
        string[] idQueries =
        [
            "{ node(id: \"$ID\") { id } }",
            "{ nodes(ids: [\"$ID\"]) { id } }",
            "{ entry(id: \"$ID\") { id } }",
            "{ unit(id: \"$ID\") { id } }",
            "{ council(id: \"$ID\") { id } }",
            "{ round(id: \"$ID\") { id } }",
            "{ replication(id: \"$ID\") { id } }",
            "{ lineage(entryId: \"$ID\") { __typename } }",
            "{ entries(where: { unitId: { eq: \"$ID\" } }) { totalCount } }",
        ];
        foreach (var id in badIds)
            foreach (var q in idQueries)
                yield return new($"id {Shorten(id)} in {q[..q.IndexOf('(')].Trim('{', ' ')}", () => PostQuery(q.Replace("$ID", id)));

        // Headers: oversized, odd, contradictory.
        yield return new("huge Accept", () => PostQuery("{ __typename }", accept: string.Join(", ", Enumerable.Repeat("application/json;q=0.5", 1_000))));
        yield return new("garbage Accept", () => PostQuery("{ __typename }", accept: ";;;,,,==\"\""));
        yield return new("Accept with bad q", () => PostQuery("{ __typename }", accept: "application/json;q=abc"));
        yield return new("Accept with NUL-like", () => PostQuery("{ __typename }", accept: "application/json\u0001"));
        yield return new("Accept q=0 everything", () => PostQuery("{ __typename }", accept: "*/*;q=0"));
        yield return new("Accept image", () => PostQuery("{ __typename }", accept: "image/png"));
        string[] authorizations =
        [
            "Bearer", "Bearer ", "Bearer  ", "Basic dXNlcjpwYXNz", "Bearer a", "Bearer a.b", "Bearer a.b.c", "Bearer ...",
            "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.", "Bearer eyJhbGciOiJIUzI1NiJ9.e30.xxx", "bearer lowercase",
            "Bearer " + new string('a', 8_000), "Bearer " + new string('.', 100), "Negotiate abc", "Bearer \u00e9\u00e9",
            "Bearer eyJ" + new string('A', 20_000),
        ];
        for (var i = 0; i < authorizations.Length; i++)
        {
            var value = authorizations[i];
            yield return new($"authorization {i}: {Shorten(value)}", () =>
            {
                var r = PostQuery("{ __typename }");
                r.Headers.TryAddWithoutValidation("Authorization", value);
                return r;
            });
            yield return new($"authorization {i} on mutation: {Shorten(value)}", () =>
            {
                var r = PostQuery("mutation { createUnit(input: { code: \"X\", name: \"Y\", kind: COMMUNE }) { errors { code } } }");
                r.Headers.TryAddWithoutValidation("Authorization", value);
                return r;
            });
        }
        yield return new("two Authorization headers", () =>
        {
            var r = PostQuery("{ __typename }");
            r.Headers.TryAddWithoutValidation("Authorization", ["Bearer a.b.c", "Bearer d.e.f"]);
            return r;
        });
        yield return new("huge cookie", () =>
        {
            var r = PostQuery("{ __typename }");
            r.Headers.TryAddWithoutValidation("Cookie", "a=" + new string('b', 16_000));
            return r;
        });
        yield return new("odd X-Forwarded-For", () =>
        {
            var r = PostQuery("{ __typename }");
            r.Headers.TryAddWithoutValidation("X-Forwarded-For", "not-an-ip, , 999.1.1.1, ::::");
            return r;
        });
        yield return new("many headers", () =>
        {
            var r = PostQuery("{ __typename }");
            for (var i = 0; i < 90; i++) r.Headers.TryAddWithoutValidation($"X-Junk-{i}", new string('j', 100));
            return r;
        });

        // Content types and bodies.
        string?[] contentTypes =
        [
            null, "", "text/plain", "application/xml", "application/graphql", "application/json; charset=utf-16",
            "application/json; charset=\"latin1\"", "application/json;;;", "application/json; charset=", "multipart/form-data; boundary=x",
            "application/x-www-form-urlencoded", "application/jsonx", "json", "*/*", "application/json; boundary=\"", "APPLICATION/JSON; CHARSET=UTF-8",
        ];
        for (var i = 0; i < contentTypes.Length; i++)
        {
            var ct = contentTypes[i];
            yield return new($"content type {i}: {ct ?? "(none)"}", () => PostText("{\"query\":\"{ __typename }\"}", ct));
        }
        string[] bodies =
        [
            "null", "true", "0", "\"x\"", "[]", "[{\"query\":\"{ __typename }\"}]", "{}", "{\"query\":null}", "{\"query\":\"\"}",
            "{\"query\":[]}", "{\"query\":{}}", "{\"query\":\"{ __typename }\",\"variables\":\"{}\"}", "{\"query\":\"{ __typename }\",\"variables\":42}",
            "{\"query\":\"{ __typename }\",\"extensions\":[]}", "{\"query\":\"{ __typename }\",\"operationName\":42}",
            "{\"query\":\"{ __typename }\"} trailing", "{\"query\":\"{ __typename }\",}", "{'query':'{ __typename }'}", "{\"query\":\"{ __typename }\"",
            "\uFEFF{\"query\":\"{ __typename }\"}", "{\"query\":\"{ __typename }\" /* c */}", "{\"query\":\"\\x41\"}", "{\"query\":\"\\u12\"}",
            "{\"query\":\"{ __typename }\",\"extensions\":{\"persistedQuery\":{\"sha256Hash\":\"x\"}}}", "{\"extensions\":{\"persistedQuery\":{}}}",
            "{\"query\":\"query($n: Int) { entries(first: $n) { totalCount } }\",\"variables\":{\"n\":1e400}}",
            "{\"query\":\"query($n: Int) { entries(first: $n) { totalCount } }\",\"variables\":{\"n\":-0.0}}",
            "{\"query\":\"query($n: Int) { entries(first: $n) { totalCount } }\",\"variables\":{\"n\":99999999999999999999999}}",
            "{\"query\":\"query($n: Int) { entries(first: $n) { totalCount } }\",\"variables\":{\"n\":\"NaN\"}}",
            "{\"query\":\"query($n: Int) { entries(first: $n) { totalCount } }\",\"variables\":{\"n\":[1]}}",
            "{\"query\":\"query($n: Int) { entries(first: $n) { totalCount } }\",\"variables\":{\"n\":{}}}",
            "{\"query\":\"query($w: EntryFilterInput) { entries(where: $w) { totalCount } }\",\"variables\":{\"w\":\"x\"}}",
            "{\"query\":\"query($w: EntryFilterInput) { entries(where: $w) { totalCount } }\",\"variables\":{\"w\":{\"nope\":1}}}",
            "{\"query\":\"query($w: EntryFilterInput) { entries(where: $w) { totalCount } }\",\"variables\":{\"w\":{\"status\":{\"in\":[null]}}}}",
            "{\"query\":\"query($d: Date) { __typename }\",\"variables\":{\"d\":\"2024-02-30\"}}",
            "{\"query\":\"query($w: EntryFilterInput) { entries(where: $w) { totalCount } }\",\"variables\":{\"w\":{\"unitId\":{\"eq\":\"!!!\"}}}}",
            "{\"query\":\"query($i: ID!) { node(id: $i) { id } }\",\"variables\":{\"i\":\"!!!\"}}",
            "{\"query\":\"query($i: ID!) { node(id: $i) { id } }\",\"variables\":{\"i\":12345}}",
            "{\"query\":\"query($i: [ID!]!) { nodes(ids: $i) { id } }\",\"variables\":{\"i\":[\"\",\"!!!\"]}}",
            "{\"query\":\"query($i: ID!) { node(id: $i) { id } }\",\"variables\":{\"i\":null}}",
        ];
        for (var i = 0; i < bodies.Length; i++)
        {
            var body = bodies[i];
            yield return new($"body {i}: {Shorten(body)}", () => PostText(body));
        }

        // GET oddities.
        string[] gets =
        [
            "", "query=", "query=%", "query=%zz", "query=%7B__typename%7D&variables=%7B", "query=%7B__typename%7D&variables=[]",
            "query=%7B__typename%7D&variables=null", "query=%7B__typename%7D&extensions=1", "query=%7B__typename%7D&operationName=%00",
            "query=" + new string('a', 3_000), "query=subscription%20%7Bx%7D", "query=mutation%20%7B__typename%7D", "query=%7B__typename%7D&query=",
            "query=%7B__typename%7D%00", "query=%C0%AF", "query=%ED%A0%80", "query=%7B%20node(id%3A%20%22!!!%22)%20%7B%20id%20%7D%20%7D",
            "query=%7B__typename%7D&variables=%7B%22a%22%3A1%2C%22a%22%3A2%7D",
        ];
        for (var i = 0; i < gets.Length; i++)
        {
            var qs = gets[i];
            yield return new($"get {i}: {Shorten(qs)}", () => Get(qs));
        }
        foreach (var method in new[] { "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "HEAD", "PROPFIND" })
            yield return new($"method {method}", () => new HttpRequestMessage(new HttpMethod(method), "/graphql"));

        // Report exports with odd paths.
        string[] exports =
        [
            "/reports/%01/2024.csv", "/reports/x/2024.pdf", "/reports/x/99999999999.csv", "/reports/x/-1.csv", "/reports/x/2024.csv?asOf=2024-13-45",
            "/reports/x/2024.csv?includeSubunits=maybe", "/reports/" + new string('A', 2_000) + "/2024.csv", "/reports/%ED%A0%80/2024.xlsx",
            "/reports/x/2024.csv?asOf=" + new string('9', 500),
        ];
        for (var i = 0; i < exports.Length; i++)
        {
            var path = exports[i];
            yield return new($"export {i}: {Shorten(path)}", () => new HttpRequestMessage(HttpMethod.Get, path));
        }
    }

    private static string Shorten(string s)
    {
        var printable = new string(s.Select(c => char.IsControl(c) || char.IsSurrogate(c) ? '?' : c).ToArray());
        return printable.Length <= 60 ? printable : printable[..57] + "…" + printable.Length;
    }

    /// <summary>Names that betray the implementation: .NET exception types, namespaces, stack frames.</summary>
    [GeneratedRegex(@"(\w+Exception\b|\bat [\w.]+\(|\bSystem\.[A-Z]|\bDanVanKheo\.|\bGraphQL\.[A-Z]|\bGraphQLParser\b|\bLiteDB\b|\bMongoDB\.|\.cs:line)")]
    public static partial Regex InternalDetails();
}

public sealed class BadInputTests(RegistryApiFactory factory) : IClassFixture<RegistryApiFactory>
{
    [Fact]
    public void The_corpus_has_at_least_250_cases() => Assert.True(BadInputCorpus.Cases.Count >= 250, $"{BadInputCorpus.Cases.Count} cases");

    [Theory]
    [MemberData(nameof(BadInputCorpus.Names), MemberType = typeof(BadInputCorpus))]
    public async Task Bad_input_never_gets_a_5xx_a_hang_or_internal_details(string name)
    {
        using var client = factory.CreateClient();
        using var request = BadInputCorpus.Cases[name].Build();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        var watch = Stopwatch.StartNew();
        HttpResponseMessage response;
        try
        {
            response = await client.SendAsync(request, cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new Xunit.Sdk.XunitException($"{name}: no answer within 5 s");
        }
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cts.Token);
            watch.Stop();
            var status = (int)response.StatusCode;
            Assert.True(status is >= 200 and < 500, $"{name}: {status} {body}");
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"{name}: {watch.Elapsed}");
            var leak = BadInputCorpus.InternalDetails().Match(body);
            Assert.False(leak.Success, $"{name}: body shows '{leak.Value}': {body}");
            Assert.DoesNotContain("INTERNAL_SERVER_ERROR", body);
            if (status >= 400 && response.Content.Headers.ContentType?.MediaType is { } mt && mt.Contains("json"))
                Assert.Contains("\"code\"", body);
        }
    }
}
