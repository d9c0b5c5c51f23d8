using System.Diagnostics;
using DanVanKheo.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace DanVanKheo.Tests.Api.FrontEnd;

/// <summary>The real API on a real socket (Kestrel on a free port), for tools that run outside the test process.</summary>
public class KestrelApiFactory : RegistryApiFactory
{
    public KestrelApiFactory()
    {
        UseKestrel(0);
        StartServer();
        var addresses = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        BaseUrl = addresses.First().Replace("[::]", "localhost").Replace("0.0.0.0", "localhost").TrimEnd('/');
    }

    public string BaseUrl { get; }
}

public sealed record ProcessResult(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
}

/// <summary>
/// Runs the Node scripts of tests/Api/js (graphql-js, playwright-core). Their packages are pinned
/// in package-lock.json; .ci/run installs them, and a missing install is done here once.
/// </summary>
public static class NodeTools
{
    public static string JsDir => Path.Combine(SchemaContractTests.RepoRoot(), "tests", "Api", "js");

    private static readonly SemaphoreSlim InstallGate = new(1, 1);

    public static async Task<ProcessResult> RunScript(string script, params string[] args)
    {
        await EnsureInstalled(JsDir);
        return await Run("node", JsDir, TimeSpan.FromMinutes(3), [Path.Combine(JsDir, script), .. args]);
    }

    public static async Task EnsureInstalled(string dir)
    {
        await InstallGate.WaitAsync();
        try
        {
            if (File.Exists(Path.Combine(dir, "node_modules", ".package-lock.json"))) return;
            var r = await Run("npm", dir, TimeSpan.FromMinutes(8), ["ci", "--no-audit", "--no-fund"]);
            Assert.True(r.ExitCode == 0, $"npm ci in {dir} failed: {r}");
        }
        finally
        {
            InstallGate.Release();
        }
    }

    public static async Task<ProcessResult> Run(string file, string workingDirectory, TimeSpan timeout, IEnumerable<string> args,
        IDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(file)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args) start.ArgumentList.Add(a);
        foreach (var (k, v) in environment ?? new Dictionary<string, string>()) start.Environment[k] = v;
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {file}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish within {timeout}.");
        }
        return new ProcessResult(process.ExitCode, await stdout, await stderr);
    }
}
