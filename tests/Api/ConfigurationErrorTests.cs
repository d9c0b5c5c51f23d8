using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace DanVanKheo.Tests.Api;

/// <summary>The built API started as a process, the way an operator starts it.</summary>
public sealed class ConfigurationErrorTests
{
    private static string ApiDll()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "api", "DanVanKheo.Api.csproj"))) dir = dir.Parent;
        Assert.NotNull(dir);
        // tests/bin/<Configuration>/net10.0/ → api/bin/<Configuration>/net10.0/
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
        var dll = Path.Combine(dir!.FullName, "api", "bin", configuration, "net10.0", "DanVanKheo.Api.dll");
        Assert.True(File.Exists(dll), $"build the API first: {dll}");
        return dll;
    }

    /// <summary>The API started here uses the embedded store unless a case says otherwise, whatever store the test run itself was given.</summary>
    private static void IsolateFromTheTestRun(ProcessStartInfo start)
    {
        foreach (var name in new[] { "MONGODB_URI", "MONGODB_EMULATOR", "ConnectionStrings__Mongo", "DVK_TEST_STORE" })
            start.Environment.Remove(name);
    }

    private static async Task<(int ExitCode, string Output)> Start(Dictionary<string, string> environment, TimeSpan wait)
    {
        var start = new ProcessStartInfo("dotnet", [ApiDll()])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetTempPath(),
        };
        IsolateFromTheTestRun(start);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        start.Environment["Storage__LiteDbPath"] = Path.Combine(Path.GetTempPath(), $"dvk-config-{Guid.NewGuid():N}.db");
        start.Environment["Storage__SeedDemoData"] = "false";
        foreach (var (k, v) in environment) start.Environment[k] = v;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(wait);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new Xunit.Sdk.XunitException($"the API did not stop within {wait}: {await stdout}{await stderr}");
        }
        return (process.ExitCode, await stderr + await stdout);
    }

    public static TheoryData<string, string, string> WrongSettings() => new()
    {
        { "GraphQL__MaxDepth", "abc", "GraphQL:MaxDepth" },
        { "GraphQL__MaxDepth", "1000", "GraphQL:MaxDepth" },
        { "GraphQL__ExecutionTimeout", "forever", "GraphQL:ExecutionTimeout" },
        { "RateLimiting__AnonymousPerMinute", "0", "RateLimiting:AnonymousPerMinute" },
        { "SecurityEvents__FlushInterval", "00:00:00", "SecurityEvents:FlushInterval" },
        { "Storage__MongoDatabase", "bad name!", "Storage:MongoDatabase" },
        { "Proxy__KnownProxies__0", "10.0.0.300", "Proxy:KnownProxies:0" },
        { "Proxy__KnownNetworks__0", "10.0.0.0", "Proxy:KnownNetworks:0" },
        { "Storage__LiteDbPath", "/etc/hostname/sub/danvankheo.db", "Storage:LiteDbPath" },
        { "ConnectionStrings__Mongo", "mongodb://127.0.0.1:1/?connectTimeoutMS=500", "ConnectionStrings:Mongo" },
    };

    [Theory]
    [MemberData(nameof(WrongSettings))]
    public async Task A_wrong_setting_stops_the_API_with_one_line_naming_it_and_exit_code_1(string variable, string value, string setting)
    {
        var (exitCode, output) = await Start(new() { [variable] = value }, TimeSpan.FromSeconds(60));
        Assert.True(exitCode == 1, $"exit code {exitCode}: {output}");
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => l.StartsWith("Configuration error", StringComparison.Ordinal)).ToList();
        var line = Assert.Single(lines);
        Assert.Contains(setting, line);
        Assert.DoesNotContain("   at ", output);
        Assert.DoesNotContain("Unhandled exception", output);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [Fact]
    public async Task A_running_API_sends_security_headers_and_no_server_header()
    {
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet", [ApiDll()]) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetTempPath() };
        IsolateFromTheTestRun(start);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        start.Environment["Storage__LiteDbPath"] = Path.Combine(Path.GetTempPath(), $"dvk-headers-{Guid.NewGuid():N}.db");
        start.Environment["Storage__SeedDemoData"] = "false";
        using var process = Process.Start(start)!;
        _ = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            HttpResponseMessage? live = null;
            for (var i = 0; i < 120 && live is null; i++)
            {
                try { live = await http.GetAsync("/health/live"); }
                catch (HttpRequestException) { await Task.Delay(500); }
            }
            Assert.NotNull(live);
            Assert.Equal(HttpStatusCode.OK, live!.StatusCode);
            Assert.False(live.Headers.Contains("Server"), "Server header sent");
            Assert.Equal("nosniff", live.Headers.GetValues("X-Content-Type-Options").Single());

            using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql")
            {
                Content = new StringContent("{\"query\":\"{ __typename }\"}", System.Text.Encoding.UTF8, "application/json"),
            };
            request.Headers.Authorization = new("Bearer", "not.a.token");
            using var authenticated = await http.SendAsync(request);
            Assert.Equal(HttpStatusCode.Unauthorized, authenticated.StatusCode);
            Assert.True(authenticated.Headers.CacheControl?.NoStore, "no Cache-Control: no-store on an answer to a request with a token");
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }
}
