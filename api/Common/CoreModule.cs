using DanVanKheo.Api.Audit;
using DanVanKheo.Api.Auth;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace DanVanKheo.Api.Common;

public static class CoreModule
{
    /// <summary>What every use case runs with: the clock, the request (caller, denials), its audit scope and the authorizer.</summary>
    public static IServiceCollection AddRegistryCore(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<RegistryClock>();
        services.AddMetrics();
        services.AddSingleton<RegistryMetrics>();
        services.AddScoped<RequestContext>();
        services.AddScoped<AuditContext>();
        services.AddScoped<Authorizer>();
        return services;
    }
}
