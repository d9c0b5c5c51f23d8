using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace DanVanKheo.Api.Live;

/// <summary>Open live connections (WebSocket or SSE) per caller, counted by a partitioned concurrency limiter.</summary>
public sealed class LiveConnectionLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter;

    public LiveConnectionLimiter(IOptions<LiveOptions> options)
    {
        var permits = options.Value.MaxConnectionsPerCaller;
        _limiter = PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetConcurrencyLimiter(key,
            _ => new ConcurrencyLimiterOptions { PermitLimit = permits, QueueLimit = 0 }));
    }

    /// <summary>A lease to dispose when the connection ends; not acquired when the caller holds too many.</summary>
    public RateLimitLease TryAcquire(string callerKey) => _limiter.AttemptAcquire(callerKey);

    public static string KeyOf(HttpContext http, Auth.Caller caller) =>
        caller.Id is { } id ? "user:" + id : "ip:" + (http.Connection.RemoteIpAddress?.ToString() ?? "unknown");

    public void Dispose() => _limiter.Dispose();
}
