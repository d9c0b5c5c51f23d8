using System.Net.Http.Headers;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace DanVanKheo.Tests.Infrastructure;

/// <summary>
/// The real API over real HTTP (in-memory server) on a store of its own: a fresh temporary LiteDB
/// file, or with DVK_TEST_STORE=mongo a fresh database on MONGODB_URI's server. The store is
/// pinned either way, so a MONGODB_URI in the environment never sends API tests to a shared
/// database. Token validation is configured exactly as `dotnet user-jwts` does it, but with a
/// test signing key.
/// </summary>
public class RegistryApiFactory : WebApplicationFactory<Program>
{
    /// <summary>Which store API tests run on: "litedb" (default) or "mongo" (needs MONGODB_URI).</summary>
    public const string StoreVariable = "DVK_TEST_STORE";

    public static bool OnMongo =>
        string.Equals(Environment.GetEnvironmentVariable(StoreVariable), "mongo", StringComparison.OrdinalIgnoreCase);

    /// <summary>This factory's MongoDB database when <see cref="OnMongo"/>.</summary>
    public string MongoDatabase { get; } = Storage.MongoTestServer.NewDatabaseName("dvk_api");

    public const string Issuer = "danvankheo-tests";
    public const string Audience = "danvankheo-api";
    public static readonly byte[] SigningKey = Encoding.UTF8.GetBytes("test-signing-key-for-danvankheo-0123456789abcdef");

    public string DataFile { get; } = Path.Combine(Path.GetTempPath(), $"dvk-test-{Guid.NewGuid():N}.db");

    protected virtual void AddSettings(IDictionary<string, string?> settings)
    {
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        var settings = new Dictionary<string, string?>
        {
            ["Storage:LiteDbPath"] = DataFile,
            ["Storage:SeedDemoData"] = "false",
            ["ConnectionStrings:Mongo"] = OnMongo ? MongoUri() : "",
            ["MONGODB_URI"] = "",
            ["Storage:MongoDatabase"] = MongoDatabase,
            ["Authentication:Schemes:Bearer:ValidIssuer"] = Issuer,
            ["Authentication:Schemes:Bearer:ValidAudiences:0"] = Audience,
            ["Authentication:Schemes:Bearer:SigningKeys:0:Issuer"] = Issuer,
            ["Authentication:Schemes:Bearer:SigningKeys:0:Value"] = Convert.ToBase64String(SigningKey),
            // Budgets far above what any test sends; rate limiting tests set their own.
            ["RateLimiting:AnonymousPerMinute"] = "10000000",
            ["RateLimiting:AuthenticatedPerMinute"] = "10000000",
            ["RateLimiting:MutationsPerMinute"] = "10000000",
            ["RateLimiting:FailedAuthenticationsPerMinute"] = "10000000",
            // Every refusal stays an individual security event unless a test floods on purpose.
            ["SecurityEvents:DetailedPerClientPerMinute"] = "10000000",
        };
        // The emulator's transactions slow down with the collections' size and with every test class
        // starting at once (docs/mongodb.md): the 10 s per operation that production keeps would cut
        // mutations short there. Tests of the timeout itself set their own.
        if (OnMongo && Storage.MongoTestServer.IsEmulator) settings["GraphQL:ExecutionTimeout"] = "00:02:00";
        AddSettings(settings);
        foreach (var (key, value) in settings) builder.UseSetting(key, value);
    }

