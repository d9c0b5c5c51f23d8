using System.Collections.Frozen;
using System.Collections.Immutable;
using Bogus;
using DanVanKheo.Api.Common;
using DanVanKheo.Api.Entries;
using DanVanKheo.Api.Replications;
using DanVanKheo.Api.Units;

namespace DanVanKheo.Seed.Generation;

/// <summary>An entry the entry stage created as a replication of <see cref="Source"/>; <see cref="Path"/> is its replication's path.</summary>
internal sealed record ReplicationSeed(
    string DerivedId, string DerivedUnitId, EntryStatus DerivedStatus, DateTime? DerivedDiscontinuedAt, DateTime RegisteredAt,
    EntryFactory.SourceRef Source, List<string> Path);

/// <summary>
/// Replications (nhân rộng) through <see cref="ReplicationRules"/>: one for each entry the entry
/// stage derived from an earlier model (its derived entry, already marked REPLICATED), plus some
/// adoptions by other units without an entry of their own. Sources were picked partly by
/// popularity and derived models can be adopted in turn, so lineages run to four generations
/// and a few models spread widely while most are never adopted. Written in batches.
/// </summary>
internal sealed class ReplicationStage : ISeedStage
{
    private const double PlainAdoptionShare = 0.35;

    private static readonly ImmutableArray<string> Notes =
    [
        "Học tập cách làm, điều chỉnh phù hợp với điều kiện thực tế của địa phương.",
        "Tổ chức tham quan, trao đổi kinh nghiệm tại đơn vị có mô hình; phân công cán bộ theo dõi, hướng dẫn.",
        "Vận dụng quy trình vận động nhân dân của mô hình gốc, lồng ghép vào các phong trào thi đua của đơn vị.",
        "Xây dựng kế hoạch nhân rộng, giao Mặt trận và các đoàn thể chủ trì thực hiện.",
    ];

    private static readonly ImmutableArray<string> DiscontinuedReasons =
    [
        "Không còn phù hợp sau khi sắp xếp đơn vị hành chính.",
        "Thiếu nguồn lực duy trì.",
        "Đã lồng ghép vào mô hình khác của địa phương.",
    ];

    public string Name => "Replications";

    public async Task RunAsync(SeedContext context, IProgress<SeedProgress>? progress, CancellationToken ct)
    {
        if (context.Stores.Replications is not { } store) return;
        var catalog = context.Units!;
        var summary = context.Summary;
        var random = SeedRandom.For(context.Options.Seed, Name, summary.EntriesInserted);
        var ids = new IdSource(random);
        var clock = new SeedClock();
        using var scope = Ids.Use(() => ids.Next(clock.Now));
        var units = catalog.Units.ToDictionary(u => u.Unit.Id, StringComparer.Ordinal);
        var pairs = context.AdoptedPairs;
        var adoptions = new Dictionary<string, int>(StringComparer.Ordinal);
        var seeds = context.Replicated;
        var batch = new List<Replication>(Math.Min(context.Options.BatchSize, Math.Max(seeds.Count, 1)));
        progress?.Report(new SeedProgress(Name, 0, seeds.Count));

        for (var i = 0; i < seeds.Count; i++)
        {
            ct.ThrowIfCancellationRequested();
            var seed = seeds[i];
            var registered = DateOnly.FromDateTime(seed.RegisteredAt);
            var planned = Max(registered.AddDays(-random.Number(0, 45)), seed.Source.RegisteredOn);
            var derived = new Entry { Id = seed.DerivedId, UnitId = seed.DerivedUnitId, ReplicatedFromEntryId = seed.Source.Id };
            var discontinued = seed.DerivedStatus == EntryStatus.Discontinued && seed.DerivedDiscontinuedAt is { } d ? DateOnly.FromDateTime(d) : (DateOnly?)null;
            batch.Add(Create(seed, units[seed.DerivedUnitId].Unit, derived, planned, discontinued, random, ids, clock));
            Count(adoptions, seed.Source.Id);

            // Another unit takes up the same model without registering an entry of its own.
            if (random.Double() < PlainAdoptionShare)
            {
                var day = planned.AddDays(random.Number(10, 400));
                if (day < SeedGenerator.AsOf)
                {
                    var adopting = catalog.PickUnit(day, random);
                    if (adopting.Unit.Id != seed.Source.UnitId && pairs.Add(seed.Source.Id + "|" + adopting.Unit.Id))
                    {
                        batch.Add(Create(seed, adopting.Unit, null, day, null, random, ids, clock));
                        Count(adoptions, seed.Source.Id);
                    }
                }
            }

            if (batch.Count >= batch.Capacity || i == seeds.Count - 1)
            {
                await store.InsertManyAsync(batch, ct);
                foreach (var r in batch)
                {
                    summary.Replications++;
                    EntryStage.Increment(summary.ReplicationsByStatus, r.Status.ToString().ToUpperInvariant());
                    EntryStage.Increment(summary.ReplicationsByGeneration, r.Generation);
                }
                batch.Clear();
                progress?.Report(new SeedProgress(Name, i + 1, seeds.Count));
            }
        }
        summary.TopModelAdoptions = adoptions.Count == 0 ? 0 : adoptions.Values.Max();
    }

