using DanVanKheo.Api.Common;
using DanVanKheo.Api.Entries;
using DanVanKheo.Api.Fields;
using DanVanKheo.Api.Replications;
using DanVanKheo.Api.Reports;
using DanVanKheo.Api.Rounds;
using DanVanKheo.Api.Storage.LiteDb;
using DanVanKheo.Api.Storage.Mongo;
using DanVanKheo.Api.Units;

namespace DanVanKheo.Tests.Storage;

/// <summary>
/// What every replication and report store must do. Each subclass runs the same tests on its
/// store; the report aggregation is compared with <see cref="ReportRules.SummarizeInMemory"/> on the
/// same data, so both stores are verified equal.
/// </summary>
public abstract class ReplicationStoreContract : IDisposable
{
    protected readonly StoreFixtures F = new();
    protected abstract IReplicationStore Replications { get; }
    protected abstract IReportStore Reports { get; }
    protected abstract IEntryStore Entries { get; }
    protected abstract IRoundStore Rounds { get; }
    protected abstract Task SeedEntriesAsync(IReadOnlyList<Entry> entries);
    protected abstract Task ReplaceEntryAsync(Entry entry);
    public abstract void Dispose();

    /// <summary>Every dimension (the key) and every figure of each row, in canonical order.</summary>
    public static IReadOnlyList<string> Describe(IReadOnlyList<UnitSummary> rows) => rows.Select(r => r.ToString()).ToList();

    [StoreFact]
    public async Task Round_trips_a_replication_with_every_field()
    {
        var (a, b) = (F.Unit("Xã Mỹ Lâm", UnitKind.Commune), F.Unit("Xã Hòn Đất", UnitKind.Commune));
        var source = F.Entry(a, "Mô hình Dân vận khéo trong xây dựng nông thôn mới");
        var r = StoreFixtures.Replicate(source, b, people: 1200);
        r.Outcome.MoneyMobilizedVnd = 350_000_000;
        r.Outcome.OtherResults = "Làm mới 3 km đường giao thông nông thôn";
        ReplicationRules.ChangeStatus(r, ReplicationStatus.Implementing, new DateOnly(2024, 4, 2), null, StoreFixtures.Now);
        r.Version = 1;
        await Replications.InsertAsync(r);
        var back = Assert.Single(await Replications.GetByIdsAsync([r.Id]));
        Assert.Equal(ReplicationStatus.Implementing, back.Status);
        Assert.Equal(new DateOnly(2024, 3, 1), back.PlannedOn);
        Assert.Equal(new DateOnly(2024, 4, 2), back.StartedOn);
        Assert.Null(back.SustainedOn);
        Assert.Equal(1200, back.Outcome.PeopleReached);
        Assert.Equal(350_000_000, back.Outcome.MoneyMobilizedVnd);
        Assert.Equal("Làm mới 3 km đường giao thông nông thôn", back.Outcome.OtherResults);
        Assert.Equal("Điều chỉnh cho phù hợp địa phương", back.AdaptationNotes);
        Assert.Equal([source.Id], back.Path);
        Assert.Equal(b.Lineage(), back.AdoptingUnitLineage);
    }

    [StoreFact]
    public async Task Enforces_one_active_replication_per_pair_and_one_replication_per_derived_entry()
    {
        var (a, b) = (F.Unit("Xã A", UnitKind.Commune), F.Unit("Xã B", UnitKind.Commune));
        var source = F.Entry(a, "Mô hình tuyến đường hoa");
        var other = F.Entry(F.Unit("Xã C", UnitKind.Commune), "Mô hình chợ văn minh");
        var derived = F.Entry(b, "Tuyến đường hoa xã B");
        var first = StoreFixtures.Replicate(source, b, derived);
        await Replications.InsertAsync(first);
        await Assert.ThrowsAsync<DuplicateKeyException>(() => Replications.InsertAsync(StoreFixtures.Replicate(source, b)));
        await Assert.ThrowsAsync<DuplicateKeyException>(() => Replications.InsertAsync(StoreFixtures.Replicate(other, b, derived)));

        ReplicationRules.ChangeStatus(first, ReplicationStatus.Discontinued, new DateOnly(2024, 5, 1), "Thiếu nguồn lực", StoreFixtures.Now);
        Assert.True(await Replications.ReplaceAllAsync([first]));
        await Replications.InsertAsync(StoreFixtures.Replicate(source, b)); // history can repeat once the first ended
    }

