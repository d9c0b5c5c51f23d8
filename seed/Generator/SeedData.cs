using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace DanVanKheo.Seed.Generation;

/// <summary>The embedded JSON files under seed/data: real names and text templates.</summary>
internal sealed class SeedData
{
    public required OrganisationData Organisation { get; init; }
    public required NationalData National { get; init; }
    public required TemplateData Templates { get; init; }

    private static readonly Lazy<SeedData> Embedded = new(() => new SeedData
    {
        Organisation = Read<OrganisationData>("kien-giang.json"),
        National = Read<NationalData>("vietnam-2025.json"),
        Templates = Read<TemplateData>("entry-templates.json"),
    });

    public static SeedData Load() => Embedded.Value;

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip,
    };

    private static T Read<T>(string file)
    {
        var name = "DanVanKheo.Seed.Data." + file;
        using var stream = typeof(SeedData).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException(
                $"Embedded seed data '{name}' is missing from {typeof(SeedData).Assembly.GetName().Name}.");
        return JsonSerializer.Deserialize<T>(stream, Json)
            ?? throw new InvalidOperationException($"Embedded seed data '{name}' is empty.");
    }
}

internal sealed class CodeName
{
    public string Code { get; init; } = "";
    public string Name { get; init; } = "";
}

internal sealed class SucceededUnit
{
    public string Code { get; init; } = "";
    public string Name { get; init; } = "";
    public List<string> Successors { get; init; } = [];
}

internal sealed class DistrictData
{
    public string Code { get; init; } = "";
    public string Name { get; init; } = "";
    public List<SucceededUnit> Communes { get; init; } = [];
}

internal sealed class OrganisationData
{
    public string EffectiveDate { get; init; } = "";
    public CodeName Province { get; init; } = new();
    public List<SucceededUnit> Departments { get; init; } = [];
    public List<DistrictData> Districts { get; init; } = [];
    public List<CodeName> MergedProvinces { get; init; } = [];
    public CodeName SuccessorProvince { get; init; } = new();
    public List<CodeName> SuccessorDepartments { get; init; } = [];
    public List<CodeName> SuccessorCommunes { get; init; } = [];
    public List<CodeName> OtherSuccessorCommunes { get; init; } = [];

    public DateOnly Effective => DateOnly.ParseExact(EffectiveDate, "yyyy-MM-dd", CultureInfo.InvariantCulture);
}

internal sealed class NationalProvince
{
    public string Code { get; init; } = "";
    public string Name { get; init; } = "";
    public int Communes { get; init; }
}

internal sealed class NationalData
{
    public List<NationalProvince> Provinces { get; init; } = [];
    public string RealProvince { get; init; } = "";
    public double WardShare { get; init; }
    public List<string> NameFirst { get; init; } = [];
    public List<string> NameSecond { get; init; } = [];
    public List<CodeName> Departments { get; init; } = [];
}

internal sealed class TextTemplate
{
    [JsonPropertyName("t")] public string Text { get; init; } = "";
    /// <summary>Outcome figures that fit: h households, p people, m money, l land, w workdays.</summary>
    [JsonPropertyName("m")] public string Metrics { get; init; } = "";
    public List<string> Tags { get; init; } = [];

    public bool NeedsHamlet => Text.Contains("{hamlet}", StringComparison.Ordinal);
}

internal sealed class FieldTemplates
{
    public List<TextTemplate> Models { get; init; } = [];
    public List<TextTemplate> Cores { get; init; } = [];
}

internal sealed class TemplateData
{
    /// <summary>By standard field code.</summary>
    public Dictionary<string, FieldTemplates> Fields { get; init; } = [];
    public List<string> Orgs { get; init; } = [];
    public List<string> OfficeOrgs { get; init; } = [];
    /// <summary>Evidence link title and file name; {year} is replaced.</summary>
    public List<List<string>> Evidence { get; init; } = [];
    public List<string> Collectives { get; init; } = [];
    public List<string> OfficeCollectives { get; init; } = [];
    public List<string> CommunePositions { get; init; } = [];
    public List<string> OfficePositions { get; init; } = [];
    public List<string> Hamlets { get; init; } = [];
    /// <summary>Surname and its relative frequency.</summary>
    public List<JsonElement> Surnames { get; init; } = [];
    public List<string> MaleMiddle { get; init; } = [];
    public List<string> FemaleMiddle { get; init; } = [];
    public List<string> MaleGiven { get; init; } = [];
    public List<string> FemaleGiven { get; init; } = [];
    public List<string> Openers { get; init; } = [];
    public List<string> Methods { get; init; } = [];
    public List<string> Closers { get; init; } = [];
    public List<string> DiscontinuedReasons { get; init; } = [];
}
