using DanVanKheo.Api.Entries;
using DanVanKheo.Api.Fields;
using DanVanKheo.Api.Units;
using DanVanKheo.Seed;
using DanVanKheo.Seed.Generation;
using Microsoft.Extensions.DependencyInjection;

namespace DanVanKheo.Tests.Seed;

/// <summary>One generated dataset (LiteDB for units and fields, entries kept in memory) shared by the checks.</summary>
public sealed class SeedEntryFixture : IAsyncLifetime
{
    private readonly TempLiteDb db = new();
    public CapturingEntryStore Store { get; } = new();
    public Dictionary<string, Unit> Units { get; private set; } = [];
    public SeedSummary Summary { get; private set; } = new();

    public async Task InitializeAsync()
    {
        await using var services = SeedCli.BuildServices(db.Target);
        var stores = new SeedStores(services.GetRequiredService<IUnitStore>(), services.GetRequiredService<IFieldStore>(), Store);
        Summary = await new SeedGenerator(new SeedOptions { Seed = 11, Entries = 4_000, BatchSize = 1_000 }).RunAsync(stores);
        var page = await services.GetRequiredService<IUnitStore>().FindAsync(new UnitFilter(), new global::DanVanKheo.Api.Common.PageRequest(200));
        var all = new List<Unit>(page.Items);
        while (page.HasNextPage)
        {
            page = await services.GetRequiredService<IUnitStore>().FindAsync(new UnitFilter(), new global::DanVanKheo.Api.Common.PageRequest(200, After: all[^1].Code));
            all.AddRange(page.Items);
        }
        Units = all.ToDictionary(u => u.Id);
    }

    public Task DisposeAsync()
    {
        db.Dispose();
        return Task.CompletedTask;
    }
}

public sealed class SeedEntryTests(SeedEntryFixture data) : IClassFixture<SeedEntryFixture>
{
    private List<Entry> Entries => data.Store.Entries;

    [Fact]
    public void Entries_are_written_in_bounded_batches()
    {
        Assert.Equal(4_000, Entries.Count);
        Assert.All(data.Store.BatchSizes, n => Assert.InRange(n, 1, 1_000));
        Assert.Equal(Entries.Count, Entries.Select(e => e.Id).Distinct().Count());
        Assert.Equal(Entries.Count, Entries.Select(e => e.Code).Distinct().Count());
    }

    [Fact]
    public void Fields_follow_the_movement_s_shares()
    {
        var share = Entries.GroupBy(e => e.FieldId).ToDictionary(g => g.Key, g => g.Count() / (double)Entries.Count);
        var culture = share["field-van-hoa-xa-hoi"];
        var economy = share["field-kinh-te"];
        var defence = share["field-quoc-phong-an-ninh"];
        var politics = share["field-xay-dung-he-thong-chinh-tri"];

        Assert.True(culture > economy && economy > defence && defence > politics, $"{culture} {economy} {defence} {politics}");
        Assert.InRange(culture, 0.33, 0.43);
        Assert.InRange(politics, 0.11, 0.19);
    }

