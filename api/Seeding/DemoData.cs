namespace DanVanKheo.Api.Seeding;

/// <summary>Loads the small deterministic demo dataset (placeholder until the seed generator lands).</summary>
public static class DemoData
{
    public static Task<string> LoadAsync(IServiceProvider services, CancellationToken ct) =>
        Task.FromResult("no demo data yet");
}
