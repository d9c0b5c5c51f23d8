using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace DanVanKheo.Bench;

/// <summary>
/// The API started as its own process (Release build, Production settings) on a given LiteDB
/// file, with a bench signing key and the rate limits lifted; times when it listens and reads its RSS.
/// </summary>
public sealed class ApiProcess : IAsyncDisposable
{
    internal const string Issuer = "danvankheo-bench";
    internal const string Audience = "danvankheo-api";
    internal static readonly byte[] Key = Encoding.UTF8.GetBytes("bench-signing-key-for-danvankheo-0123456789abcdef");

    private readonly Process _process;
    public HttpClient Http { get; }
    private HttpClient _anonymous = null!;
    /// <summary>From starting the process to its first answer on /graphql.</summary>
    public TimeSpan Listening { get; private set; }
    public Stopwatch SinceStart { get; } = new();
    private readonly StringBuilder _log = new();

    private ApiProcess(Process process, HttpClient http)
    {
        _process = process;
        Http = http;
    }

    public static async Task<ApiProcess> StartAsync(string file, IReadOnlyDictionary<string, string>? settings = null)
    {
        var dll = Path.Combine(RepoRoot(), "api", "bin", "Release", "net10.0", "DanVanKheo.Api.dll");
        if (!File.Exists(dll)) throw new FileNotFoundException($"{dll} not found: build the API with -c Release first.");
        var port = FreePort();
        var psi = new ProcessStartInfo("dotnet", [dll, "--urls", $"http://127.0.0.1:{port}"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        psi.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        psi.Environment["Storage__LiteDbPath"] = file;
        psi.Environment["Storage__SeedDemoData"] = "false";
        psi.Environment["Authentication__Schemes__Bearer__ValidIssuer"] = Issuer;
        psi.Environment["Authentication__Schemes__Bearer__ValidAudiences__0"] = Audience;
        psi.Environment["Authentication__Schemes__Bearer__SigningKeys__0__Issuer"] = Issuer;
        psi.Environment["Authentication__Schemes__Bearer__SigningKeys__0__Value"] = Convert.ToBase64String(Key);
        psi.Environment["RateLimiting__AuthenticatedPerMinute"] = "10000000";
        psi.Environment["RateLimiting__MutationsPerMinute"] = "10000000";
        psi.Environment["RateLimiting__AnonymousPerMinute"] = "10000000";
        psi.Environment["Logging__LogLevel__Default"] = "Information";
        // Production accepts only the trusted documents by default; the benches send their own.
        psi.Environment["GraphQL__TrustedDocumentsOnly"] = "false";
        foreach (var (k, v) in settings ?? new Dictionary<string, string>()) psi.Environment[k] = v;
        var sw = Stopwatch.StartNew();
        var process = Process.Start(psi)!;
        var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromMinutes(10) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token("bench-admin", ["Registry.Admin"]));
        var api = new ApiProcess(process, http) { _anonymous = new HttpClient { BaseAddress = http.BaseAddress, Timeout = TimeSpan.FromMinutes(10) } };
        api.SinceStart.Start();
        process.OutputDataReceived += (_, e) => api.Append(e.Data);
        process.ErrorDataReceived += (_, e) => api.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        for (var i = 0; i < 3000 && !process.HasExited; i++)
        {
            try
            {
                var r = await http.PostAsync("/graphql", Json(new { query = "{ __typename }" }));
                if (r.StatusCode == HttpStatusCode.OK)
                {
                    api.Listening = sw.Elapsed;
                    return api;
                }
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(20);
        }
        await api.DisposeAsync();
        throw new TimeoutException("The API did not start:\n" + api.Log);
    }

    private TimeSpan? _indexReady, _summaryReady;

    /// <summary>When both the search index and the report summary logged that they were up to date.</summary>
    public TimeSpan? ReadyAt
    {
        get
        {
            lock (_log) return _indexReady is { } a && _summaryReady is { } b ? (a > b ? a : b) : null;
        }
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_log)
        {
            _log.AppendLine(line);
            if (line.Contains("Search index ready", StringComparison.Ordinal)) _indexReady ??= SinceStart.Elapsed;
            if (line.Contains("Report summary up to date", StringComparison.Ordinal)) _summaryReady ??= SinceStart.Elapsed;
        }
    }

    public string Log
    {
        get
        {
            lock (_log) return _log.ToString();
        }
    }

    /// <summary>The process's resident set now and at its peak (Linux), in MiB.</summary>
    public (double Now, double Peak) Rss()
    {
        var status = File.ReadAllLines($"/proc/{_process.Id}/status");
        double Kb(string key) => status.Where(l => l.StartsWith(key, StringComparison.Ordinal))
            .Select(l => double.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) / 1024).FirstOrDefault();
        return (Kb("VmRSS:"), Kb("VmHWM:"));
    }

    public async Task<JsonNode> PostAsync(string query, object? variables = null, bool anonymous = false)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = Json(new { query, variables }) };
        if (anonymous) request.Headers.Authorization = null;
        else request.Headers.Authorization = Http.DefaultRequestHeaders.Authorization;
        var response = await _anonymous.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var node = JsonNode.Parse(text)!;
        if (node["errors"] is not null || !response.IsSuccessStatusCode) throw new InvalidOperationException(text);
        return node["data"]!;
    }

    public static StringContent Json(object body) => new(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
        Http.Dispose();
        _anonymous.Dispose();
    }

    internal static string Token(string subject, string[] roles)
    {
        var claims = new List<Claim> { new("sub", subject), new("name", subject) };
        claims.AddRange(roles.Select(r => new Claim("role", r)));
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Subject = new ClaimsIdentity(claims),
            Issuer = Issuer,
            Audience = Audience,
            Expires = DateTime.UtcNow.AddHours(2),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Key), SecurityAlgorithms.HmacSha256),
        });
    }

    internal static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    internal static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "DanVanKheo.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("DanVanKheo.sln not found above " + AppContext.BaseDirectory);
    }
}
