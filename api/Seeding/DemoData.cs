using DanVanKheo.Seed.Generation;

namespace DanVanKheo.Api.Seeding;

/// <summary>Loads the small deterministic demo dataset: a short run of the seed generator.</summary>
public static class DemoData
{
    public static async Task<string> LoadAsync(IServiceProvider services, CancellationToken ct)
    {
        var summary = await new SeedGenerator(SeedOptions.Demo).RunAsync(services, progress: null, ct);
        return summary.ToString();
    }
}
