using DanVanKheo.Api.Auth;
using DanVanKheo.Api.Common;
using DanVanKheo.Api.Councils;
using DanVanKheo.Api.Entries;
using DanVanKheo.Api.Fields;
using DanVanKheo.Api.Replications;
using DanVanKheo.Api.Reports;
using DanVanKheo.Api.Rounds;
using DanVanKheo.Api.Units;
using DanVanKheo.Tests.Infrastructure;
using DanVanKheo.Tests.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace DanVanKheo.Tests.Consistency;

/// <summary>
/// Model-based consistency: random sequences of the registry's changes, run through the same use
/// cases the API runs, on the store the API is configured with (the embedded one, or MongoDB when
/// MONGODB_URI is set). After every step every entry read an official relies on — each status
/// filter, search, unit subtree, order and count, and the report's aggregation — must equal a
/// brute-force reading of the stored entries themselves. An index, key copy or summary that misses
/// a write path (a publish that forgets the search index, say) fails here.
/// <para>
/// What each step costs is chosen for MongoDB's emulator, where every round trip is slow: after a
/// change, <see cref="SampledReads"/> of the reads (picked at random) in one random order, and every
/// <see cref="FullCheckEvery"/>th step every read in every order. A key, copy or summary that a write
/// path left stale stays stale until that entry changes again, so a missed write is still caught, at
/// the latest by the next full check (the failure names the step that found it and the last change).
/// The stored entries are read once per step, and the next change picks its targets from that reading.
/// </para>
/// </summary>
public sealed class ConsistencyTests(RegistryApiFactory factory, Xunit.Abstractions.ITestOutputHelper output) : IClassFixture<RegistryApiFactory>
{
    private const int Steps = 1000;
    private const int SampledReads = 3;
    private const int FullCheckEvery = 10;
    private const string Admin = "consistency-admin";

    private static readonly string[] Words =
        ["Dân vận khéo", "hiến đất", "làm đường", "nông thôn mới", "giảm nghèo", "chuyển đổi số", "Phú Quốc", "tôm lúa", "Đảm đang", "Ăn ở sạch"];

    [ApiFact]
    public Task Every_entry_read_matches_the_stored_entries_after_each_of_1000_random_changes() => RunAsync(reports: false);

    [ApiFact]
    public Task The_report_aggregation_matches_the_stored_entries_after_each_of_1000_random_changes() => RunAsync(reports: true);

    private async Task RunAsync(bool reports)
    {
        var world = await World.CreateAsync(factory, reports);
        var random = new Random(20251202);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var counts = new Dictionary<string, int>();
        for (var step = 0; step < Steps; step++)
        {
            var op = world.Pick(random);
            var done = await op.Run(world, random);
            counts[op.Name + (done ? "" : " (refused)")] = counts.GetValueOrDefault(op.Name + (done ? "" : " (refused)")) + 1;
            await world.CheckAsync(random, $"step {step}, after {op.Name}", full: step % FullCheckEvery == FullCheckEvery - 1 || step == Steps - 1);
        }
        output.WriteLine($"{Steps} steps in {clock.Elapsed.TotalSeconds:0} s: {string.Join(", ", counts.Select(c => $"{c.Key} {c.Value}"))}; " +
            $"{world.Reads} reads compared");
        // Every kind of change actually happened, not only its refusals.
        foreach (var name in World.Operations.Select(o => o.Name))
            Assert.True(counts.GetValueOrDefault(name) > 0, $"{name} never succeeded: {string.Join(", ", counts)}");
    }

    private sealed record Operation(string Name, int Weight, Func<World, Random, Task<bool>> Run);

    private sealed class World(RegistryApiFactory factory, IReadOnlyList<Unit> units, Unit root, IReadOnlyList<string> fieldIds, Council council, bool reports)
    {
        private readonly List<string> _entryIds = [];
        /// <summary>The stored entries as the last check read them: nothing changes between a check and the next change.</summary>
        private IReadOnlyList<Entry> _stored = [];
        public int Reads { get; private set; }
        private Council _council = council;

