using System.Globalization;
using Bogus;
using DanVanKheo.Api.Councils;
using DanVanKheo.Api.Entries;
using DanVanKheo.Api.Rounds;
using DanVanKheo.Api.Units;

namespace DanVanKheo.Seed.Generation;

/// <summary>A planned council member: who, from which unit, in which role.</summary>
internal sealed record MemberPlan(string UserId, string DisplayName, SeedUnit Home, CouncilRole Role);

internal sealed class CouncilPlan
{
    public required SeedUnit Unit { get; init; }
    public required string Name { get; init; }
    public required DateTime CreatedAt { get; init; }
    public List<MemberPlan> Members { get; } = [];
    public List<RoundPlan> Rounds { get; } = [];
}

/// <summary>An entry offered to a round, with how good it is (0–1) and how its unit ranks it.</summary>
internal sealed record Candidate(string EntryId, double Quality, double Priority);

/// <summary>
/// A round to run: its council, scope, year, calendar and how far it gets by the dataset's "today"
/// (PUBLISHED for past years, NOMINATING or VOTING for the current one). Candidates are the
/// scope's REGISTERED entries of the year, offered by the entry stage as they stream past; a
/// bounded heap keeps the ones the units would put forward.
/// </summary>
internal sealed class RoundPlan
{
    public required CouncilPlan Council { get; init; }
    public required SeedUnit Scope { get; init; }
    public required int Year { get; init; }
    public required EntryLevel Level { get; init; }
    public required string Name { get; init; }
    public required RoundStatus Target { get; init; }
    public EntryKind? Kind { get; init; }
    public required DateTime NominationsOpenAt { get; init; }
    public required DateTime NominationsCloseAt { get; init; }
    public required DateTime VotingOpensAt { get; init; }
    public required DateTime VotingClosesAt { get; init; }
    public required DateTime PublishAt { get; init; }
    public required int Capacity { get; init; }
    public required double Rate { get; init; }
    public long Seen { get; set; }
    public PriorityQueue<Candidate, (double, string)> Heap { get; } = new();

    public void Offer(Candidate c)
    {
        Seen++;
        Heap.Enqueue(c, (c.Priority, c.EntryId));
        if (Heap.Count > Capacity) Heap.Dequeue();
    }

    /// <summary>The nominations to make, best first: a share of the candidates seen, at least a few.</summary>
    public List<Candidate> Nominees()
    {
        var n = (int)Math.Min(Heap.Count, Math.Max(Math.Min(3, Seen), Math.Ceiling(Seen * Rate)));
        return Heap.UnorderedItems.Select(x => x.Element)
            .OrderByDescending(c => c.Priority).ThenBy(c => c.EntryId, StringComparer.Ordinal)
            .Take(n).ToList();
    }
}

/// <summary>
/// The councils (Hội đồng Thi đua – Khen thưởng) and rounds of a run, decided from the unit
/// catalog before the entries stream, so the entry stage can offer each entry to the rounds
/// whose scope and year it falls in without anything being read back.
/// </summary>
internal sealed class RecognitionPlan
{
    public const int FirstYear = 2021;

    public List<CouncilPlan> Councils { get; } = [];
    private readonly Dictionary<(string UnitId, int Year), List<RoundPlan>> byScope = [];
    private readonly Randomizer random;

    private RecognitionPlan(Randomizer random) => this.random = random;

    public IEnumerable<RoundPlan> Rounds => Councils.SelectMany(c => c.Rounds);

