using System.Text.Json;

namespace DanVanKheo.Api.GraphQL;

/// <summary>Subresource integrity of the CDN modules the IDE page loads when no bundle was built (api/ide/cdn-integrity.json).</summary>
public static class CdnIntegrity
{
    public static IReadOnlyDictionary<string, string> Load()
    {
        using var stream = typeof(CdnIntegrity).Assembly.GetManifestResourceStream("DanVanKheo.Ide.cdn-integrity.json");
        return stream is null ? new Dictionary<string, string>() : JsonSerializer.Deserialize<Dictionary<string, string>>(stream) ?? [];
    }
}