    [StoreFact]
    public async Task Replace_all_is_all_or_nothing_on_a_stale_version()
    {
        var (a, b, c) = (F.Unit("Xã A", UnitKind.Commune), F.Unit("Xã B", UnitKind.Commune), F.Unit("Xã C", UnitKind.Commune));
        var source = F.Entry(a, "Mô hình tổ tự quản");
        var r1 = StoreFixtures.Replicate(source, b);
        var r2 = StoreFixtures.Replicate(source, c);
        await Replications.InsertManyAsync([r1, r2]);
        r1.AdaptationNotes = "Đã đổi";
        r1.Version++;
        r2.Version += 5; // stale
        Assert.False(await Replications.ReplaceAllAsync([r1, r2]));
        Assert.Equal("Điều chỉnh cho phù hợp địa phương", (await Replications.GetByIdsAsync([r1.Id])).Single().AdaptationNotes);
    }

    [StoreFact]
    public async Task Reads_descendants_through_the_path_and_parents_by_derived_entry()
    {
        var units = Enumerable.Range(0, 4).Select(i => F.Unit($"Xã {i}", UnitKind.Commune)).ToList();
        var e0 = F.Entry(units[0], "Mô hình gốc");
        var e1 = F.Entry(units[1], "Mô hình đời 1");
        var e2 = F.Entry(units[2], "Mô hình đời 2");
        var r1 = StoreFixtures.Replicate(e0, units[1], e1);
        var r2 = StoreFixtures.Replicate(e1, units[2], e2, r1);
        var r3 = StoreFixtures.Replicate(e2, units[3], null, r2);
        var r4 = StoreFixtures.Replicate(e0, units[3]);
        await Replications.InsertManyAsync([r1, r2, r3, r4]);

        Assert.Equal(new[] { r1.Id, r2.Id, r3.Id, r4.Id }.Order(StringComparer.Ordinal), (await Replications.GetDescendantsAsync(e0.Id)).Select(r => r.Id).Order(StringComparer.Ordinal));
        Assert.Equal(new[] { r2.Id, r3.Id }.Order(StringComparer.Ordinal), (await Replications.GetDescendantsAsync(e1.Id)).Select(r => r.Id).Order(StringComparer.Ordinal));
        Assert.Equal(r2.Id, Assert.Single(await Replications.GetByDerivedEntryIdsAsync([e2.Id])).Id);
        var lineage = await LineageReader.ReadAsync(Replications, e2.Id, default);
        Assert.Equal([e1.Id, e0.Id], lineage.Ancestors.Select(a => a.EntryId));
        Assert.Equal([3], lineage.Descendants.Select(d => d.Replication.Generation));
    }