        public static readonly IReadOnlyList<Operation> Operations =
        [
            new("createEntry", 30, (w, r) => w.CreateEntryAsync(r)),
            new("updateEntry", 12, (w, r) => w.ChangeAsync(r, EntryStatus.Draft, (c, e, v) => c.UpdateAsync(w.UpdateInput(r, e, v), default))),
            new("submitEntry", 25, (w, r) => w.ChangeAsync(r, EntryStatus.Draft, (c, e, v) => c.SubmitAsync(new EntryVersionInput { Id = e, Version = v }, default))),
            new("discontinueEntry", 5, (w, r) => w.ChangeAsync(r, EntryStatus.Registered,
                (c, e, v) => c.DiscontinueAsync(new EntryVersionInput { Id = e, Version = v, Reason = "Đơn vị sáp nhập" }, default))),
            new("recordReplication", 8, (w, r) => w.ReplicateAsync(r)),
            new("publishRound", 3, (w, r) => w.PublishAsync(r)),
        ];

        public Operation Pick(Random random)
        {
            var n = random.Next(Operations.Sum(o => o.Weight));
            foreach (var o in Operations)
                if ((n -= o.Weight) < 0) return o;
            return Operations[0];
        }

        public static async Task<World> CreateAsync(RegistryApiFactory factory, bool reports)
        {
            var fields = await Scoped(factory, sp => sp.GetRequiredService<IFieldStore>().ListAsync());
            var units = new List<Unit>();
            var root = await Scoped(factory, sp => sp.GetRequiredService<CreateUnit>().ExecuteAsync(
                new CreateUnitInput { Code = Code("P"), Name = "Tỉnh Nhất Quán", Kind = UnitKind.Province }, default));
            units.Add(root);
            for (var d = 0; d < 3; d++)
            {
                var district = await Scoped(factory, sp => sp.GetRequiredService<CreateUnit>().ExecuteAsync(new CreateUnitInput
                    { Code = Code("H"), Name = $"Huyện Nhất Quán {d}", Kind = UnitKind.District, ParentId = GlobalId.Encode("Unit", root.Id) }, default));
                units.Add(district);
                for (var x = 0; x < 3; x++)
                    units.Add(await Scoped(factory, sp => sp.GetRequiredService<CreateUnit>().ExecuteAsync(new CreateUnitInput
                        { Code = Code("X"), Name = $"Xã Nhất Quán {d}-{x}", Kind = UnitKind.Commune, ParentId = GlobalId.Encode("Unit", district.Id) }, default)));
            }
            // The council's member works for a department no entry is filed under: never in conflict of interest.
            var department = await Scoped(factory, sp => sp.GetRequiredService<CreateUnit>().ExecuteAsync(new CreateUnitInput
                { Code = Code("S"), Name = "Sở Nội vụ", Kind = UnitKind.Department, ParentId = GlobalId.Encode("Unit", root.Id) }, default));
            var council = await Scoped(factory, sp => sp.GetRequiredService<CreateCouncil>().ExecuteAsync(
                new CreateCouncilInput { UnitId = GlobalId.Encode("Unit", root.Id), Name = "Hội đồng Thi đua – Khen thưởng tỉnh" }, default));
            council = await Scoped(factory, sp => sp.GetRequiredService<ChangeCouncilMembers>().AddAsync(new AddCouncilMemberInput
            {
                CouncilId = GlobalId.Encode("Council", council.Id), Version = council.Version, UserId = Admin, DisplayName = "Chủ tịch Hội đồng",
                HomeUnitId = GlobalId.Encode("Unit", department.Id), Role = CouncilRole.Chair,
            }, default));
            return new World(factory, units, root, [.. fields.Select(f => f.Id)], council, reports);
        }

        private static string Code(string prefix) => $"NQ.{prefix}{Guid.NewGuid().ToString("N")[..8].ToUpperInvariant()}";

        /// <summary>Runs <paramref name="work"/> as one request of a registry admin, as the API would.</summary>
        private static async Task<T> Scoped<T>(RegistryApiFactory factory, Func<IServiceProvider, Task<T>> work)
        {
            await using var scope = factory.Services.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<RequestContext>()
                .Start(new Caller(Admin, "Quản trị viên", new HashSet<string> { Roles.Admin }, null), "consistency:" + Guid.NewGuid().ToString("N"));
            return await work(scope.ServiceProvider);
        }

