using DanVanKheo.Api.Auth;
using DanVanKheo.Api.Common;
using DanVanKheo.Api.Councils;
using DanVanKheo.Api.Entries;
using DanVanKheo.Api.GraphQL;
using DanVanKheo.Api.Hosting;
using DanVanKheo.Api.Live;
using DanVanKheo.Api.Replications;
using DanVanKheo.Api.Reports;
using DanVanKheo.Api.Rounds;
using DanVanKheo.Api.Storage;
using DanVanKheo.Api.Units;

try
{
    var builder = WebApplication.CreateBuilder(args);
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
        .AddRegistryRateLimits(builder.Configuration)
        .AddSecurityEvents(builder.Configuration)
        .AddRegistryHealth()
        .AddRegistryTelemetry(builder.Configuration);

    var app = builder.Build();
    await StartupChecks.RunAsync(app.Services);

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

    await app.RunAsync();
    return 0;
}
catch (Exception e) when (e is not HostAbortedException && System.Reflection.Assembly.GetEntryAssembly() == typeof(Program).Assembly)
{
    // A wrong setting or an unreachable store: one line naming it, exit code 1, no stack trace.
    // Only when the API is the process; in-process test hosts get the exception itself.
    Console.Error.WriteLine(StartupChecks.Describe(e));
    return 1;
}

public partial class Program;
