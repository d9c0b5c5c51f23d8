using DanVanKheo.Api.Fields;
using DanVanKheo.Api.Storage;
using DanVanKheo.Api.Storage.LiteDb;
using Microsoft.Extensions.Options;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace DanVanKheo.Api.Hosting;

/// <summary>
/// Ready when the configured store answers and has been initialised: the standard fields are
/// written by the start-up initialiser after MongoDB's indexes, so finding them means both.
/// </summary>
public sealed class StoreReadyCheck(IFieldStore fields) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        try
        {
            var standard = (await fields.ListAsync(timeout.Token)).Count(f => f.IsStandard);
            return standard > 0
                ? HealthCheckResult.Healthy("The store answers and is initialised.")
                : HealthCheckResult.Unhealthy("The store answers but is not initialised yet.");
        }
        catch (Exception e)
        {
            // The exception stays in the logs; the probe's answer names no internals.
            return HealthCheckResult.Unhealthy("The store does not answer.", e);
        }
    }
}

/// <summary>
/// Ready when the embedded store's search index has caught up with every committed change (after
/// a missing, corrupt or foreign index is rebuilt in the background, or after a crash) and the
/// report summary is built: until then searches and reports answer from the store, slower, so an
/// orchestrator should not send the instance its share of traffic yet.
/// </summary>
public sealed class SearchIndexReadyCheck(Func<bool> searchIndexReady, Func<bool> reportSummaryBuilt) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default) =>
        Task.FromResult((searchIndexReady(), reportSummaryBuilt()) switch
        {
            (true, true) => HealthCheckResult.Healthy("The search index has caught up and the report summary is built."),
            (false, _) => HealthCheckResult.Unhealthy("The search index is catching up or being rebuilt."),
            _ => HealthCheckResult.Unhealthy("The report summary is being built."),
        });
}

public static class HealthRegistration
{
    public const string Ready = "ready";

    public static IServiceCollection AddRegistryHealth(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddCheck<StoreReadyCheck>("store", tags: [Ready])
            .Add(new HealthCheckRegistration("search", SearchCheck, HealthStatus.Unhealthy, [Ready]));
        return services;
    }

    /// <summary>MongoDB's indexes are created before the standard fields (the store check); the embedded store has its own search index and summary.</summary>
    private static IHealthCheck SearchCheck(IServiceProvider sp)
    {
        if (sp.GetRequiredService<IOptions<StorageOptions>>().Value.UseMongo)
            return new SearchIndexReadyCheck(static () => true, static () => true);
        var db = sp.GetRequiredService<LiteDbContext>();
        var reports = sp.GetRequiredService<LiteDbReportStore>();
        return new SearchIndexReadyCheck(() => db.EntryIndex.IsReady, () => reports.IsBuilt);
    }

    /// <summary>/health/live: the process answers. /health/ready: the store answers and is initialised, its search index and report summary are up to date.</summary>
    public static IEndpointRouteBuilder MapRegistryHealth(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        endpoints.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains(Ready) });
        return endpoints;
    }
}
