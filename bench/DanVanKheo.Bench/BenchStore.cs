using DanVanKheo.Api.Entries;
using DanVanKheo.Api.Fields;
using DanVanKheo.Api.Replications;
using DanVanKheo.Api.Reports;
using DanVanKheo.Api.Storage.LiteDb;
using DanVanKheo.Api.Units;
using Microsoft.Extensions.DependencyInjection;

namespace DanVanKheo.Bench;

/// <summary>The embedded store in a temporary file, wired as the API wires it.</summary>
public sealed class BenchStore : IDisposable
{
    public static readonly DateTime Now = new(2024, 12, 1, 2, 0, 0, DateTimeKind.Utc);
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"dvk-bench-{Guid.NewGuid():N}.db");
    private readonly ServiceProvider _services;

    public BenchStore()
    {
        var services = new ServiceCollection();
        services.AddSingleton(new LiteDbContext(_file));
        services.AddSingleton<IUnitStore, LiteDbUnitStore>();
        services.AddSingleton<IEntryStore, LiteDbEntryStore>();
        services.AddSingleton<IFieldStore, LiteDbFieldStore>();
        services.AddSingleton<IReplicationStore, LiteDbReplicationStore>();
        services.AddSingleton<IReportStore, LiteDbReportStore>();
        services.AddReports();
        _services = services.BuildServiceProvider();
        Fields.EnsureStandardAsync().GetAwaiter().GetResult();
    }

    public IServiceProvider Services => _services;
    public IUnitStore Units => _services.GetRequiredService<IUnitStore>();
    public IEntryStore Entries => _services.GetRequiredService<IEntryStore>();
    public IFieldStore Fields => _services.GetRequiredService<IFieldStore>();
    public IReplicationStore Replications => _services.GetRequiredService<IReplicationStore>();
    public ReportAssembler Assembler => _services.GetRequiredService<ReportAssembler>();
    public LiteDbReportStore Reports => (LiteDbReportStore)_services.GetRequiredService<IReportStore>();

    public static Unit Unit(string code, string name, UnitKind kind, Unit? parent) =>
        UnitRules.Create(new UnitDraft(code, name, kind, parent?.Id, null, null), parent, Now);

    public static Entry Entry(Unit unit, string title, long sequence, Random rnd, int year = 2024, EntryStatus status = EntryStatus.Registered)
    {
        var kind = rnd.Next(3) == 0 ? EntryKind.Exemplar : EntryKind.Model;
        var content = new EntryContent
        {
            Title = title,
            Summary = "Tóm tắt kết quả thực hiện: " + title,
            Kind = kind,
            ExemplarType = kind == EntryKind.Exemplar ? (ExemplarType)rnd.Next(2) : null,
            FieldId = Field.Standard[rnd.Next(4)].Id,
            Level = rnd.Next(10) == 0 ? EntryLevel.Province : EntryLevel.Commune,
            Novelty = rnd.Next(4) == 0 ? EntryNovelty.Continuing : EntryNovelty.New,
            Results = new EntryResults
            {
                HouseholdsReached = rnd.Next(500),
                PeopleReached = rnd.Next(3000),
                MoneyMobilizedVnd = rnd.Next(1, 500) * 1_000_000L,
                LandDonatedM2 = rnd.Next(0, 200) * 0.5,
                Workdays = rnd.Next(300),
            },
            Tags = ["dân vận khéo"],
        };
        var field = Field.Standard.First(f => f.Id == content.FieldId);
        var e = EntryRules.CreateDraft(content, unit, field, null, year, "bench", Now);
        if (status == EntryStatus.Draft) return e;
        EntryRules.Submit(e, Now);
        e.Year = year;
        EntryRules.AssignCode(e, sequence);
        if (status == EntryStatus.Recognized) e.Status = EntryStatus.Recognized;
        if (status == EntryStatus.Discontinued) EntryRules.Discontinue(e, "Không còn phù hợp", Now);
        return e;
    }

    public void Dispose()
    {
        _services.Dispose();
        foreach (var f in new[] { _file, _file.Replace(".db", "-log.db") })
            if (File.Exists(f)) File.Delete(f);
        var index = LiteDbContext.SearchDirectoryOf(_file);
        if (Directory.Exists(index)) Directory.Delete(index, recursive: true);
    }
}
