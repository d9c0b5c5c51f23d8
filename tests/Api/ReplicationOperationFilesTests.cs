using DanVanKheo.Tests.Infrastructure;

namespace DanVanKheo.Tests.Api;

/// <summary>The named operations in schema/operations (replications, lineage, report) validate against the schema.</summary>
public sealed class ReplicationOperationFilesTests(RegistryApiFactory factory) : IClassFixture<RegistryApiFactory>
{
    public static TheoryData<string> Files() =>
    [
        "RecordReplication", "UpdateReplication", "ChangeReplicationStatus", "EntryLineage", "Replications", "MostReplicated", "AnnualReport",
    ];

    [Theory]
    [MemberData(nameof(Files))]
    public async Task Operation_file_validates(string name)
    {
        var text = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "schema", "operations", name + ".graphql"));
        var r = await factory.Client().Run(text);
        var codes = r.Errors?.Select(e => e!["extensions"]?["code"]?.GetValue<string>()).ToList() ?? [];
        Assert.DoesNotContain("GRAPHQL_VALIDATION_FAILED", codes);
        Assert.DoesNotContain("GRAPHQL_PARSE_FAILED", codes);
        if (text.TrimStart().Split('\n').SkipWhile(l => l.StartsWith('#')).First().StartsWith("mutation", StringComparison.Ordinal))
            Assert.Equal(["UNAUTHENTICATED"], codes);
    }
}