    public static RecognitionPlan Build(UnitCatalog catalog, SeedOptions options, TemplateData templates, Randomizer random)
    {
        var plan = new RecognitionPlan(random);
        var text = new VietnameseText(templates, random);
        var current = SeedGenerator.AsOf.Year;
        var effective = catalog.Effective;
        var provinces = catalog.Units.Where(u => u.Kind == UnitKind.Province && u.TakesEntries).ToList();
        foreach (var province in provinces)
        {
            var from = Math.Max(province.Unit.ValidFrom?.Year ?? FirstYear, options.CompactRounds ? current - 1 : FirstYear);
            var to = province.Unit.ValidTo is { } end ? end.Year - 1 : current;
            var real = province.Unit.ValidTo is not null || province.Unit.ValidFrom is not null;
            if (from > to) continue;
            var council = plan.Council(catalog, province, text, real ? 11 : 9, options);
            for (var year = Math.Max(from, FirstYear); year <= to; year++)
            {
                var place = province.ProvincePlace;
                if (year < current)
                    plan.AddRound(council, province, year, EntryLevel.Province, RoundStatus.Published, null,
                        $"Xét chọn mô hình, điển hình \"Dân vận khéo\" cấp tỉnh năm {year} – {place}", new DateTime(year, 11, 21), real ? 300 : 40, real ? 0.01 : 0.004);
                else if (real)
                {
                    plan.AddRound(council, province, year, EntryLevel.Province, RoundStatus.Voting, EntryKind.Model,
                        $"Xét chọn mô hình \"Dân vận khéo\" tiêu biểu 6 tháng đầu năm {year} – {place}", new DateTime(year, 4, 1), 80, 0.004);
                    plan.AddRound(council, province, year, EntryLevel.Province, RoundStatus.Nominating, EntryKind.Exemplar,
                        $"Xét chọn điển hình \"Dân vận khéo\" năm {year} – {place}", new DateTime(year, 6, 1), 80, 0.004);
                }
                else
                    plan.AddRound(council, province, year, EntryLevel.Province,
                        plan.Councils.Count % 2 == 0 ? RoundStatus.Voting : RoundStatus.Nominating, null,
                        $"Xét chọn mô hình, điển hình \"Dân vận khéo\" năm {year} – {place}", new DateTime(year, 4, 1), 40, 0.003);
            }

            // A few districts of the real province hold their own rounds until the district level ends.
            if (!real || province.Unit.ValidTo is null || options.CompactRounds) continue;
            var districts = catalog.Units.Where(u => u.Kind == UnitKind.District && u.Unit.ParentId == province.Unit.Id).ToList();
            foreach (var district in random.Shuffle(districts).Take(3).OrderBy(d => d.Unit.Code, StringComparer.Ordinal))
            {
                var dc = plan.Council(catalog, district, text, 7, options);
                for (var year = FirstYear; year < effective.Year; year++)
                    plan.AddRound(dc, district, year, EntryLevel.District, RoundStatus.Published, null,
                        $"Xét chọn mô hình \"Dân vận khéo\" năm {year} – {district.Place}", new DateTime(year, 9, 1), 60, 0.03);
            }
        }
        return plan;
    }

    private CouncilPlan Council(UnitCatalog catalog, SeedUnit unit, VietnameseText text, int size, SeedOptions options)
    {
        var council = new CouncilPlan
        {
            Unit = unit,
            Name = "Hội đồng Thi đua – Khen thưởng " + unit.Place,
            CreatedAt = new DateTime(Math.Max(unit.Unit.ValidFrom?.Year ?? FirstYear, FirstYear), 2, 15, 2, 0, 0, DateTimeKind.Utc)
                .AddMinutes(random.Number(0, 600)),
        };
        // Home units below the council's unit: a member from a department or commune must recuse
        // from that unit's nominations, so conflicts of interest occur but stay the exception.
        var below = catalog.Units.Where(u => u.Unit.AncestorIds.Contains(unit.Unit.Id) && (u.Unit.ValidTo is null) == (unit.Unit.ValidTo is null))
            .ToList();
        var offices = below.Where(u => u.Kind == UnitKind.Department).ToList();
        var local = below.Where(u => u.Kind is UnitKind.District or UnitKind.Commune && u.Unit.ParentId == unit.Unit.Id).ToList();
        var homes = new List<SeedUnit>();
        if (offices.Count > 0)
        {
            var interior = offices.FirstOrDefault(o => o.Unit.Name.StartsWith("Sở Nội vụ", StringComparison.Ordinal)) ?? offices[0];
            homes.Add(interior);
            homes.Add(interior);
            homes.AddRange(random.Shuffle(offices.Where(o => o != interior)).Take(size - 4));
            homes.AddRange(random.Shuffle(local).Take(size - homes.Count));
        }
        else homes.AddRange(random.Shuffle(local).Take(size));
        for (var i = 0; i < homes.Count; i++)
        {
            var role = i == 0 ? CouncilRole.Chair : i == 1 ? CouncilRole.Secretary : CouncilRole.Member;
            var (name, _) = text.PersonName();
            var title = role switch
            {
                CouncilRole.Chair => "Chủ tịch Hội đồng",
                CouncilRole.Secretary => "Thư ký Hội đồng",
                _ when homes[i].Kind == UnitKind.Department => "lãnh đạo " + homes[i].Unit.Name,
                _ => "Chủ tịch UBND " + homes[i].Place,
            };
            council.Members.Add(new MemberPlan(new Guid(random.Bytes(16)).ToString("D"), $"{name} – {title}", homes[i], role));
        }
        Councils.Add(council);
        return council;
    }