    [StoreFact]
    public async Task Finds_pages_ranks_and_reads_by_adopting_subtree()
    {
        var province = F.Unit("Tỉnh Kiên Giang", UnitKind.Province);
        var communes = Enumerable.Range(0, 5).Select(i => F.Unit($"Xã {i}", UnitKind.Commune, province)).ToList();
        var outside = F.Unit("Xã ngoài tỉnh", UnitKind.Commune);
        var fieldB = Field.Standard[1];
        var popular = F.Entry(outside, "Mô hình được nhân rộng nhiều", fieldB);
        var less = F.Entry(outside, "Mô hình ít nhân rộng");
        var reps = communes.Select((u, i) => StoreFixtures.Replicate(popular, u, plannedOn: new DateOnly(2024, 1 + i, 1))).ToList();
        reps.Add(StoreFixtures.Replicate(less, communes[0]));
        reps.Add(StoreFixtures.Replicate(less, communes[1], plannedOn: new DateOnly(2023, 5, 1)));
        ReplicationRules.ChangeStatus(reps[4], ReplicationStatus.Discontinued, new DateOnly(2024, 6, 1), null, StoreFixtures.Now);
        reps[4].Version = 1;
        await Replications.InsertManyAsync(reps);

        var page1 = await Replications.FindAsync(new ReplicationFilter { SourceEntryId = popular.Id }, new PageRequest(2));
        Assert.Equal(5, page1.TotalCount);
        Assert.True(page1.HasNextPage);
        var page2 = await Replications.FindAsync(new ReplicationFilter { SourceEntryId = popular.Id }, new PageRequest(10, After: page1.Items[^1].Id));
        Assert.Equal(3, page2.Items.Count);
        Assert.Equal(reps.Take(5).Select(r => r.Id).Order(StringComparer.Ordinal), page1.Items.Concat(page2.Items).Select(r => r.Id));
        Assert.Single((await Replications.FindAsync(new ReplicationFilter { Status = ReplicationStatus.Discontinued, AdoptingUnitSubtree = province.Id }, new PageRequest(10))).Items);

        var top = await Replications.MostReplicatedAsync(new LeaderboardFilter { SourceUnitSubtree = outside.Id }, 10);
        Assert.Equal([new LeaderboardRow(popular.Id, 4, 4), new LeaderboardRow(less.Id, 2, 2)], top);
        Assert.Equal([new LeaderboardRow(popular.Id, 4, 4), new LeaderboardRow(less.Id, 1, 1)],
            await Replications.MostReplicatedAsync(new LeaderboardFilter { Year = 2024 }, 10));
        Assert.Equal([new LeaderboardRow(popular.Id, 4, 4)], await Replications.MostReplicatedAsync(new LeaderboardFilter { FieldId = fieldB.Id }, 10));
        Assert.Single(await Replications.MostReplicatedAsync(new LeaderboardFilter(), 1));
        Assert.Equal(7, (await Replications.FindAdoptedUnderAsync([province.Id], null, 100)).Count);
        Assert.Equal(2, (await Replications.FindAdoptedUnderAsync([communes[0].Id], null, 100)).Count);

        // Page by page in id order: every replication of the subtree once, a unit listed twice or nested changes nothing.
        var seen = new List<string>();
        string? after = null;
        for (var calls = 0; calls < 10; calls++)
        {
            var page = await Replications.FindAdoptedUnderAsync([province.Id, communes[1].Id], after, 3);
            Assert.InRange(page.Count, 0, 3);
            seen.AddRange(page.Select(r => r.Id));
            if (page.Count < 3) break;
            after = page[^1].Id;
        }
        Assert.Equal(reps.Select(r => r.Id).Order(StringComparer.Ordinal), seen);
        Assert.Empty(await Replications.FindAdoptedUnderAsync([outside.Id], null, 10));
    }

