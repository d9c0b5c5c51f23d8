using System.Reflection;
using System.Text.RegularExpressions;
using DanVanKheo.Api.Common;

namespace DanVanKheo.Tests.Api;

/// <summary>Every refusal code the API can send is listed, with its meaning, in docs/errors.md.</summary>
public sealed partial class ErrorCodeDocsTests
{
    [GeneratedRegex("^[A-Z][A-Z0-9]*(_[A-Z0-9]+)+$|^(FORBIDDEN|UNAUTHENTICATED)$")]
    private static partial Regex CodeShape();

    [Fact]
    public void Every_error_code_constant_is_documented()
    {
        var docs = File.ReadAllText(Path.Combine(SchemaContractTests.RepoRoot(), "docs", "errors.md"));
        var codes = typeof(ErrorCodes).Assembly.GetTypes()
            .Where(t => t.Name.EndsWith("Rules", StringComparison.Ordinal) || t.Name.EndsWith("ErrorCodes", StringComparison.Ordinal)
                        || t.Name is "TrustedDocuments" or "GraphQLHttpEndpoint")
            .SelectMany(t => t.GetFields(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static))
            .Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .Select(f => (string)f.GetRawConstantValue()!)
            .Where(v => CodeShape().IsMatch(v))
            .Distinct()
            .ToList();
        Assert.Contains("ROUND_NOT_VOTING", codes);
        Assert.Contains("GRAPHQL_PARSE_FAILED", codes);
        var missing = codes.Where(c => !docs.Contains($"`{c}`", StringComparison.Ordinal)).ToList();
        Assert.True(missing.Count == 0, "Not in docs/errors.md: " + string.Join(", ", missing));
    }
}
