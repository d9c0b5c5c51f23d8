using System.Diagnostics;
using DanVanKheo.Tests.Infrastructure;

namespace DanVanKheo.Tests.Api;

/// <summary>Runs only where a Docker engine answers (a developer laptop, a CI with Docker); skipped with that reason elsewhere.</summary>
public sealed class DockerFactAttribute : FactAttribute
{
    public DockerFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("DVK_TEST_DOCKER") == "0" || !DockerMongo.DockerLooksReachable())
            Skip = "No Docker engine reachable: the image build runs where one is.";
    }
}

/// <summary>The repository's Dockerfile builds an image that runs as a non-root user.</summary>
public sealed class DockerImageTests
{
    [DockerFact]
    public async Task The_Dockerfile_builds_an_image_that_runs_as_a_non_root_user()
    {
        var tag = "danvankheo-api:test-" + Guid.NewGuid().ToString("N")[..8];
        var (built, buildOutput) = await DockerAsync($"build --tag {tag} .", TimeSpan.FromMinutes(15));
        Assert.True(built == 0, buildOutput);
        try
        {
            var (inspected, user) = await DockerAsync($"image inspect --format {{{{.Config.User}}}} {tag}", TimeSpan.FromMinutes(1));
            Assert.Equal(0, inspected);
            Assert.False(string.IsNullOrWhiteSpace(user), "The image sets no USER: it would run as root.");
            Assert.NotEqual("root", user.Trim());
            Assert.NotEqual("0", user.Trim());
        }
        finally
        {
            await DockerAsync($"image rm --force {tag}", TimeSpan.FromMinutes(1));
        }
    }

    private static async Task<(int ExitCode, string Output)> DockerAsync(string arguments, TimeSpan timeout)
    {
        var start = new ProcessStartInfo("docker", arguments)
        {
            WorkingDirectory = SchemaContractTests.RepoRoot(),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        await process.WaitForExitAsync(cts.Token);
        return (process.ExitCode, await output + await error);
    }
}
