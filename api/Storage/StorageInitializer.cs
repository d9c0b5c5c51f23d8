using DanVanKheo.Api.Fields;
using DanVanKheo.Api.Seeding;
using DanVanKheo.Api.Storage.Mongo;
using DanVanKheo.Api.Units;
using Microsoft.Extensions.Options;

namespace DanVanKheo.Api.Storage;

/// <summary>On start: logs the chosen store, refuses a MongoDB that is unreachable or not a replica set, creates its indexes, adds the standard fields, loads demo data into an empty store.</summary>
public sealed class StorageInitializer(
    IServiceProvider services,
    IOptions<StorageOptions> options,
    ILogger<StorageInitializer> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken ct)
    {
        var o = options.Value;
        if (o.UseMongo)
        {
            logger.LogInformation("Storage: MongoDB database {Database}", o.MongoDatabase);
            var mongo = services.GetRequiredService<MongoContext>();
            try
            {
                await mongo.CheckDeploymentAsync(ct);
            }
            catch (MongoDeploymentException e)
            {
                // One line an operator can act on; the host then stops.
                logger.LogCritical("{Problem}", e.Message);
                throw;
            }
            await mongo.EnsureIndexesAsync(logger, ct);
        }
        else
            logger.LogInformation("Storage: embedded LiteDB file {Path}", Path.GetFullPath(o.LiteDbPath));

        await services.GetRequiredService<IFieldStore>().EnsureStandardAsync(ct);
        if (o.SeedDemoData && await services.GetRequiredService<IUnitStore>().CountAsync(ct) == 0)
        {
            var summary = await DemoData.LoadAsync(services, ct);
            logger.LogInformation("Empty store: loaded the demo dataset ({Summary})", summary);
        }
        if (!o.UseMongo)
        {
            // Build the embedded store's search index and bring the report summary up to date now,
            // rather than on the first search or report (seconds for 200,000 entries).
            var db = services.GetRequiredService<LiteDb.LiteDbContext>();
            var reports = services.GetRequiredService<LiteDb.LiteDbReportStore>();
            _ = Task.Run(() =>
            {
                try
                {
                    db.EntrySearch.EnsureBuilt();
                    reports.Refresh();
                }
                catch (Exception e)
                {
                    logger.LogWarning(e, "Warm-up of the search index or report summary failed; the first query will do it");
                }
            }, CancellationToken.None);
        }
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}