        private Task<T> Scoped<T>(Func<IServiceProvider, Task<T>> work) => Scoped(factory, work);

        /// <summary>True when the change was made; a refusal must have changed nothing, which the next check verifies.</summary>
        private async Task<bool> Try(Func<Task> work)
        {
            var (_, refusal) = await Refusals.TryAsync(async () => { await work(); return true; });
            return refusal is null;
        }

        private async Task<IReadOnlyList<Entry>> StoredAsync() =>
            await Scoped(sp => sp.GetRequiredService<IEntryStore>().GetByIdsAsync(_entryIds));

        private Task<Entry?> AnyAsync(Random random, Func<Entry, bool> where)
        {
            var candidates = _stored.Where(where).OrderBy(e => e.Id, StringComparer.Ordinal).ToList();
            return Task.FromResult(candidates.Count == 0 ? null : candidates[random.Next(candidates.Count)]);
        }

        private string Title(Random random) =>
            $"Mô hình “{Words[random.Next(Words.Length)]}” {Words[random.Next(Words.Length)].ToLowerInvariant()} số {random.Next(1000)}";

        private async Task<bool> CreateEntryAsync(Random random)
        {
            var unit = units[random.Next(units.Count)];
            var exemplar = random.Next(5) == 0;
            var input = new CreateEntryInput
            {
                UnitId = GlobalId.Encode("Unit", unit.Id), Title = Title(random), Summary = "Tóm tắt kết quả thực hiện.",
                Kind = exemplar ? EntryKind.Exemplar : EntryKind.Model, ExemplarType = exemplar ? ExemplarType.Collective : null,
                FieldId = GlobalId.Encode("Field", fieldIds[random.Next(fieldIds.Count)]),
                Level = unit.Kind == UnitKind.Province ? EntryLevel.Province : unit.Kind == UnitKind.District ? EntryLevel.District : EntryLevel.Commune,
                StartDate = new DateOnly(2020 + random.Next(6), 1 + random.Next(12), 1),
                Results = new EntryResults { PeopleReached = random.Next(5000), HouseholdsReached = random.Next(900) },
            };
            Entry? created = null;
            var done = await Try(async () => created = await Scoped(sp => sp.GetRequiredService<CreateEntry>().ExecuteAsync(input, default)));
            if (created is not null) _entryIds.Add(created.Id);
            return done;
        }

        public UpdateEntryInput UpdateInput(Random random, string id, int version) => new()
        {
            Id = id, Version = version, Title = Title(random), Summary = "Tóm tắt đã sửa.", Kind = EntryKind.Model,
            FieldId = GlobalId.Encode("Field", fieldIds[random.Next(fieldIds.Count)]), Level = EntryLevel.Commune,
            StartDate = new DateOnly(2021 + random.Next(5), 6, 1),
        };

        private async Task<bool> ChangeAsync(Random random, EntryStatus from, Func<ChangeEntry, string, int, Task<Entry>> change)
        {
            var entry = await AnyAsync(random, e => e.Status == from);
            if (entry is null) return false;
            return await Try(() => Scoped(sp => change(sp.GetRequiredService<ChangeEntry>(), GlobalId.Encode("Entry", entry.Id), entry.Version)));
        }

        private async Task<bool> ReplicateAsync(Random random)
        {
            var source = await AnyAsync(random, e => e.Status is EntryStatus.Registered or EntryStatus.Recognized);
            if (source is null) return false;
            var derived = await AnyAsync(random, e => e.UnitId != source.UnitId && e.ReplicatedFromEntryId is null && e.Status != EntryStatus.Discontinued);
            if (derived is null) return false;
            return await Try(() => Scoped(sp => sp.GetRequiredService<RecordReplication>().ExecuteAsync(new RecordReplicationInput
            {
                SourceEntryId = GlobalId.Encode("Entry", source.Id), AdoptingUnitId = GlobalId.Encode("Unit", derived.UnitId),
                DerivedEntryId = GlobalId.Encode("Entry", derived.Id), PlannedOn = new DateOnly(2025, 3, 1), AdaptationNotes = "Điều chỉnh theo địa phương",
            }, default)));
        }

