using DanVanKheo.Api.Fields;
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

public static class HealthRegistration
{
    public const string Ready = "ready";

    public static IServiceCollection AddRegistryHealth(this IServiceCollection services)
    {
        services.AddHealthChecks().AddCheck<StoreReadyCheck>("store", tags: [Ready]);
        return services;
    }

    /// <summary>/health/live: the process answers. /health/ready: the store answers and is initialised.</summary>
    public static IEndpointRouteBuilder MapRegistryHealth(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        endpoints.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains(Ready) });
        return endpoints;
    }
}