    private static Replication Create(ReplicationSeed seed, Unit adopting, Entry? derived, DateOnly planned, DateOnly? discontinued,
        Randomizer random, IdSource ids, SeedClock clock)
    {
        var s = seed.Source;
        var source = new Entry { Id = s.Id, Code = s.Code, UnitId = s.UnitId, UnitLineage = s.UnitLineage, FieldId = s.FieldId, Status = EntryStatus.Registered };
        // The rule reads only the parent's path: a stub spares a read per replication.
        var parent = seed.Path.Count > 1 ? new Replication { Path = seed.Path[..^1] } : null;
        var createdAt = Moment(planned, random);
        clock.Now = createdAt;
        var content = new ReplicationContent { AdaptationNotes = random.ListItem(Notes) };
        var r = ReplicationRules.Record(source, adopting, derived, parent, content, planned, "seed:" + adopting.Code, createdAt);
        r.Id = ids.Next(createdAt);
        ReplicationRules.SetKeys(r);

        var asOf = SeedGenerator.AsOf;
        var last = planned;
        void Step(ReplicationStatus to, DateOnly on, string? reason = null)
        {
            var at = Moment(on, random);
            clock.Now = at;
            ReplicationRules.ChangeStatus(r, to, on, reason, at);
            last = on;
        }

        var started = planned.AddDays(random.Number(14, 90));
        if (started < asOf && (discontinued is null || started < discontinued))
        {
            Step(ReplicationStatus.Implementing, started);
            var sustained = started.AddDays(random.Number(180, 420));
            if (sustained < asOf && (discontinued is null || sustained < discontinued) && random.Bool(0.65f))
                Step(ReplicationStatus.Sustained, sustained);
        }
        if (discontinued is { } end)
            Step(ReplicationStatus.Discontinued, Max(end, last), random.ListItem(DiscontinuedReasons));
        else if (random.Bool(0.10f) && last.AddDays(60) < asOf)
        {
            var on = last.AddDays(random.Number(30, Math.Max(31, asOf.DayNumber - last.DayNumber - 1)));
            if (on < asOf) Step(ReplicationStatus.Discontinued, on, random.ListItem(DiscontinuedReasons));
        }

        if (r.StartedOn is not null)
        {
            var people = random.LogNormal(350, 0.9, 10, 200_000);
            var sustainedNote = r.SustainedOn is not null ? "Mô hình duy trì ổn định, được nhân dân đồng tình hưởng ứng." : null;
            var outcome = new ReplicationOutcome
            {
                PeopleReached = people,
                HouseholdsReached = random.Bool(0.7f) ? Math.Max(1, (long)(people / (3.2 + random.Double()))) : null,
                MoneyMobilizedVnd = random.Bool(0.5f) ? random.LogNormal(60_000_000, 1.1, 1_000_000, 20_000_000_000) / 100_000 * 100_000 : null,
                OtherResults = sustainedNote,
            };
            clock.Now = Moment(last, random);
            ReplicationRules.Update(r, content with { Outcome = outcome }, null, source, adopting, clock.Now);
        }
        return r;
    }

    private static DateTime Moment(DateOnly day, Randomizer random) =>
        day.ToDateTime(new TimeOnly(1, 0), DateTimeKind.Utc).AddMinutes(random.Number(0, 9 * 60));

    private static DateOnly Max(DateOnly a, DateOnly b) => a > b ? a : b;

    private static void Count(Dictionary<string, int> counts, string key) => counts[key] = counts.GetValueOrDefault(key) + 1;
}
