using DanVanKheo.Api.Auth;
using DanVanKheo.Api.Common;
using DanVanKheo.Api.Councils;
using DanVanKheo.Api.Entries;
using DanVanKheo.Api.GraphQL;
using DanVanKheo.Api.Live;
using DanVanKheo.Api.Replications;
using DanVanKheo.Api.Reports;
using DanVanKheo.Api.Rounds;
using DanVanKheo.Api.Storage;
using DanVanKheo.Api.Units;

namespace DanVanKheo.Api.Hosting;

/// <summary>
/// The API's services and pipeline, in one place for the process (Program) and for hosts that
/// run it in process beside something else (the GraphQL ÷ raw load bench).
/// </summary>
public static class RegistryApplication
{
    public static WebApplicationBuilder AddRegistry(this WebApplicationBuilder builder)
    {
        builder.WebHost.ConfigureKestrel(k => k.AddServerHeader = false);
        builder.Services
            .AddRegistryCore()
            .AddStorage(builder.Configuration)
            .AddRegistryAuth(builder.Configuration, builder.Environment)
            .AddUnits()
            .AddEntries()
            .AddReplications()
            .AddCouncils()
            .AddRounds()
            .AddReports()
            .AddLiveUpdates(builder.Configuration)
            .AddRegistryGraphQL(builder.Configuration, builder.Environment)
            .AddRegistryCors(builder.Configuration, builder.Environment)
            .AddRegistryForwardedHeaders(builder.Configuration)
            .AddRegistryRateLimits(builder.Configuration)
            .AddSecurityEvents(builder.Configuration)
            .AddRegistryHealth()
            .AddRegistryTelemetry(builder.Configuration);
        return builder;
    }

    /// <summary>Start-up checks (a wrong setting throws <see cref="ConfigurationProblem"/>), then the middleware and endpoints.</summary>
    public static async Task UseRegistryAsync(this WebApplication app)
    {
        await StartupChecks.RunAsync(app.Services);

        app.UseRegistryForwardedHeaders();
        app.UseRegistryLanguages();
        app.UseUnhandledErrors();
        app.UseSecurityHeaders();
        app.UseCors();
        app.UseAuthentication();
        app.UseRateLimiter();
        app.UseWebSockets();
        app.MapRegistryGraphQL();
        app.MapReportExports();
        app.MapRegistryFrontEnd();
        app.MapRegistryHealth();
        app.LogTelemetryTarget();
        app.Lifetime.ApplicationStarted.Register(() =>
            app.Logger.LogInformation("GraphQL endpoint: {Urls}", string.Join(", ", app.Urls.Select(u => u.TrimEnd('/') + "/graphql"))));
    }
}
