namespace DanVanKheo.Seed;

/// <summary>Entry point of `dotnet run --project seed`. Not top-level statements: tests reference both this and the API, which owns `Program`.</summary>
public static class SeedProgram
{
    public static Task<int> Main(string[] args) => SeedCli.RunAsync(args);
}
