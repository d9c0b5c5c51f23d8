using Testcontainers.MongoDb;

namespace DanVanKheo.Tests.Infrastructure;

/// <summary>
/// A real MongoDB 8 single-node replica set in Docker, for the Mongo suites when MONGODB_URI is
/// not set and a Docker engine is reachable (a developer laptop, a CI with Docker). Chosen only
/// when Docker answers; DVK_TEST_DOCKER=0 turns it off. One container per test run.
/// </summary>
public static class DockerMongo
{
    public const string Image = "mongo:8.0";

    /// <summary>The container's connection string, or null when there is no Docker engine to start one on.</summary>
    public static string? TryStart()
    {
        if (Environment.GetEnvironmentVariable("DVK_TEST_DOCKER") == "0" || !DockerLooksReachable()) return null;
        try
        {
            var started = new MongoDbBuilder(Image).WithReplicaSet("rs0").Build();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
            started.StartAsync(timeout.Token).GetAwaiter().GetResult();
            AppDomain.CurrentDomain.ProcessExit += (_, _) => started.DisposeAsync().AsTask().GetAwaiter().GetResult();
            var uri = started.GetConnectionString();
            return uri + (uri.Contains('?') ? "&" : "?") + "directConnection=true";
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Console.Error.WriteLine($"Docker is there but MongoDB did not start in it ({e.Message}); the Mongo suites are skipped.");
            return null;
        }
    }

    /// <summary>A cheap look before Testcontainers' own discovery, so machines without Docker pay nothing.</summary>
    public static bool DockerLooksReachable() =>
        Environment.GetEnvironmentVariable("DOCKER_HOST") is { Length: > 0 } ||
        File.Exists("/var/run/docker.sock") ||
        File.Exists(Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".docker", "run", "docker.sock"));
}