    [StoreFact]
    public async Task Report_aggregation_equals_the_reference_and_follows_changes()
    {
        var province = F.Unit("Tỉnh An Giang", UnitKind.Province);
        var district = F.Unit("Huyện Châu Thành", UnitKind.District, province);
        var communes = Enumerable.Range(0, 6).Select(i => F.Unit($"Xã {i}", UnitKind.Commune, i < 3 ? district : province)).ToList();
        var rnd = new Random(7);
        var entries = new List<Entry>();
        for (var i = 0; i < 300; i++)
        {
            var kind = (EntryKind)rnd.Next(2);
            entries.Add(F.Entry(communes[rnd.Next(communes.Count)], $"Mô hình thứ {i}", Field.Standard[rnd.Next(4)], kind,
                kind == EntryKind.Exemplar ? (ExemplarType)rnd.Next(2) : null, (EntryLevel)rnd.Next(4), (EntryStatus)rnd.Next(4),
                rnd.Next(3) == 0 ? EntryNovelty.Continuing : EntryNovelty.New,
                new EntryResults { HouseholdsReached = rnd.Next(3) == 0 ? null : rnd.Next(500), PeopleReached = rnd.Next(2000),
                    MoneyMobilizedVnd = rnd.Next(1_000_000) * 1000L, LandDonatedM2 = rnd.Next(4) * 0.5, Workdays = rnd.Next(100) },
                year: rnd.Next(5) == 0 ? 2023 : 2024));
        }
        entries.Add(F.Entry(F.Unit("Xã ngoài", UnitKind.Commune), "Mô hình ngoài phạm vi"));
        await SeedEntriesAsync(entries);

        var scopes = new[]
        {
            new ReportScope([province.Id], true, 2024, EntryVisibility.Public),
            new ReportScope([province.Id], true, 2024, EntryVisibility.Everything),
            new ReportScope([province.Id], true, 2024, new EntryVisibility(false, district.Id)),
            new ReportScope([district.Id, communes[4].Id], true, 2023, EntryVisibility.Public),
            new ReportScope([communes[0].Id], false, 2024, EntryVisibility.Everything),
        };
        foreach (var scope in scopes)
            Assert.Equal(Describe(ReportRules.SummarizeInMemory(entries, scope)), Describe(await Reports.SummarizeAsync(scope)));

        // Changes after the first report are picked up.
        var changed = entries.Where(e => e.Status == EntryStatus.Draft).Take(5).ToList();
        foreach (var e in changed)
        {
            EntryRules.Submit(e, DateTime.UtcNow);
            await ReplaceEntryAsync(e);
        }
        var late = F.Entry(communes[5], "Mô hình đăng ký muộn", results: new EntryResults { PeopleReached = 77 });
        await SeedEntriesAsync([late]);
        entries.Add(late);
        foreach (var scope in scopes)
            Assert.Equal(Describe(ReportRules.SummarizeInMemory(entries, scope)), Describe(await Reports.SummarizeAsync(scope)));
    }