    private void AddRound(CouncilPlan council, SeedUnit scope, int year, EntryLevel level, RoundStatus target, EntryKind? kind,
        string name, DateTime open, int capacity, double rate)
    {
        open = DateTime.SpecifyKind(open, DateTimeKind.Utc).AddHours(1 + random.Number(0, 8));
        var nominationsClose = target == RoundStatus.Nominating
            ? Max(open.AddDays(75), SeedGenerator.AsOfMoment.AddDays(15)) : open.AddDays(14);
        var round = new RoundPlan
        {
            Council = council, Scope = scope, Year = year, Level = level, Name = name, Target = target, Kind = kind,
            NominationsOpenAt = open,
            NominationsCloseAt = nominationsClose,
            VotingOpensAt = nominationsClose.AddDays(2),
            VotingClosesAt = target switch
            {
                RoundStatus.Voting => SeedGenerator.AsOfMoment.AddDays(10),
                RoundStatus.Nominating => nominationsClose.AddDays(30),
                _ => open.AddDays(28),
            },
            PublishAt = open.AddDays(36),
            Capacity = capacity,
            Rate = rate,
        };
        council.Rounds.Add(round);
        var key = (scope.Unit.Id, year);
        if (!byScope.TryGetValue(key, out var list)) byScope[key] = list = [];
        list.Add(round);
    }

    /// <summary>Called by the entry stage for every entry, in order.</summary>
    public void Offer(Entry entry)
    {
        if (entry.Status != EntryStatus.Registered || entry.SubmittedAt is not { } submitted) return;
        Candidate? candidate = null;
        foreach (var unitId in entry.UnitLineage)
        {
            if (!byScope.TryGetValue((unitId, entry.Year), out var rounds)) continue;
            foreach (var round in rounds)
            {
                // A council does not judge its own unit's entries: every member's home unit is below
                // it, so all would have to recuse (those go to the level above).
                if (submitted >= round.NominationsOpenAt || (round.Kind is { } k && k != entry.Kind) || entry.UnitId == unitId) continue;
                candidate ??= Assess(entry);
                round.Offer(candidate);
            }
        }
    }

    /// <summary>Quality from the reported figures and evidence; the unit's priority mixes it with chance.</summary>
    private Candidate Assess(Entry e)
    {
        var r = e.Results;
        double s = 0;
        var n = 0;
        void Add(double? value, double median, double sigma)
        {
            if (value is not { } v || v <= 0) return;
            s += Math.Log(v / median) / sigma;
            n++;
        }
        Add(r.PeopleReached, 400, 0.9);
        Add(r.HouseholdsReached, 120, 0.8);
        Add(r.MoneyMobilizedVnd, 150_000_000, 1.1);
        Add(r.Workdays, 300, 0.9);
        if (n > 0) s /= Math.Sqrt(n);
        s += 0.3 * e.Evidence.Count - 0.2 + 0.6 * random.Gaussian();
        var quality = 1 / (1 + Math.Exp(-0.9 * s - 0.3));
        return new Candidate(e.Id, quality, 0.6 * quality + 0.4 * random.Double());
    }

    private static DateTime Max(DateTime a, DateTime b) => a > b ? a : b;

    /// <summary>"1234/QĐ-UBND": the People's Committee's decision conferring the recognitions.</summary>
    public static string DecisionNumber(Randomizer random) =>
        string.Create(CultureInfo.InvariantCulture, $"{random.Number(120, 3900)}/QĐ-UBND");
}