        /// <summary>A whole round: one to three registered entries nominated, approved by the council's one member, closed and published.</summary>
        private async Task<bool> PublishAsync(Random random)
        {
            // Not the province's own entries: the member's department sits below it (a conflict of interest).
            var nominees = _stored.Where(e => e.Status == EntryStatus.Registered && e.UnitId != root.Id).OrderBy(_ => random.Next()).Take(1 + random.Next(3)).ToList();
            if (nominees.Count == 0) return false;
            var now = DateTime.UtcNow;
            var round = await Scoped(sp => sp.GetRequiredService<CreateRound>().ExecuteAsync(new CreateRoundInput
            {
                Name = "Xét chọn mô hình tiêu biểu", Level = EntryLevel.Province, Year = 2025, CouncilId = GlobalId.Encode("Council", _council.Id),
                ScopeUnitId = GlobalId.Encode("Unit", root.Id),
                Rubric = [new Criterion { Name = "Hiệu quả", Weight = 100, MaxScore = 10 }],
                Rule = new ApprovalRule { Quorum = Fraction.Of(1, 1), Threshold = Fraction.Of(1, 2), Base = ThresholdBase.AllMembers, Comparison = ThresholdComparison.GreaterThan },
                Recognition = new RecognitionSpec { Form = random.Next(2) == 0 ? "Bằng khen" : "Giấy khen", IssuingLevel = EntryLevel.Province, Issuer = "Ủy ban nhân dân tỉnh" },
                NominationsCloseAt = now.AddDays(1), VotingClosesAt = now.AddDays(2),
            }, default));
            string Id() => GlobalId.Encode("Round", round.Id);
            round = await Scoped(sp => sp.GetRequiredService<RoundLifecycle>().OpenNominationsAsync(new RoundStepInput { Id = Id(), Version = round.Version }, default));
            var nominations = new List<Nomination>();
            foreach (var e in nominees)
                nominations.Add(await Scoped(sp => sp.GetRequiredService<Nominations>().NominateAsync(
                    new NominateEntryInput { RoundId = Id(), EntryId = GlobalId.Encode("Entry", e.Id), Justification = "Hiệu quả rõ rệt, lan tỏa rộng." }, default)));
            round = await Scoped(sp => sp.GetRequiredService<RoundLifecycle>().OpenVotingAsync(new RoundStepInput { Id = Id(), Version = round.Version }, default));
            foreach (var n in nominations)
                await Scoped(sp => sp.GetRequiredService<Ballots>().CastAsync(new CastBallotInput
                    { NominationId = GlobalId.Encode("Nomination", n.Id), Choice = BallotChoice.Approve, Scores = [8] }, default));
            round = await Scoped(sp => sp.GetRequiredService<RoundLifecycle>().CloseAsync(new RoundStepInput { Id = Id(), Version = round.Version }, default));
            await Scoped(sp => sp.GetRequiredService<RoundLifecycle>().PublishAsync(
                new RoundStepInput { Id = Id(), Version = round.Version, DecisionNumber = $"{random.Next(1, 999)}/QĐ-UBND", DecisionDate = new DateOnly(2025, 12, 1) }, default));
            _council = (await Scoped(sp => sp.GetRequiredService<ICouncilStore>().GetByIdsAsync([_council.Id]))).Single();
            return true;
        }