    /// <summary>
    /// Every way an entry changes, in a random order of 80 steps, each followed by the report of
    /// several scopes compared with the reference recomputed from the entries as stored: a write
    /// path that forgets the summary (an insert, a bulk load, a submit, a discontinue, an edit of
    /// the counted fields, a round's publish, a replication's link) fails it at that step.
    /// </summary>
    [StoreFact]
    public async Task Report_follows_every_kind_of_entry_change_and_equals_the_reference_after_each()
    {
        var province = F.Unit("Tỉnh Hậu Giang", UnitKind.Province);
        var district = F.Unit("Huyện Phụng Hiệp", UnitKind.District, province);
        var communes = Enumerable.Range(0, 4).Select(i => F.Unit($"Xã Phụng {i}", UnitKind.Commune, i < 2 ? district : province)).ToList();
        var rnd = new Random(12);
        Entry NewEntry(int i, EntryStatus status) => F.Entry(communes[rnd.Next(communes.Count)], $"Mô hình số {i}", Field.Standard[rnd.Next(4)],
            level: (EntryLevel)rnd.Next(4), status: status, year: rnd.Next(4) == 0 ? 2025 : 2024,
            results: new EntryResults { PeopleReached = rnd.Next(900), HouseholdsReached = rnd.Next(3) == 0 ? null : rnd.Next(90), LandDonatedM2 = rnd.Next(3) * 0.25 });
        var ids = new List<string>();
        var bulk = Enumerable.Range(0, 30).Select(i => NewEntry(i, i % 3 == 0 ? EntryStatus.Draft : EntryStatus.Registered)).ToList();
        await SeedEntriesAsync(bulk);
        ids.AddRange(bulk.Select(e => e.Id));

        var scopes = new[]
        {
            new ReportScope([province.Id], true, 2024, EntryVisibility.Public),
            new ReportScope([province.Id], true, 2024, EntryVisibility.Everything),
            new ReportScope([district.Id], true, 2024, new EntryVisibility(false, district.Id)),
            new ReportScope([province.Id, communes[3].Id], true, 2025, EntryVisibility.Everything),
            new ReportScope([communes[0].Id, communes[2].Id], false, 2024, EntryVisibility.Public),
        };
        async Task<List<Entry>> StoredAsync() => [.. await Entries.GetByIdsAsync(ids)];
        async Task AssertReportsEqualReference(string step)
        {
            var stored = await StoredAsync();
            foreach (var scope in scopes)
                Assert.True(Describe(ReportRules.SummarizeInMemory(stored, scope)).SequenceEqual(Describe(await Reports.SummarizeAsync(scope))),
                    $"after {step}: the report of {string.Join(",", scope.UnitIds)} {scope.Year} differs from the entries");
        }
        await AssertReportsEqualReference("the bulk load");

        var now = StoredAsOf(0);
        var kinds = new HashSet<string>();
        var pairs = new HashSet<(string, string)>();
        for (var step = 1; step <= 80; step++)
        {
            var stored = await StoredAsync();
            var drafts = stored.Where(e => e.Status == EntryStatus.Draft).ToList();
            var registered = stored.Where(e => e.Status == EntryStatus.Registered).ToList();
            now = StoredAsOf(step);
            var kind = rnd.Next(8);
            string done;
            if (kind == 0 || (kind == 1 && drafts.Count == 0))
            {
                var e = NewEntry(100 + step, rnd.Next(2) == 0 ? EntryStatus.Draft : EntryStatus.Registered);
                await Entries.InsertAsync(e);
                ids.Add(e.Id);
                done = "an insert";
            }
            else if (kind == 1)
            {
                var e = drafts[rnd.Next(drafts.Count)];
                EntryRules.Submit(e, now);
                Assert.True(await Entries.ReplaceAsync(e, e.Version - 1));
                done = "a submit";
            }
            else if (kind == 2 && registered.Count > 0)
            {
                var e = registered[rnd.Next(registered.Count)];
                EntryRules.Discontinue(e, "Không còn phù hợp", now);
                Assert.True(await Entries.ReplaceAsync(e, e.Version - 1));
                done = "a discontinue";
            }
            else if (kind == 3)
            {
                // An edit of counted fields: level, field, novelty and figures move between tallies.
                var e = stored[rnd.Next(stored.Count)];
                e.Level = (EntryLevel)rnd.Next(4);
                e.FieldId = Field.Standard[rnd.Next(4)].Id;
                e.Results.PeopleReached = rnd.Next(5) == 0 ? null : rnd.Next(5000);
                e.Results.Workdays = rnd.Next(50);
                e.Version++;
                Assert.True(await Entries.ReplaceAsync(e, e.Version - 1));
                done = "an edit";
            }
            else if (kind == 4 && registered.Count > 0)
            {
                var chosen = registered.OrderBy(_ => rnd.Next()).Take(2).ToList();
                var round = new Round { Name = $"Xét công nhận đợt {step}", Year = 2024, Level = EntryLevel.Province, Status = RoundStatus.Closed,
                    CouncilId = "hoi-dong", CouncilUnitId = province.Id, ScopeUnitId = province.Id, CreatedAt = now, UpdatedAt = now };
                await Rounds.InsertAsync(round);
                var expected = round.Version;
                RoundRules.Publish(round, $"{step}/QĐ-UBND", new DateOnly(2024, 12, 1), now);
                var recognitions = chosen.Select(e => new Recognition { RoundId = round.Id, EntryId = e.Id, RoundName = round.Name, Year = 2024,
                    Level = EntryLevel.Province, Form = "Bằng khen", DecisionNumber = round.DecisionNumber!, RecognizedAt = now }).ToList();
                Assert.True(await Rounds.PublishAsync(round, expected, recognitions, e =>
                {
                    if (e.Status != EntryStatus.Registered) return false;
                    EntryRules.Recognize(e, now);
                    return true;
                }));
                done = "a publish";
            }
            else if (kind == 5 && stored.Where(e => e.ReplicatedFromEntryId is null).ToList() is { Count: > 1 } candidates
                     && candidates[rnd.Next(candidates.Count)] is var derived
                     && stored[rnd.Next(stored.Count)] is var source && source.UnitId != derived.UnitId
                     && source.Status is EntryStatus.Registered or EntryStatus.Recognized
                     && pairs.Add((source.Id, derived.UnitId)))
            {
                // A replication links its derived entry: the entry becomes "replicated from" the source.
                var adopting = communes.First(u => u.Id == derived.UnitId);
                var r = StoreFixtures.Replicate(source, adopting, derived);
                await Replications.InsertAsync(r, new LinkedEntryChange(derived.Id, e => ReplicationRules.MarkDerived(e, source.Id, now)));
                done = "a replication";
            }
            else if (kind == 6)
            {
                var e = stored[rnd.Next(stored.Count)];
                e.Level = e.Level == EntryLevel.Commune ? EntryLevel.National : EntryLevel.Commune;
                Assert.False(await Entries.ReplaceAsync(e, e.Version + 3)); // stale: neither the entry nor the report moves
                done = "a refused stale write";
            }
            else
            {
                var more = Enumerable.Range(0, 3).Select(i => NewEntry(1000 + step * 10 + i, EntryStatus.Registered)).ToList();
                await SeedEntriesAsync(more);
                ids.AddRange(more.Select(e => e.Id));
                done = "a bulk load";
            }
            kinds.Add(done);
            await AssertReportsEqualReference($"step {step} ({done})");
        }
        Assert.True(kinds.Count >= 8, "the steps covered only " + string.Join(", ", kinds));
    }