    [Fact]
    public void Years_kinds_statuses_and_levels_are_all_present_and_plausible()
    {
        Assert.Equal(Enumerable.Range(2021, 6), Entries.Select(e => e.Year).Distinct().Order());
        Assert.All(Entries, e =>
        {
            Assert.Equal(e.Year, e.CreatedAt.Year);
            Assert.StartsWith(e.Status == EntryStatus.Draft ? EntryRules.DraftKeyPrefix : $"DVK-{e.Year}-", e.Code, StringComparison.Ordinal);
            Assert.True(e.CreatedAt <= SeedGenerator.AsOf.ToDateTime(TimeOnly.MaxValue));
            Assert.True(e.UpdatedAt >= e.CreatedAt);
        });
        // Only registered entries took codes: 1..n in each year, without gaps.
        foreach (var year in Entries.Where(e => e.Status != EntryStatus.Draft).GroupBy(e => e.Year))
            Assert.Equal(Enumerable.Range(1, year.Count()), year.Select(e => int.Parse(e.Code[^6..], System.Globalization.CultureInfo.InvariantCulture)).Order());
        Assert.Contains(Entries, e => e.Kind == EntryKind.Model);
        Assert.Contains(Entries, e => e.ExemplarType == ExemplarType.Collective);
        Assert.Contains(Entries, e => e.ExemplarType == ExemplarType.Individual);
        Assert.True(Entries.Count(e => e.Kind == EntryKind.Model) > Entries.Count / 2);

        var status = Entries.GroupBy(e => e.Status).ToDictionary(g => g.Key, g => g.Count());
        Assert.True(status[EntryStatus.Registered] > Entries.Count / 2);
        Assert.All(new[] { EntryStatus.Draft, EntryStatus.Registered, EntryStatus.Discontinued },
            s => Assert.True(status.GetValueOrDefault(s) > 0, $"no {s}"));
        // RECOGNIZED comes only from published rounds (SeedRoundTests), never from the entry stage.
        Assert.DoesNotContain(Entries, e => e.Status == EntryStatus.Recognized);
        Assert.Contains(Entries, e => e.Novelty == EntryNovelty.Replicated && e.ReplicatedFromEntryId is not null);
        Assert.Contains(Entries, e => e.Level == EntryLevel.District);
        Assert.DoesNotContain(Entries, e => e.Level == EntryLevel.District && e.CreatedAt >= new DateTime(2025, 7, 1));
    }

    [Fact]
    public void Every_entry_belongs_to_a_unit_valid_when_it_was_registered()
    {
        Assert.All(Entries, e =>
        {
            var unit = data.Units[e.UnitId];
            Assert.True(unit.IsValidOn(DateOnly.FromDateTime(e.CreatedAt)), $"{e.Code} at {e.CreatedAt:O} in {unit.Code}");
            Assert.Equal(unit.Lineage(), e.UnitLineage);
            Assert.Equal(unit.Name, e.UnitNameAtRegistration);
        });
        Assert.Contains(Entries, e => data.Units[e.UnitId].Code.StartsWith("AG2025.", StringComparison.Ordinal));
        Assert.Contains(Entries, e => data.Units[e.UnitId].Code.StartsWith("KG.", StringComparison.Ordinal));
    }

    [Fact]
    public void Individual_exemplars_name_a_person_in_Vietnamese_order_with_a_Vietnamese_address()
    {
        var people = Entries.Where(e => e.ExemplarType == ExemplarType.Individual).Select(e => e.Person).ToList();
        Assert.NotEmpty(people);
        Assert.All(people, p =>
        {
            Assert.NotNull(p);
            var words = p.FullName.Split(' ');
            Assert.InRange(words.Length, 3, 5);
            Assert.Matches(@"^(Ấp|Khu phố) .+, (xã|phường|thị trấn|đặc khu) .+, (tỉnh|thành phố) .+$", p.Address);
        });
        Assert.True(people.Count(p => p!.FullName.StartsWith("Nguyễn ", StringComparison.Ordinal)) > people.Count / 5);
        Assert.Contains(people, p => p!.FullName.Split(' ')[1] == "Thị");
        Assert.Contains(Entries, e => e.Title.Contains("Dân vận khéo", StringComparison.Ordinal) || e.Title.Contains("Khéo vận động", StringComparison.Ordinal));
    }

    [Fact]
    public void Outcome_figures_are_plausible()
    {
        Assert.All(Entries, e =>
        {
            var r = e.Results;
            Assert.True(r.HouseholdsReached is null or (>= 1 and <= 50_000));
            Assert.True(r.MoneyMobilizedVnd is null or (>= 1_000_000 and <= 50_000_000_000));
            Assert.True(r.LandDonatedM2 is null or (>= 1 and <= 200_000));
            if (r.HouseholdsReached is { } h && r.PeopleReached is { } p) Assert.True(p >= h);
        });
        Assert.True(Entries.Count(e => e.Results.MoneyMobilizedVnd is not null) > Entries.Count / 10);
        Assert.True(Entries.Count(e => e.Results.LandDonatedM2 is not null) > 0);
    }
}
