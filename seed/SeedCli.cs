using System.Diagnostics;
using System.Globalization;
using DanVanKheo.Api.Common;
using DanVanKheo.Api.Entries;
using DanVanKheo.Api.Fields;
using DanVanKheo.Api.Storage;
using DanVanKheo.Api.Storage.LiteDb;
using DanVanKheo.Api.Storage.Mongo;
using DanVanKheo.Api.Units;
using DanVanKheo.Seed.Generation;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MongoDB.Bson;
using MongoDB.Driver;
using Spectre.Console;

namespace DanVanKheo.Seed;

public static class SeedCli
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int BadArguments = 2;
    public const int Cancelled = 130;

    public static async Task<int> RunAsync(string[] args)
    {
        SeedCommand command;
        try
        {
            command = SeedCommand.Parse(args);
        }
        catch (Exception e) when (e is ArgumentException or MongoConfigurationException)
        {
            AnsiConsole.MarkupLine($"[red]error:[/] {Markup.Escape(e.Message)}");
            return BadArguments;
        }
        if (command.Help)
        {
            AnsiConsole.WriteLine(SeedCommand.HelpText);
            return Ok;
        }

        using var cts = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cts.Cancel();
        };
        try
        {
            return await RunAsync(command, cts.Token);
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            AnsiConsole.MarkupLine("[yellow]Cancelled.[/] The store holds the batches written so far.");
            return Cancelled;
        }
        catch (Exception e) when (e is SeedException or DomainException or OptionsValidationException or LiteDB.LiteException
                                       or IOException or UnauthorizedAccessException or MongoException or TimeoutException or MongoDeploymentException)
        {
            AnsiConsole.MarkupLine($"[red]error:[/] {Markup.Escape(e.Message)}");
            return Failed;
        }
    }

    private static async Task<int> RunAsync(SeedCommand command, CancellationToken ct)
    {
        var target = command.Store;
        var options = command.Options;
        AnsiConsole.MarkupLine($"Store: [bold]{Markup.Escape(target.ToString())}[/]");

        var services = BuildServices(target);
        try
        {
            await PrepareAsync(services, ct);
            var hasData = await HasDataAsync(services, ct);
            var decision = WritePolicy.Decide(hasData, command.Append, command.Reset, command.Yes);
            if (decision == WriteDecision.Confirm)
            {
                if (Console.IsInputRedirected)
                    throw new SeedException("--reset deletes everything in the store: pass --yes to confirm when not running interactively.");
                decision = await AnsiConsole.ConfirmAsync($"Delete everything in {Markup.Escape(target.ToString())}?", defaultValue: false, ct)
                    ? WriteDecision.ResetThenWrite
                    : throw new SeedException("Nothing was changed.");
            }
            switch (decision)
            {
                case WriteDecision.RefuseNonEmpty:
                    throw new SeedException("The store already holds data. Pass --append to add to it, or --reset to start over.");
                case WriteDecision.ResetThenWrite:
                    await services.DisposeAsync();
                    await ResetAsync(target, ct);
                    services = BuildServices(target);
                    await PrepareAsync(services, ct);
                    AnsiConsole.MarkupLine("[yellow]Store reset.[/]");
                    break;
            }

            AnsiConsole.MarkupLine(
                $"Seeding [bold]{options.Entries:N0}[/] entries, {options.Scale.ToString().ToLowerInvariant()} scale, seed {options.Seed}" +
                (command.Append && hasData ? " (appending)" : ""));
            var clock = Stopwatch.StartNew();
            var summary = await RunWithProgressAsync(new SeedGenerator(options), services, ct);
            var counts = await CountAsync(services, ct);
            await services.DisposeAsync();
            var size = await StoreSizeAsync(target, ct);
            PrintSummary(summary, counts, clock.Elapsed, size);
            return Ok;
        }
        finally
        {
            await services.DisposeAsync();
        }
    }

    /// <summary>The API's own storage registration, without the web host.</summary>
    public static ServiceProvider BuildServices(StoreTarget target)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Storage:SeedDemoData"] = "false",
            ["Storage:MongoDatabase"] = target.Database,
        };
        if (target.Kind == StoreKind.Mongo) settings["ConnectionStrings:Mongo"] = target.Location;
        else settings["Storage:LiteDbPath"] = target.Location;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddStorage(configuration).BuildServiceProvider();
        // ValidateOnStart needs a host; without one, validate here so a bad setting fails before any write.
        var storage = services.GetRequiredService<IOptions<StorageOptions>>().Value;
        if (storage.UseMongo && services.GetRequiredService<IUnitStore>() is LiteDbUnitStore)
        {
            services.Dispose();
            throw new SeedException("This build registers no MongoDB store adapters yet (AddStorage falls back to LiteDB); use --store litedb:PATH.");
        }
        return services;
    }

    /// <summary>
    /// On MongoDB, what the API does at start before anything is written: the deployment check
    /// (reachable, a replica set) and every index, unique ones included, and the report summary.
    /// </summary>
    public static async Task PrepareAsync(IServiceProvider services, CancellationToken ct)
    {
        if (!services.GetRequiredService<IOptions<StorageOptions>>().Value.UseMongo) return;
        var mongo = services.GetRequiredService<MongoContext>();
        await mongo.CheckDeploymentAsync(ct);
        await mongo.PrepareAsync(null, ct);
    }

    private static async Task<bool> HasDataAsync(IServiceProvider services, CancellationToken ct) =>
        await services.GetRequiredService<IUnitStore>().CountAsync(ct) > 0 ||
        await services.GetRequiredService<IEntryStore>().CountAsync(ct) > 0;

    private static async Task ResetAsync(StoreTarget target, CancellationToken ct)
    {
        if (target.Kind == StoreKind.Mongo)
        {
            await new MongoClient(target.Location).DropDatabaseAsync(target.Database, ct);
            return;
        }
        foreach (var file in LiteDbFiles(target.Location)) File.Delete(file);
        var index = DanVanKheo.Api.Storage.LiteDb.LiteDbContext.SearchDirectoryOf(target.Location);
        if (Directory.Exists(index)) Directory.Delete(index, recursive: true);
    }

    /// <summary>The data file and LiteDB's write-ahead log beside it.</summary>
    private static IEnumerable<string> LiteDbFiles(string path)
    {
        var full = Path.GetFullPath(path);
        var log = Path.Combine(Path.GetDirectoryName(full) ?? "", Path.GetFileNameWithoutExtension(full) + "-log" + Path.GetExtension(full));
        return new[] { full, log }.Where(File.Exists);
    }

    private static async Task<long?> StoreSizeAsync(StoreTarget target, CancellationToken ct)
    {
        if (target.Kind == StoreKind.LiteDb) return LiteDbFiles(target.Location).Sum(f => new FileInfo(f).Length);
        BsonDocument stats;
        try
        {
            stats = await new MongoClient(target.Location).GetDatabase(target.Database)
                .RunCommandAsync<BsonDocument>(new BsonDocument("dbStats", 1), cancellationToken: ct);
        }
        catch (MongoCommandException)
        {
            return null; // a server without dbStats (the CI emulator): the data is written, only its size is unknown
        }
        return stats.TryGetValue("storageSize", out var data) && stats.TryGetValue("indexSize", out var index)
            ? (long)(data.ToDouble() + index.ToDouble())
            : null;
    }

    private static async Task<(long Units, long Fields, long Entries)> CountAsync(IServiceProvider services, CancellationToken ct) =>
        (await services.GetRequiredService<IUnitStore>().CountAsync(ct),
         (await services.GetRequiredService<IFieldStore>().ListAsync(ct)).Count,
         await services.GetRequiredService<IEntryStore>().CountAsync(ct));

    private static async Task<SeedSummary> RunWithProgressAsync(SeedGenerator generator, IServiceProvider services, CancellationToken ct)
    {
        SeedSummary? summary = null;
        await AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(),
                new ElapsedTimeColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .StartAsync(async ctx =>
            {
                var reporter = new ProgressReporter(ctx);
                summary = await generator.RunAsync(services, reporter, ct);
            });
        return summary!;
    }

    /// <summary>Updates the bars synchronously: <c>Progress&lt;T&gt;</c> would post to the thread pool and reorder reports.</summary>
    private sealed class ProgressReporter(ProgressContext context) : IProgress<SeedProgress>
    {
        private readonly Dictionary<string, (ProgressTask Task, Stopwatch Clock)> tasks = new(StringComparer.Ordinal);

        public void Report(SeedProgress value)
        {
            if (!tasks.TryGetValue(value.Stage, out var t))
                tasks[value.Stage] = t = (context.AddTask(value.Stage, maxValue: Math.Max(value.Total, 1)), Stopwatch.StartNew());
            t.Task.MaxValue = Math.Max(value.Total, 1);
            t.Task.Value = value.Total == 0 ? 1 : value.Done;
            var seconds = t.Clock.Elapsed.TotalSeconds;
            var rate = seconds > 0 ? value.Done / seconds : 0;
            t.Task.Description = string.Create(CultureInfo.InvariantCulture,
                $"{value.Stage,-8} {value.Done,11:N0} / {value.Total:N0}  {rate,8:N0}/s");
        }
    }

    private static void PrintSummary(SeedSummary s, (long Units, long Fields, long Entries) store, TimeSpan elapsed, long? size)
    {
        var table = new Table().Border(TableBorder.Rounded).Title("[bold]Seed summary[/]")
            .AddColumn("Aggregate").AddColumn(new TableColumn("Written").RightAligned()).AddColumn(new TableColumn("In store").RightAligned());
        table.AddRow("Units", s.UnitsInserted.ToString("N0", CultureInfo.InvariantCulture), store.Units.ToString("N0", CultureInfo.InvariantCulture));
        table.AddRow("Fields", "", store.Fields.ToString("N0", CultureInfo.InvariantCulture));
        table.AddRow("Entries", s.EntriesInserted.ToString("N0", CultureInfo.InvariantCulture), store.Entries.ToString("N0", CultureInfo.InvariantCulture));
        void Breakdown<TKey>(string title, SortedDictionary<TKey, long> counts) where TKey : notnull
        {
            foreach (var (key, count) in counts)
                table.AddRow($"  {title} {Markup.Escape(Convert.ToString(key, CultureInfo.InvariantCulture) ?? "")}",
                    count.ToString("N0", CultureInfo.InvariantCulture), "");
        }
        Breakdown("year", s.EntriesByYear);
        Breakdown("status", s.EntriesByStatus);
        Breakdown("kind", s.EntriesByKind);
        Breakdown("field", s.EntriesByField);
        string N(long n) => n.ToString("N0", CultureInfo.InvariantCulture);
        table.AddRow("Councils", N(s.Councils), "");
        table.AddRow("  members", N(s.CouncilMembers), "");
        table.AddRow("Rounds", N(s.Rounds), "");
        Breakdown("status", s.RoundsByStatus);
        table.AddRow("Nominations", N(s.Nominations), "");
        table.AddRow("Ballots", N(s.Ballots), "");
        table.AddRow("Recognitions", N(s.Recognitions), "");
        table.AddRow("Replications", N(s.Replications), "");
        Breakdown("status", s.ReplicationsByStatus);
        Breakdown("generation", s.ReplicationsByGeneration);
        table.AddRow("  most adopted model", N(s.TopModelAdoptions), "");
        table.AddEmptyRow();
        table.AddRow("Elapsed", elapsed.ToString(@"hh\:mm\:ss\.f", CultureInfo.InvariantCulture), "");
        var rate = elapsed.TotalSeconds > 0 ? s.EntriesInserted / elapsed.TotalSeconds : 0;
        table.AddRow("Entries per second", rate.ToString("N0", CultureInfo.InvariantCulture), "");
        table.AddRow("Store size", size is { } b ? (b / 1024.0 / 1024.0).ToString("N1", CultureInfo.InvariantCulture) + " MB" : "unknown", "");
        AnsiConsole.Write(table);
    }
}
