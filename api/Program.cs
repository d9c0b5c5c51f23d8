using DanVanKheo.Api.Auth;
using DanVanKheo.Api.GraphQL;
using DanVanKheo.Api.Hosting;
using DanVanKheo.Api.Reports;
using DanVanKheo.Api.Storage;

var builder = WebApplication.CreateBuilder(args);

builder.Services
    .AddStorage(builder.Configuration)
    .AddRegistryAuth(builder.Configuration, builder.Environment)
    .AddRegistryGraphQL(builder.Configuration, builder.Environment)
    .AddRegistryRateLimits(builder.Configuration)
    .AddSecurityEvents(builder.Configuration)
    .AddRegistryHealth()
    .AddRegistryTelemetry(builder.Configuration);

var app = builder.Build();

app.UseUnhandledErrors();
app.UseAuthentication();
app.UseRateLimiter();
app.MapRegistryGraphQL();
app.MapReportExports();
app.MapRegistryHealth();
app.MapGet("/", () => Results.Redirect("/graphql?query=%7B__typename%7D"));
app.LogTelemetryTarget();
app.Lifetime.ApplicationStarted.Register(() =>
    app.Logger.LogInformation("GraphQL endpoint: {Urls}", string.Join(", ", app.Urls.Select(u => u.TrimEnd('/') + "/graphql"))));

app.Run();

public partial class Program;
