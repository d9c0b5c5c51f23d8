using System.Diagnostics;
using System.Text.Json.Nodes;
using DanVanKheo.Api.Storage;
using DanVanKheo.Seed;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace DanVanKheo.Tests.Storage;

/// <summary>The seed CLI and the API find the same default store, whatever folder each is started from.</summary>
public sealed class DefaultStorePathTests
{
    [Fact]
    public void The_default_is_one_absolute_path_in_the_user_data_folder_or_none()
    {
        var home = Path.Combine(Path.GetTempPath(), "nguoi-dung");
        Assert.Equal(Path.Combine(home, "danvankheo", "danvankheo.db"), StorageOptions.DefaultLiteDbPathIn(home));
        Assert.Equal("", StorageOptions.DefaultLiteDbPathIn("relative/share"));
        Assert.Equal("", StorageOptions.DefaultLiteDbPathIn(""));
        Assert.Equal("", StorageOptions.DefaultLiteDbPathIn(null));
        Assert.True(Path.IsPathRooted(StorageOptions.DefaultLiteDbPath), StorageOptions.DefaultLiteDbPath);
    }

    [Fact]
    public void The_API_without_a_setting_and_the_seed_without_store_name_the_same_file()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection([]).Build();
        using var services = new ServiceCollection().AddStorage(configuration).BuildServiceProvider();
        var api = services.GetRequiredService<IOptions<StorageOptions>>().Value.LiteDbPath;

        var seed = SeedCommand.Parse([]).Store;

        Assert.Equal(StoreKind.LiteDb, seed.Kind);
        Assert.Equal(api, seed.Location);
        Assert.Equal(StorageOptions.DefaultLiteDbPath, api);
        Assert.Contains(api, SeedCommand.HelpText);
    }

    [Fact]
    public async Task What_the_seed_CLI_writes_from_one_folder_the_API_started_from_another_serves()
    {
        var root = Path.Combine(Path.GetTempPath(), $"dvk-default-store-{Guid.NewGuid():N}");
        var dataHome = Directory.CreateDirectory(Path.Combine(root, "share")).FullName;
        var seedFolder = Directory.CreateDirectory(Path.Combine(root, "seed-cwd")).FullName;
        var apiFolder = Directory.CreateDirectory(Path.Combine(root, "api-cwd")).FullName;
        try
        {
            using var seed = Start(Built("seed", "DanVanKheo.Seed.dll"), seedFolder, dataHome, 0, "--entries", "30", "--seed", "7");
            var seedOutput = await seed.StandardOutput.ReadToEndAsync() + await seed.StandardError.ReadToEndAsync();
            await seed.WaitForExitAsync();
            Assert.True(seed.ExitCode == 0, seedOutput);
            Assert.True(File.Exists(Path.Combine(dataHome, "danvankheo", "danvankheo.db")), seedOutput);
            Assert.False(Directory.Exists(Path.Combine(seedFolder, "data")));

            // Port 0: the API picks a free port and says which; a port chosen here could be taken meanwhile.
            using var api = Start(Built("api", "DanVanKheo.Api.dll"), apiFolder, dataHome, 0);
            var listening = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            var output = new System.Text.StringBuilder();
            api.OutputDataReceived += (_, e) =>
            {
                if (e.Data is null) return;
                lock (output) output.AppendLine(e.Data);
                if (e.Data.Contains("Now listening on: ", StringComparison.Ordinal))
                    listening.TrySetResult(e.Data[(e.Data.IndexOf("Now listening on: ", StringComparison.Ordinal) + "Now listening on: ".Length)..].Trim());
            };
            api.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
            api.BeginOutputReadLine();
            api.BeginErrorReadLine();
            try
            {
                string url;
                try
                {
                    url = await listening.Task.WaitAsync(TimeSpan.FromMinutes(2));
                }
                catch (TimeoutException)
                {
                    lock (output) throw new Xunit.Sdk.XunitException("the API did not start listening: " + output);
                }
                using var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromMinutes(1) };
                using var response = await http.PostAsync("/graphql", new StringContent(
                    """{"query":"{ units(first: 1) { totalCount } }"}""", System.Text.Encoding.UTF8, "application/json"));
                var text = await response.Content.ReadAsStringAsync();
                var answer = JsonNode.Parse(text);
                Assert.True(answer?["data"]?["units"]?["totalCount"]?.GetValue<int>() > 0, text);
                Assert.False(Directory.Exists(Path.Combine(apiFolder, "data")));
            }
            finally
            {
                api.Kill(entireProcessTree: true);
                await api.WaitForExitAsync();
            }
        }
        finally
        {
            Infrastructure.RegistryApiFactory.DeleteTemporary(root);
        }
    }

    private static Process Start(string dll, string workingDirectory, string dataHome, int port, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet", [dll, .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory,
        };
        // Nothing of the test run's own store settings: the default store is what is under test.
        foreach (var name in new[] { "MONGODB_URI", "MONGODB_EMULATOR", "ConnectionStrings__Mongo", "DVK_TEST_STORE", "Storage__LiteDbPath" })
            start.Environment.Remove(name);
        start.Environment["XDG_DATA_HOME"] = dataHome;
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        start.Environment["Storage__SeedDemoData"] = "false";
        return Process.Start(start)!;
    }

    /// <summary>tests/bin/&lt;Configuration&gt;/net10.0/ → &lt;project&gt;/bin/&lt;Configuration&gt;/net10.0/&lt;dll&gt;.</summary>
    private static string Built(string project, string dll)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "DanVanKheo.sln"))) dir = dir.Parent;
        Assert.NotNull(dir);
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
        var path = Path.Combine(dir!.FullName, project, "bin", configuration, "net10.0", dll);
        Assert.True(File.Exists(path), $"build it first: {path}");
        return path;
    }
}