    private static DateTime StoredAsOf(int step) => StoreFixtures.Now.AddHours(1 + step);
}

public sealed class LiteDbReplicationStoreContractTests : ReplicationStoreContract
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"dvk-repl-{Guid.NewGuid():N}.db");
    private readonly LiteDbContext _db;
    private readonly IEntryStore _entries;

    public LiteDbReplicationStoreContractTests()
    {
        _db = new LiteDbContext(_file);
        _entries = new LiteDbEntryStore(_db);
        Replications = new LiteDbReplicationStore(_db);
        Reports = new LiteDbReportStore(_db);
        Rounds = new LiteDbRoundStore(_db);
    }

    protected override IReplicationStore Replications { get; }
    protected override IReportStore Reports { get; }
    protected override IEntryStore Entries => _entries;
    protected override IRoundStore Rounds { get; }
    protected override Task SeedEntriesAsync(IReadOnlyList<Entry> entries) => _entries.InsertManyAsync(entries);

    protected override async Task ReplaceEntryAsync(Entry entry) =>
        Assert.True(await _entries.ReplaceAsync(entry, entry.Version - 1));

    public override void Dispose()
    {
        _db.Dispose();
        foreach (var f in new[] { _file, _file.Replace(".db", "-log.db") })
            if (File.Exists(f)) File.Delete(f);
        if (Directory.Exists(LiteDbContext.SearchDirectoryOf(_file))) Directory.Delete(LiteDbContext.SearchDirectoryOf(_file), recursive: true);
    }
}

/// <summary>The same contract on MongoDB, with entries written through the Mongo entry adapter, in a database of its own.</summary>
[RequiresMongo]
public sealed class MongoReplicationStoreContractTests : ReplicationStoreContract
{
    private readonly string _name = MongoTestServer.NewDatabaseName("dvk_repl");
    private readonly MongoContext? _db;
    private readonly IEntryStore? _entries;

    public MongoReplicationStoreContractTests()
    {
        if (MongoTestServer.Uri is null) return;
        _db = new MongoContext(MongoTestServer.Client, _name);
        _db.EnsureIndexesAsync().GetAwaiter().GetResult();
        _entries = new MongoEntryStore(_db);
        Replications = new MongoReplicationStore(_db);
        Reports = new MongoReportStore(_db);
        Rounds = new MongoRoundStore(_db);
    }

    protected override IReplicationStore Replications { get; } = null!;
    protected override IReportStore Reports { get; } = null!;
    protected override IEntryStore Entries => _entries!;
    protected override IRoundStore Rounds { get; } = null!;

    protected override Task SeedEntriesAsync(IReadOnlyList<Entry> entries) => _entries!.InsertManyAsync(entries);

    protected override async Task ReplaceEntryAsync(Entry entry) =>
        Assert.True(await _entries!.ReplaceAsync(entry, entry.Version - 1));

    public override void Dispose()
    {
        if (_db is null) return;
        MongoTestServer.DropAsync(_name).GetAwaiter().GetResult();
        _db.Dispose();
    }
}