        /// <summary>Every read below against the brute-force answer from the stored entries.</summary>
        public async Task CheckAsync(Random random, string when, bool full)
        {
            var all = _stored = await StoredAsync();
            Assert.Equal(_entryIds.Count, all.Count);
            var unit = units[random.Next(units.Count)];
            if (reports)
            {
                await CheckReportsAsync(random, when, all, unit);
                return;
            }
            var everything = new EntryFilter { Visibility = EntryVisibility.Everything };
            var checks = new List<(string What, EntryFilter Filter, Func<Entry, bool> Truth)>
            {
                ("all", everything, _ => true),
                ("public", new EntryFilter(), e => e.Status != EntryStatus.Draft),
            };
            foreach (var status in Enum.GetValues<EntryStatus>())
                checks.Add(($"status {status}", everything with { Statuses = [status] }, e => e.Status == status));
            checks.Add(($"subtree of {unit.Name}", everything with { UnitId = unit.Id, IncludeSubunits = true }, e => e.UnitLineage.Contains(unit.Id)));
            checks.Add(($"unit {unit.Name}", everything with { UnitId = unit.Id }, e => e.UnitId == unit.Id));
            var field = fieldIds[random.Next(fieldIds.Count)];
            checks.Add(("field", everything with { FieldId = field, Kind = EntryKind.Model }, e => e.FieldId == field && e.Kind == EntryKind.Model));
            if (all.Count > 0)
            {
                var words = TextFolding.IndexTokens(all[random.Next(all.Count)].Title, "").Where(t => t.Length > 2).ToList();
                if (words.Count > 0)
                {
                    var term = words[random.Next(words.Count)][..3];
                    checks.Add(($"search '{term}'", everything with { SearchTerms = [term] }, e => e.SearchTokens.Any(t => t.StartsWith(term, StringComparison.Ordinal))));
                }
            }
            var year = 2025 + random.Next(2);
            checks.Add(($"year {year}", everything with { Year = year, Statuses = [EntryStatus.Registered, EntryStatus.Recognized] },
                e => e.Year == year && e.Status is EntryStatus.Registered or EntryStatus.Recognized));

            // A few reads in one order picked at random; a full check: every read in every order (see the class summary).
            EntrySort[] orders = [new EntrySort(), new EntrySort(EntrySortField.Title, SortDirection.Asc), new EntrySort(EntrySortField.UpdatedAt)];
            var reads = full ? checks : checks.OrderBy(_ => random.Next()).Take(SampledReads).ToList();
            foreach (var (what, filter, truth) in reads)
            foreach (var sort in full ? orders : [orders[random.Next(orders.Length)]])
            {
                Reads++;
                var expected = all.Where(truth).Select(e => (Key: EntrySort.KeyOf(e, sort.Field), e.Code)).ToList();
                expected.Sort((a, b) => sort.Direction == SortDirection.Asc ? string.CompareOrdinal(a.Key, b.Key) : string.CompareOrdinal(b.Key, a.Key));
                var page = await Scoped(sp => sp.GetRequiredService<IEntryStore>().FindAsync(filter, sort, new PageRequest(PageRequest.MaxPageSize)));
                Assert.True(expected.Count == page.TotalCount, $"{when}: {what} counted {page.TotalCount}, the stored entries say {expected.Count}.");
                var want = expected.Take(PageRequest.MaxPageSize).Select(x => x.Code).ToList();
                var got = page.Items.Select(e => e.Code).ToList();
                Assert.True(want.SequenceEqual(got), $"{when}: {what} by {sort.Field} {sort.Direction} listed other entries than the stored ones: " +
                    $"missing [{string.Join(", ", want.Except(got).Take(5))}], extra [{string.Join(", ", got.Except(want).Take(5))}], " +
                    $"first difference at {want.Zip(got).TakeWhile(p => p.First == p.Second).Count()}.");
            }
        }

        private async Task CheckReportsAsync(Random random, string when, IReadOnlyList<Entry> all, Unit unit)
        {
            foreach (var (scopeUnit, subunits) in new[] { (root.Id, true), (unit.Id, random.Next(2) == 0) })
            {
                var scope = new ReportScope([scopeUnit], subunits, 2025 + random.Next(2), EntryVisibility.Everything);
                var stored = await Scoped(sp => sp.GetRequiredService<IReportStore>().SummarizeAsync(scope));
                var truth = ReportRules.SummarizeInMemory(all, scope);
                Assert.True(truth.Select(s => s.ToString()).SequenceEqual(stored.Select(s => s.ToString())),
                    $"{when}: the report's aggregation for {scopeUnit} {scope.Year} differs from the stored entries:\n" +
                    $"stored: {string.Join(" | ", stored)}\nentries: {string.Join(" | ", truth)}");
            }
        }
    }
}
