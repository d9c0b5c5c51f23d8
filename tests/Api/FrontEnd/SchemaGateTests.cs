namespace DanVanKheo.Tests.Api.FrontEnd;

/// <summary>The breaking-change gate .ci/run runs (graphql-inspector diff with the CHANGELOG rule).</summary>
public sealed class SchemaGateTests : IDisposable
{
    private static string Root => SchemaContractTests.RepoRoot();
    private static string GateDir => Path.Combine(Root, ".ci", "schema-gate");
    private readonly string _dir = Directory.CreateTempSubdirectory("dvk-gate-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static async Task<ProcessResult> Gate(string released, string current, string? changelog = null)
    {
        await NodeTools.EnsureInstalled(GateDir);
        var env = new Dictionary<string, string>();
        if (changelog is not null) env["SCHEMA_CHANGELOG"] = changelog;
        return await NodeTools.Run("bash", Root, TimeSpan.FromMinutes(3), [Path.Combine(GateDir, "gate.sh"), released, current], env);
    }

    /// <summary>The current schema with Entry.code renamed: a removed field, i.e. a breaking change.</summary>
    private string BrokenSchema()
    {
        var sdl = File.ReadAllText(Path.Combine(Root, "schema", "schema.graphql"));
        var entry = sdl.IndexOf("\ntype Entry ", StringComparison.Ordinal);
        var field = sdl.IndexOf("  code: String!", entry, StringComparison.Ordinal);
        Assert.True(entry >= 0 && field > entry, "The test expects Entry.code in schema/schema.graphql.");
        var path = Path.Combine(_dir, "broken.graphql");
        File.WriteAllText(path, string.Concat(sdl.AsSpan(0, field), "  entryCode: String!", sdl.AsSpan(field + "  code: String!".Length)));
        return path;
    }

    private string Changelog(string text)
    {
        var path = Path.Combine(_dir, "CHANGELOG.md");
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public async Task The_committed_schema_passes_against_the_released_snapshot()
    {
        var r = await Gate(Path.Combine(Root, "schema", "released.graphql"), Path.Combine(Root, "schema", "schema.graphql"));
        Assert.True(r.ExitCode == 0, r.ToString());
    }

    [Fact]
    public async Task A_breaking_change_not_in_the_changelog_fails_and_says_what_to_add()
    {
        var r = await Gate(Path.Combine(Root, "schema", "schema.graphql"), BrokenSchema(),
            Changelog("# Schema changelog\n\n## Unreleased\n\n## 2026-01-01\n\n- BREAKING FIELD_REMOVED `Entry.code`: an old release, not this one\n"));
        Assert.True(r.ExitCode == 1, r.ToString());
        Assert.Contains("Field code was removed from object type Entry", r.Stdout + r.Stderr);
        Assert.Contains("BREAKING FIELD_REMOVED `Entry.code`", r.Stdout + r.Stderr);
    }

    [Fact]
    public async Task A_breaking_change_listed_under_Unreleased_passes()
    {
        var r = await Gate(Path.Combine(Root, "schema", "schema.graphql"), BrokenSchema(),
            Changelog("# Schema changelog\n\n## Unreleased\n\n- BREAKING FIELD_REMOVED `Entry.code`: renamed to entryCode; clients read entryCode\n"));
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("accepted in schema/CHANGELOG.md", r.Stdout + r.Stderr);
    }
}
