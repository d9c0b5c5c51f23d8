using System.Text.Json.Nodes;

namespace DanVanKheo.Tests.Infrastructure;

/// <summary>Builds units and entries through the public API, the way a front-end would.</summary>
public sealed class RegistryScenario(RegistryApiFactory factory)
{
    private static int _counter;

    public GraphQLClient Admin { get; } = factory.Client(RegistryApiFactory.AdminToken());
    public GraphQLClient Anonymous { get; } = factory.Client();
    public GraphQLClient Auditor { get; } = factory.Client(RegistryApiFactory.Token("auditor-1", ["Registry.Auditor"]));

    /// <summary>A signed-in caller with these roles (none: a plain user, e.g. a council member).</summary>
    public GraphQLClient As(string subject, params string[] roles) => factory.Client(RegistryApiFactory.Token(subject, roles, name: subject));

    public static string UniqueCode(string prefix) => $"{prefix}{Interlocked.Increment(ref _counter)}X{Guid.NewGuid().ToString("N")[..6].ToUpperInvariant()}";

    public static string LocalId(string globalId)
    {
        var text = System.Text.Encoding.UTF8.GetString(System.Buffers.Text.Base64Url.DecodeFromChars(globalId));
        return text[(text.IndexOf(':') + 1)..];
    }

    public GraphQLClient EditorOf(string unitGlobalId, string subject = "editor-1") =>
        factory.Client(RegistryApiFactory.EditorToken(LocalId(unitGlobalId), subject));

    public async Task<JsonNode> CreateUnit(string name, string kind = "COMMUNE", string? parentId = null, string? code = null,
        string? validFrom = null, string? validTo = null)
    {
        var r = await Admin.Run("""
            mutation($input: CreateUnitInput!) { createUnit(input: $input) { unit { id code name version parent { id } } errors { code message field } } }
            """, new { input = new { code = code ?? UniqueCode("U"), name, kind, parentId, validFrom, validTo } });
        r.AssertNoErrors();
        Assert.Empty(r.At("createUnit.errors").AsArray());
        return r.At("createUnit.unit");
    }

    public async Task<string> FieldId(string code = "VAN_HOA_XA_HOI")
    {
        var r = await Anonymous.Run("{ fields { id code } }");
        return r.At("fields").AsArray().First(f => f!["code"]!.GetValue<string>() == code)!["id"]!.GetValue<string>();
    }

    public async Task<JsonNode> CreateEntry(GraphQLClient client, string unitId, string title, string? fieldId = null,
        string kind = "MODEL", string? exemplarType = null, object? person = null, string[]? tags = null)
    {
        var r = await client.Run("""
            mutation($input: CreateEntryInput!) { createEntry(input: $input) { entry { id code status version title } errors { code message field } } }
            """, new
        {
            input = new
            {
                unitId, title, summary = "Tóm tắt: " + title, kind, exemplarType, person,
                fieldId = fieldId ?? await FieldId(), level = "COMMUNE", startDate = "2024-03-01",
                results = new { householdsReached = 120, moneyMobilizedVnd = 350_000_000L, landDonatedM2 = 1250.5 },
                tags = tags ?? ["nông thôn mới"],
            },
        });
        r.AssertNoErrors();
        Assert.Empty(r.At("createEntry.errors").AsArray());
        return r.At("createEntry.entry");
    }

    public async Task<JsonNode> Submit(GraphQLClient client, JsonNode entry)
    {
        var r = await client.Run("""
            mutation($input: SubmitEntryInput!) { submitEntry(input: $input) { entry { id code status version } errors { code message } } }
            """, new { input = new { id = entry["id"]!.GetValue<string>(), version = entry["version"]!.GetValue<int>() } });
        r.AssertNoErrors();
        Assert.Empty(r.At("submitEntry.errors").AsArray());
        return r.At("submitEntry.entry");
    }

    /// <summary>A registered (public) entry for a fresh commune under a fresh province.</summary>
    public async Task<(JsonNode Province, JsonNode Commune, JsonNode Entry)> RegisteredEntry(string title)
    {
        var province = await CreateUnit("Tỉnh thử nghiệm", "PROVINCE");
        var commune = await CreateUnit("Xã thử nghiệm", "COMMUNE", province["id"]!.GetValue<string>());
        var editor = EditorOf(commune["id"]!.GetValue<string>());
        var entry = await CreateEntry(editor, commune["id"]!.GetValue<string>(), title);
        entry = await Submit(editor, entry);
        return (province, commune, entry);
    }
}
