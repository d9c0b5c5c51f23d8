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

var builder = WebApplication.CreateBuilder(args);

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
    .AddRegistryCors(builder.Configuration, builder.Environment);

var app = builder.Build();

app.UseCors();
app.UseAuthentication();
app.UseWebSockets();
app.MapRegistryGraphQL();
app.MapReportExports();
app.MapRegistryFrontEnd();
app.Lifetime.ApplicationStarted.Register(() =>
    app.Logger.LogInformation("GraphQL endpoint: {Urls}", string.Join(", ", app.Urls.Select(u => u.TrimEnd('/') + "/graphql"))));

app.Run();

public partial class Program;