    private static string MongoUri() => Storage.MongoTestServer.Uri ??
        throw new InvalidOperationException($"{StoreVariable}=mongo needs MONGODB_URI to name a MongoDB replica set.");

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (OnMongo && Storage.MongoTestServer.Uri is not null)
            Storage.MongoTestServer.DropAsync(MongoDatabase).GetAwaiter().GetResult();
        DeleteTemporary(DataFile, DataFile.Replace(".db", "-log.db"), DanVanKheo.Api.Storage.LiteDb.LiteDbContext.SearchDirectoryOf(DataFile));
    }

    /// <summary>
    /// Best-effort removal of a test's temporary files and folders. The search index's last commit
    /// may still be finishing as the host stops, so a busy folder is retried briefly and then left to
    /// the temp directory rather than failing a test that has already passed.
    /// </summary>
    public static void DeleteTemporary(params string[] paths)
    {
        foreach (var path in paths)
            for (var attempt = 0; attempt < 10; attempt++)
            {
                try
                {
                    if (File.Exists(path)) File.Delete(path);
                    else if (Directory.Exists(path)) Directory.Delete(path, recursive: true);
                    break;
                }
                catch (IOException) when (attempt < 9)
                {
                    Thread.Sleep(200);
                }
                catch (IOException)
                {
                }
            }
    }

    public GraphQLClient Client(string? token = null) => new(CreateClient(), token);

    public static string Token(string subject, string[]? roles = null, string? unitId = null, string? name = null,
        DateTime? expires = null, string issuer = Issuer, string audience = Audience, byte[]? key = null)
    {
        var claims = new List<Claim> { new("sub", subject), new("name", name ?? subject) };
        claims.AddRange((roles ?? []).Select(r => new Claim("role", r)));
        if (unitId is not null) claims.Add(new Claim("unit_id", unitId));
        var now = DateTime.UtcNow;
        var exp = expires ?? now.AddHours(1);
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Subject = new ClaimsIdentity(claims),
            Issuer = issuer,
            Audience = audience,
            NotBefore = exp < now ? exp.AddHours(-2) : now.AddMinutes(-1),
            IssuedAt = exp < now ? exp.AddHours(-2) : now.AddMinutes(-1),
            Expires = exp,
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(key ?? SigningKey), SecurityAlgorithms.HmacSha256),
        });
    }

    public static string AdminToken(string subject = "admin-1") => Token(subject, ["Registry.Admin"]);

    /// <summary><paramref name="unitId"/> is the unit's local id (what the unit_id claim carries).</summary>
    public static string EditorToken(string unitId, string subject = "editor-1") => Token(subject, ["Unit.Editor"], unitId);
}

public sealed record GraphQLResponse(int Status, string ContentType, string Body, JsonNode? Json)
{
    public JsonNode? Data => Json?["data"];
    public JsonArray? Errors => Json?["errors"] as JsonArray;
    public string? FirstErrorCode => Errors?.FirstOrDefault()?["extensions"]?["code"]?.GetValue<string>();

    /// <summary>
    /// Why a request was refused, whichever channel carried it (docs/errors.md): the top-level
    /// code, else the first payload error's code of the first root field that has one.
    /// </summary>
    public string? RefusalCode => FirstErrorCode ?? (Data as JsonObject)?.Select(f => (f.Value?["errors"] as JsonArray)?.FirstOrDefault()?["code"]?.GetValue<string>())
        .FirstOrDefault(c => c is not null);

    public JsonNode At(string path)
    {
        JsonNode? node = Json?["data"];
        foreach (var part in path.Split('.'))
        {
            node = int.TryParse(part, out var i) ? node?[i] : node?[part];
        }
        return node ?? throw new InvalidOperationException($"No value at data.{path} in {Body}");
    }

    public GraphQLResponse AssertNoErrors()
    {
        Assert.True(Errors is null || Errors.Count == 0, $"Unexpected errors: {Body}");
        return this;
    }
}

public sealed class GraphQLClient(HttpClient http, string? token)
{
    public HttpClient Http => http;

    public Task<GraphQLResponse> Run(string query, object? variables = null, string? accept = "application/json") =>
        Send(new { query, variables }, accept);

    public async Task<GraphQLResponse> Send(object body, string? accept = "application/json")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql")
        {
            Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json"),
        };
        return await SendRaw(request, accept);
    }

    public async Task<GraphQLResponse> SendRaw(HttpRequestMessage request, string? accept = "application/json")
    {
        if (accept is not null) request.Headers.TryAddWithoutValidation("Accept", accept);
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        JsonNode? json = null;
        try
        {
            json = text.Length > 0 ? JsonNode.Parse(text) : null;
        }
        catch (JsonException)
        {
        }
        return new GraphQLResponse((int)response.StatusCode, response.Content.Headers.ContentType?.MediaType ?? "", text, json);
    }
}
