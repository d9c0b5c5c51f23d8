using System.Reflection;
using System.Text.RegularExpressions;
using DanVanKheo.Api.Common;

namespace DanVanKheo.Tests.Api;

/// <summary>Every refusal code the API can send is in the ErrorCatalog (so the ErrorCode enum) and listed, with its meaning, in docs/errors.md.</summary>
public sealed partial class ErrorCodeDocsTests
{
    [GeneratedRegex("^[A-Z][A-Z0-9]*(_[A-Z0-9]+)+$|^(FORBIDDEN|UNAUTHENTICATED)$")]
    private static partial Regex CodeShape();

    [Fact]
    public void Every_error_code_constant_is_documented()
    {
        var docs = File.ReadAllText(Path.Combine(SchemaContractTests.RepoRoot(), "docs", "errors.md"));
        // Every UPPER_SNAKE string constant of the API is a code, but for the names of environment variables.
        var codes = typeof(ErrorCodes).Assembly.GetTypes()
            .SelectMany(t => t.GetFields(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static))
            .Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .Select(f => (string)f.GetRawConstantValue()!)
            .Where(v => CodeShape().IsMatch(v) && !v.StartsWith("OTEL_", StringComparison.Ordinal) && !v.StartsWith("MONGODB_", StringComparison.Ordinal)
                        && !v.StartsWith("ASPNETCORE_", StringComparison.Ordinal) && !v.StartsWith("DOTNET_", StringComparison.Ordinal))
            .Distinct()
            .ToList();
        Assert.Contains("ROUND_NOT_VOTING", codes);
        Assert.Contains("GRAPHQL_PARSE_FAILED", codes);
        Assert.Contains("RATE_LIMITED", codes);
        var missing = codes.Concat(ErrorCatalog.All.Select(c => c.Code)).Where(c => !docs.Contains($"`{c}`", StringComparison.Ordinal)).ToList();
        Assert.True(missing.Count == 0, "Not in docs/errors.md: " + string.Join(", ", missing));
        // The schema's ErrorCode enum is built from the catalog: every constant must be in it.
        var notInCatalog = codes.Where(c => !ErrorCatalog.Contains(c)).ToList();
        Assert.True(notInCatalog.Count == 0, "Not in ErrorCatalog (so not in the ErrorCode enum): " + string.Join(", ", notInCatalog));
        Assert.Equal(ErrorCatalog.All.Length, ErrorCatalog.All.Select(c => c.Code).Distinct().Count());
    }
}
