using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Text.Json;
using System.Threading.RateLimiting;
using DanVanKheo.Api.Auth;
using DanVanKheo.Api.GraphQL;
using Microsoft.Extensions.Options;

namespace DanVanKheo.Api.Hosting;

public sealed class RateLimitOptions
{
    public const string Section = "RateLimiting";

    /// <summary>Requests per minute from one IP address without a valid token.</summary>
    [Range(1, 10_000_000)]
    public int AnonymousPerMinute { get; set; } = 300;

    /// <summary>Requests per minute from one signed-in subject.</summary>
    [Range(1, 10_000_000)]
    public int AuthenticatedPerMinute { get; set; } = 1_200;

    /// <summary>Mutation operations per minute from one signed-in subject (on top of the request budget).</summary>
    [Range(1, 10_000_000)]
    public int MutationsPerMinute { get; set; } = 120;

    /// <summary>Requests with an invalid or expired token per minute from one IP address.</summary>
    [Range(1, 10_000_000)]
    public int FailedAuthenticationsPerMinute { get; set; } = 20;
}

/// <summary>Who a request counts against: the token's subject when it has one, else the client's IP address.</summary>
public static class ClientKey
{
    public static string Of(HttpContext http) => Caller.From(http.User) is { IsAuthenticated: true } caller
        ? "sub:" + caller.Id
        : IpOf(http);

    /// <summary>For transports that authenticate after the request (a WebSocket's connection_init).</summary>
    public static string Of(HttpContext http, Caller caller) => caller.IsAuthenticated ? "sub:" + caller.Id : IpOf(http);

    public static string IpOf(HttpContext http) => "ip:" + (http.Connection.RemoteIpAddress?.ToString() ?? "unknown");
}

/// <summary>
/// The budgets that need more than the HTTP request to apply (ASP.NET Core's rate limiter
/// middleware covers the per-request budget): mutations per subject, and failed token
/// validations per IP. One instance per application, owned by the container.
/// </summary>
public sealed class RegistryRateLimiters : IDisposable
{
    private readonly PartitionedRateLimiter<string> _mutations;
    private readonly PartitionedRateLimiter<string> _failedAuthentications;

    public RegistryRateLimiters(IOptions<RateLimitOptions> options)
    {
        var o = options.Value;
        _mutations = PerMinute(o.MutationsPerMinute);
        _failedAuthentications = PerMinute(o.FailedAuthenticationsPerMinute);
    }

    internal static PartitionedRateLimiter<string> PerMinute(int permits) =>
        PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetFixedWindowLimiter(key, _ => Window(permits)));

    internal static FixedWindowRateLimiterOptions Window(int permits) => new()
    {
        PermitLimit = permits,
        Window = TimeSpan.FromMinutes(1),
        QueueLimit = 0,
        AutoReplenishment = true,
    };

    /// <returns>Null when allowed, else how long to wait.</returns>
    public TimeSpan? TryMutation(string subject) => Acquire(_mutations, "sub:" + subject);

    public TimeSpan? TryFailedAuthentication(HttpContext http) => Acquire(_failedAuthentications, ClientKey.IpOf(http));

    private static TimeSpan? Acquire(PartitionedRateLimiter<string> limiter, string key)
    {
        using var lease = limiter.AttemptAcquire(key);
        if (lease.IsAcquired) return null;
        return lease.TryGetMetadata(MetadataName.RetryAfter, out var retry) ? retry : TimeSpan.FromMinutes(1);
    }

    public void Dispose()
    {
        _mutations.Dispose();
        _failedAuthentications.Dispose();
    }
}

public static class RateLimitRegistration
{
    public const string RateLimited = "RATE_LIMITED";

    public static IServiceCollection AddRegistryRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RateLimitOptions>()
            .Bind(configuration.GetSection(RateLimitOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<RegistryRateLimiters>();
        services.AddRateLimiter(_ => { });
        services.AddOptions<Microsoft.AspNetCore.RateLimiting.RateLimiterOptions>()
            .Configure<IOptions<RateLimitOptions>>((limiter, limits) =>
            {
                var o = limits.Value;
                limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
                limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http =>
                {
                    // Probes from the orchestrator are never throttled.
                    if (http.Request.Path.StartsWithSegments("/health")) return RateLimitPartition.GetNoLimiter("health");
                    var key = ClientKey.Of(http);
                    var permits = key.StartsWith("sub:", StringComparison.Ordinal) ? o.AuthenticatedPerMinute : o.AnonymousPerMinute;
                    return RateLimitPartition.GetFixedWindowLimiter(key, _ => RegistryRateLimiters.Window(permits));
                });
                limiter.OnRejected = (context, ct) =>
                {
                    var retry = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var r) ? r : TimeSpan.FromMinutes(1);
                    var http = context.HttpContext;
                    http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("DanVanKheo.RateLimiting")
                        .LogInformation("Refused request {RequestId} from {Client}: {Reason}", http.TraceIdentifier, ClientKey.Of(http), "request budget exhausted");
                    return new ValueTask(WriteAsync(http, retry, "Too many requests; try again later.", ct));
                };
            });
        return services;
    }

    /// <summary>429 with Retry-After (whole seconds) and a GraphQL-shaped error coded RATE_LIMITED.</summary>
    public static async Task WriteAsync(HttpContext http, TimeSpan retryAfter, string message, CancellationToken ct)
    {
        http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        SetRetryAfter(http, retryAfter);
        http.Response.ContentType = "application/json; charset=utf-8";
        await JsonSerializer.SerializeAsync(http.Response.Body,
            new { errors = new[] { new { message, extensions = new { code = RateLimited } } } }, cancellationToken: ct);
    }

    public static void SetRetryAfter(HttpContext http, TimeSpan retryAfter) =>
        http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
}
