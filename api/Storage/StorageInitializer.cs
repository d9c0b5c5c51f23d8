using DanVanKheo.Api.Entries;
using DanVanKheo.Api.Fields;
using DanVanKheo.Api.Seeding;
using DanVanKheo.Api.Storage.Mongo;
using DanVanKheo.Api.Units;
using Microsoft.Extensions.Options;

namespace DanVanKheo.Api.Storage;

/// <summary>On start: logs the chosen store, creates MongoDB's indexes (and its report summary if missing), adds the standard fields, migrates drafts' codes, loads demo data into an empty store.</summary>
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
            // Reachability and the replica set were checked before the host started (Hosting/StartupChecks).
            await services.GetRequiredService<MongoContext>().PrepareAsync(logger, ct);
        }
        else
            logger.LogInformation("Storage: embedded LiteDB file {Path}", Path.GetFullPath(o.LiteDbPath));

        await services.GetRequiredService<IFieldStore>().EnsureStandardAsync(ct);
        // Codes are reserved at registration: drafts stored before that give theirs up (docs/decisions.md).
        var withdrawn = await services.GetRequiredService<IEntryStore>().WithdrawDraftCodesAsync(ct);
        if (withdrawn > 0) logger.LogInformation("Migration: {Count} drafts gave up the codes reserved at their creation", withdrawn);
        // Title keys written before the Vietnamese collation (or by another ICU version): rewritten
        // in the background; until then those entries sort after the others by title.
        var entries = services.GetRequiredService<IEntryStore>();
        _ = Task.Run(async () =>
        {
            try
            {
                var rewritten = await EntryTitleKeys.BackfillAsync(entries, CancellationToken.None);
                if (rewritten > 0) logger.LogInformation("Title sort keys: {Count} entries moved to the Vietnamese collation", rewritten);
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Rewriting stale title sort keys failed; it is retried at the next start");
            }
        }, CancellationToken.None);
        if (o.SeedDemoData && await services.GetRequiredService<IUnitStore>().CountAsync(ct) == 0)
        {
            var summary = await DemoData.LoadAsync(services, ct);
            logger.LogInformation("Empty store: loaded the demo dataset ({Summary})", summary);
        }
        if (!o.UseMongo)
        {
            // The search index catches up by itself in the background from the moment the file opens
            // (searches read the store meanwhile); the report summary is brought up to date now
            // rather than on the first report.
            var db = services.GetRequiredService<LiteDb.LiteDbContext>();
            var startup = db.EntryIndex.Startup;
            logger.LogInformation("Search index: {Mode} from change {Sequence} ({Reason})",
                startup.Rebuild ? "rebuilding" : "catching up", startup.FromSequence, startup.Reason);
            var reports = services.GetRequiredService<LiteDb.LiteDbReportStore>();
            _ = Task.Run(() =>
            {
                try
                {
                    var clock = System.Diagnostics.Stopwatch.StartNew();
                    var applied = reports.Refresh();
                    logger.LogInformation("Report summary {State}: {Count} entries applied in {Seconds:0.0} s",
                        reports.IsBuilt ? "up to date" : "build interrupted", applied, clock.Elapsed.TotalSeconds);
                }
                catch (Exception e)
                {
                    logger.LogWarning(e, "Warm-up of the report summary failed; the first report will do it");
                }
            }, CancellationToken.None);
        }
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}
