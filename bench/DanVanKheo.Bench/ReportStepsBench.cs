using System.Diagnostics;
using DanVanKheo.Api.Entries;
using DanVanKheo.Api.Fields;
using DanVanKheo.Api.Replications;
using DanVanKheo.Api.Reports;
using DanVanKheo.Api.Rounds;
using DanVanKheo.Api.Units;
using Microsoft.Extensions.DependencyInjection;

namespace DanVanKheo.Bench;

/// <summary>
/// Where an annual report's time goes on an existing store file: each port call the report
/// makes, timed in order on a freshly opened file (cold), then the whole report twice.
/// </summary>
public static class ReportStepsBench
{
    public static async Task<int> RunAsync(string[] args)
    {
        var file = SearchBench.Arg(args, "--file") ?? "/work/data-perf/national.db";
        var code = SearchBench.Arg(args, "--unit") ?? "AG2025";
        var year = int.Parse(SearchBench.Arg(args, "--year") ?? "2025", System.Globalization.CultureInfo.InvariantCulture);
        var asOf = DateOnly.Parse(SearchBench.Arg(args, "--as-of") ?? "2025-07-01", System.Globalization.CultureInfo.InvariantCulture);
        var sw = Stopwatch.StartNew();
        void Step(string what) => Console.WriteLine($"{sw.Elapsed.TotalMilliseconds,8:F0} ms  {what}");
        await using var services = SearchBench.Services(file);
        Step("store opened");
        var units = services.GetRequiredService<IUnitStore>();
        var reports = services.GetRequiredService<IReportStore>();
        var replications = services.GetRequiredService<IReplicationStore>();
        var rounds = services.GetRequiredService<IRoundStore>();
        var entries = services.GetRequiredService<IEntryStore>();
        var fields = services.GetRequiredService<IFieldStore>();
        var unit = await units.GetByCodeAsync(code) ?? throw new InvalidOperationException("no unit " + code);
        Step($"unit {unit.Name}");
        var subtree = await units.GetSubtreeAsync(unit.Id);
        Step($"subtree: {subtree.Count} units");
        if (reports is DanVanKheo.Api.Storage.LiteDb.LiteDbReportStore liteReports)
        {
            var applied = liteReports.Refresh();
            Step($"report summary refreshed ({applied} entries applied)");
        }
        var scope = new ReportScope([unit.Id], true, year, EntryVisibility.Public);
        var summaries = await reports.SummarizeAsync(scope);
        Step($"summaries: {summaries.Count} rows");
        var adopted = await replications.FindAdoptedUnderAsync([unit.Id], null, 10_000);
        Step($"replications adopted under: {adopted.Count}");
        var top = await replications.MostReplicatedAsync(new LeaderboardFilter { Year = year, SourceUnitSubtree = unit.Id }, 10);
        Step($"most replicated: {top.Count}");
        var fieldList = await fields.ListAsync();
        Step($"fields: {fieldList.Count}");
        var conferred = await rounds.ListRecognitionsOfYearAsync(year);
        Step($"recognitions of the year: {conferred.Count}");
        var recognized = await entries.GetByIdsAsync(conferred.Select(r => r.EntryId).Distinct().ToList());
        Step($"their entries: {recognized.Count}");
        var assembler = new ReportAssembler(units, reports, replications, fields, rounds, entries);
        for (var i = 0; i < int.Parse(SearchBench.Arg(args, "--repeat") ?? "3", System.Globalization.CultureInfo.InvariantCulture); i++)
        {
            var t = Stopwatch.StartNew();
            var report = await assembler.BuildAsync(new ReportRequest(unit, year, true, asOf, EntryVisibility.Public), CancellationToken.None);
            Console.WriteLine($"whole report #{i + 1}: {t.Elapsed.TotalMilliseconds:F0} ms ({report.TotalEntries:N0} entries)");
        }
        return 0;
    }
}
