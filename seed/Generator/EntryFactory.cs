using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Text;
using Bogus;
using DanVanKheo.Api.Entries;
using DanVanKheo.Api.Fields;
using DanVanKheo.Api.Units;

namespace DanVanKheo.Seed.Generation;

/// <summary>
/// Writes one entry the way an editor would: content through <see cref="EntryRules.CreateDraft"/>,
/// then <see cref="EntryRules.Submit"/> / <see cref="EntryRules.Discontinue"/> for its later life.
/// </summary>
internal sealed class EntryFactory
{
    /// <summary>Standard field codes and their share of registrations (culture–society is the largest).</summary>
    internal static readonly ImmutableArray<(string Code, double Share)> FieldShares =
    [
        ("VAN_HOA_XA_HOI", 0.38),
        ("KINH_TE", 0.30),
        ("QUOC_PHONG_AN_NINH", 0.17),
        ("XAY_DUNG_HE_THONG_CHINH_TRI", 0.15),
    ];

    private const double ModelShare = 0.62;
    private const double CollectiveShare = 0.18;
    private const int SourcesPerField = 512;
    /// <summary>Replications form lineages of at most this many generations.</summary>
    internal const int MaxGeneration = 4;

    private readonly UnitCatalog catalog;
    private readonly TemplateData templates;
    private readonly Randomizer random;
    private readonly IdSource ids;
    private readonly VietnameseText text;
    private readonly DateTime asOf;
    private readonly Field[] fields;
    private readonly FieldTemplates[] fieldTemplates;
    private readonly TextTemplate[][] allModels;
    private readonly TextTemplate[][] officeModels;
    private readonly double[] fieldCumulative;
    private readonly SourceReservoir[] sources;
    private readonly HashSet<string> adoptedPairs = new(StringComparer.Ordinal);

    public HashSet<string> AdoptedPairs => adoptedPairs;

    /// <summary>Entries created as replications of an earlier model: the replication stage records them.</summary>
    public List<ReplicationSeed> Replicated { get; } = [];

    public EntryFactory(UnitCatalog catalog, IReadOnlyList<Field> storedFields, TemplateData templates, Randomizer random, DateTime asOf)
    {
        this.catalog = catalog;
        this.templates = templates;
        this.random = random;
        this.asOf = asOf;
        ids = new IdSource(random);
        text = new VietnameseText(templates, random);
        fields = [.. FieldShares.Select(s => storedFields.FirstOrDefault(f => f.Code == s.Code)
            ?? throw new InvalidOperationException($"The standard field {s.Code} is missing from the store."))];
        fieldTemplates = [.. FieldShares.Select(s => templates.Fields.TryGetValue(s.Code, out var t) ? t
            : throw new InvalidOperationException($"No entry templates for field {s.Code}."))];
        allModels = [.. fieldTemplates.Select(t => t.Models.ToArray())];
        officeModels = [.. fieldTemplates.Select(t => t.Models.Where(m => !m.NeedsHamlet).ToArray())];
        fieldCumulative = SeedRandom.Cumulative(FieldShares.Select(s => s.Share));
        sources = [.. FieldShares.Select(_ => new SourceReservoir(SourcesPerField))];
    }

    public Field FieldAt(int index) => fields[index];

    /// <summary>Whether the next entry of <paramref name="year"/> stays a DRAFT (drafts get no code, so this is decided before codes are reserved).</summary>
    public bool StaysDraft(int year)
    {
        var latest = asOf.Year;
        var draftShare = year == latest ? 0.20 : year == latest - 1 ? 0.04 : 0.015;
        return random.Double() < draftShare;
    }

    /// <param name="sequence">the code's number when the entry is registered; null: it stays a DRAFT.</param>
    public Entry Create(int year, long? sequence, DateTime registeredAt)
    {
        var day = DateOnly.FromDateTime(registeredAt);
        var owner = catalog.PickUnit(day, random);
        var office = owner.Kind != UnitKind.Commune;
        var fieldIndex = random.PickIndex(fieldCumulative);
        var ft = fieldTemplates[fieldIndex];
        var home = catalog.AddressCommune(owner, day, random);
        var hamlet = text.Hamlet(home);
        var org = random.ListItem(office ? templates.OfficeOrgs : templates.Orgs);
        string Render(string template) => template
            .Replace("{place}", owner.Place, StringComparison.Ordinal)
            .Replace("{hamlet}", hamlet, StringComparison.Ordinal)
            .Replace("{org}", org, StringComparison.Ordinal);

        var kindRoll = random.Double();
        var kind = kindRoll < ModelShare ? EntryKind.Model : EntryKind.Exemplar;
        ExemplarType? exemplarType = kind == EntryKind.Model ? null
            : kindRoll < ModelShare + CollectiveShare ? ExemplarType.Collective : ExemplarType.Individual;

        var noveltyRoll = random.Double();
        var novelty = year == 2021
            ? (noveltyRoll < 0.75 ? EntryNovelty.New : EntryNovelty.Continuing)
            : noveltyRoll < 0.52 ? EntryNovelty.New : noveltyRoll < 0.84 ? EntryNovelty.Continuing : EntryNovelty.Replicated;
        SourceRef? source = null;
        if (novelty == EntryNovelty.Replicated &&
            (kind != EntryKind.Model || !sources[fieldIndex].TryPick(random, owner.Unit.Id, office, out source)))
            novelty = EntryNovelty.New;
        if (source is not null && !adoptedPairs.Add(source.Id + "|" + owner.Unit.Id))
        {
            // The unit already adopts this model: one active replication per model and unit.
            source = null;
            novelty = EntryNovelty.New;
        }

        string title;
        string actor;
        TextTemplate template;
        ExemplarPerson? person = null;
        if (kind == EntryKind.Model)
        {
            template = source is not null ? ft.Models[source.Template]
                : random.ArrayElement(office ? officeModels[fieldIndex] : allModels[fieldIndex]);
            title = Render(template.Text);
            actor = office ? "lãnh đạo " + owner.Place : "cấp ủy, chính quyền " + owner.Place;
        }
        else if (exemplarType == ExemplarType.Collective)
        {
            template = random.ListItem(ft.Cores);
            actor = Render(random.ListItem(office ? templates.OfficeCollectives : templates.Collectives));
            title = $"{actor} – điển hình {template.Text}";
        }
        else
        {
            template = random.ListItem(ft.Cores);
            var (name, female) = text.PersonName();
            var position = Render(random.ListItem(office ? templates.OfficePositions : templates.CommunePositions));
            var honorific = female ? "Bà" : "Ông";
            title = $"{honorific} {name}, {position}, {owner.Place} – điển hình {template.Text}";
            actor = $"{honorific.ToLowerInvariant()} {name[(name.LastIndexOf(' ') + 1)..]}";
            person = new ExemplarPerson
            {
                FullName = name,
                Position = position,
                Phone = text.Phone(),
                Address = VietnameseText.Address(home.Kind == UnitKind.Commune ? hamlet : text.Hamlet(home), home),
                BirthDate = new DateOnly(random.Number(1958, 2001), random.Number(1, 12), random.Number(1, 28)),
            };
        }

        var start = novelty switch
        {
            EntryNovelty.Continuing => new DateOnly(year - random.Number(1, 4), random.Number(1, 12), 1),
            EntryNovelty.Replicated => day.AddDays(-random.Number(0, 30)),
            _ => day.AddDays(-random.Number(0, 90)),
        };
        var code = sequence is { } number ? EntryRules.FormatCode(year, number) : "ban-nhap";
        var content = new EntryContent
        {
            Title = title,
            Summary = Summary(owner, actor, org, start, source),
            Kind = kind,
            ExemplarType = exemplarType,
            Person = person,
            FieldId = fields[fieldIndex].Id,
            Level = Level(owner),
            StartDate = start,
            Novelty = novelty,
            ReplicatedFromEntryId = source?.Id,
            Results = Results(owner, template.Metrics),
            Evidence = Evidence(code, year),
            Tags = template.Tags,
        };
        // The rule reads only the source's id and unit: a stub spares a store round trip per entry.
        var replicatedFrom = source is null ? null : new Entry { Id = source.Id, UnitId = source.UnitId };
        var entry = EntryRules.CreateDraft(content, owner.Unit, fields[fieldIndex], replicatedFrom, year,
            "seed:" + owner.Unit.Code, registeredAt, id: ids.Next(registeredAt));
        if (sequence is { } registered) Advance(entry, owner, year, registeredAt, registered);

        List<string> path = source is null ? [] : [.. source.Path, source.Id];
        if (source is not null)
        {
            source.Adoptions++;
            Replicated.Add(new ReplicationSeed(entry.Id, owner.Unit.Id, entry.Status, entry.DiscontinuedAt, registeredAt, source, path));
        }
        // Registered models can be adopted; derived ones too, so lineages run to about four generations.
        if (kind == EntryKind.Model && entry.Status == EntryStatus.Registered && path.Count < MaxGeneration)
            sources[fieldIndex].Offer(random, new SourceRef(entry.Id, owner.Unit.Id, owner.Unit.Name,
                ft.Models.IndexOf(template), template.NeedsHamlet)
            {
                Code = entry.Code, FieldId = entry.FieldId, UnitLineage = entry.UnitLineage, Path = path,
                RegisteredOn = DateOnly.FromDateTime(registeredAt),
            });
        return entry;
    }

    private string Summary(SeedUnit owner, string actor, string org, DateOnly start, SourceRef? source)
    {
        var sb = new StringBuilder(512);
        sb.Append(VietnameseText.Capitalize(random.ListItem(templates.Openers)
            .Replace("{place}", owner.Place, StringComparison.Ordinal)
            .Replace("{actor}", actor, StringComparison.Ordinal)
            .Replace("{start}", start.Year.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)));
        sb.Append(' ').Append(VietnameseText.Capitalize(random.ListItem(templates.Methods).Replace("{org}", org, StringComparison.Ordinal)));
        if (source is not null)
            sb.Append(" Cách làm được học tập, nhân rộng từ mô hình của ").Append(source.UnitName).Append('.');
        sb.Append(' ').Append(random.ListItem(templates.Closers));
        return sb.ToString();
    }

    private EntryLevel Level(SeedUnit owner)
    {
        var roll = random.Double();
        return owner.Kind switch
        {
            UnitKind.Commune => roll < 0.94 ? EntryLevel.Commune : roll < 0.99 ? EntryLevel.Province : EntryLevel.National,
            UnitKind.District => roll < 0.95 ? EntryLevel.District : EntryLevel.Province,
            _ => roll < 0.93 ? EntryLevel.Province : EntryLevel.National,
        };
    }

    private EntryResults Results(SeedUnit owner, string metrics)
    {
        var scale = owner.Kind switch
        {
            UnitKind.Province => 6.0,
            UnitKind.District => 3.0,
            UnitKind.Department => 2.0,
            _ => 1.0,
        };
        var r = new EntryResults();
        var parts = new List<string>(5);
        if (metrics.Contains('h'))
        {
            r.HouseholdsReached = random.LogNormal(120 * scale, 0.8, 5, 50_000);
            parts.Add($"vận động {VietnameseText.Number(r.HouseholdsReached.Value)} hộ tham gia");
        }
        if (metrics.Contains('p'))
        {
            r.PeopleReached = r.HouseholdsReached is { } h
                ? (long)Math.Round(h * (3.2 + random.Double()))
                : random.LogNormal(400 * scale, 0.9, 10, 500_000);
            parts.Add($"{VietnameseText.Number(r.PeopleReached.Value)} lượt người được tuyên truyền, hưởng lợi");
        }
        if (metrics.Contains('m'))
        {
            r.MoneyMobilizedVnd = random.LogNormal(150_000_000 * scale, 1.1, 2_000_000, 50_000_000_000) / 100_000 * 100_000;
            parts.Add($"huy động {VietnameseText.Number(r.MoneyMobilizedVnd.Value)} đồng");
        }
        if (metrics.Contains('l'))
        {
            r.LandDonatedM2 = random.LogNormal(1_800 * scale, 1.0, 20, 200_000);
            parts.Add($"nhân dân hiến {VietnameseText.Number(r.LandDonatedM2.Value)} m² đất");
        }
        if (metrics.Contains('w'))
        {
            r.Workdays = random.LogNormal(300 * scale, 0.9, 10, 100_000);
            parts.Add($"đóng góp {VietnameseText.Number(r.Workdays.Value)} ngày công");
        }
        r.Outcomes = parts.Count == 0 ? null : "Kết quả: " + string.Join("; ", parts) + ".";
        return r;
    }

    private List<EvidenceLink> Evidence(string code, int year)
    {
        var roll = random.Double();
        var count = roll < 0.5 ? 0 : roll < 0.85 ? 1 : 2;
        var links = new List<EvidenceLink>(count);
        var yearText = year.ToString(System.Globalization.CultureInfo.InvariantCulture);
        for (var i = 0; i < count; i++)
        {
            var e = templates.Evidence[(i + random.Number(0, templates.Evidence.Count - 1)) % templates.Evidence.Count];
            links.Add(new EvidenceLink
            {
                Title = e[0].Replace("{year}", yearText, StringComparison.Ordinal),
                // A reserved domain: the documents are not real.
                Url = $"https://minhchung.example/{code}/{e[1].Replace("{year}", yearText, StringComparison.Ordinal)}",
            });
        }
        return links.DistinctBy(l => l.Url).ToList();
    }

    /// <summary>Moves the draft on through submission (with its code), recognition or discontinuation.</summary>
    private void Advance(Entry entry, SeedUnit owner, int year, DateTime registeredAt, long sequence)
    {
        var latest = asOf.Year;
        // Submitted within the registration's Vietnam year: the code's year is the registration's.
        var lastMomentOfYear = new DateTime(year, 12, 31, 16, 59, 59, DateTimeKind.Utc);
        var submittedAt = Min(Min(registeredAt.AddMinutes(random.Number(30, 14 * 24 * 60)), asOf), lastMomentOfYear);
        EntryRules.Submit(entry, submittedAt);
        EntryRules.AssignCode(entry, sequence);

        var statusRoll = random.Double();
        var discontinueShare = Math.Max(0.005, (latest - year) * 0.025);
        if (statusRoll < discontinueShare)
        {
            var merged = owner.Unit.ValidTo is { } end && random.Bool(0.6f);
            var at = merged
                ? new DateTime(owner.Unit.ValidTo!.Value, new TimeOnly(2, 0), DateTimeKind.Utc)
                : submittedAt.AddDays(random.Number(30, 720));
            if (at > asOf || at <= submittedAt) at = Min(submittedAt.AddDays(1), asOf);
            var reason = merged ? templates.DiscontinuedReasons[0] : random.ListItem(templates.DiscontinuedReasons.Skip(1).ToList());
            EntryRules.Discontinue(entry, reason, at);
        }
        // RECOGNIZED comes later, from the rounds the RoundStage publishes.
    }

    private static DateTime Min(DateTime a, DateTime b) => a < b ? a : b;

    internal sealed record SourceRef(string Id, string UnitId, string UnitName, int Template, bool NeedsHamlet)
    {
        public string Code { get; init; } = "";
        public string FieldId { get; init; } = "";
        public List<string> UnitLineage { get; init; } = [];
        /// <summary>The entries this one descends from (the path of the replication that derived it); empty for an original.</summary>
        public List<string> Path { get; init; } = [];
        public DateOnly RegisteredOn { get; init; }
        public int Adoptions { get; set; }
    }

    /// <summary>
    /// A bounded set of earlier models that later entries may replicate. Picks are partly
    /// preferential (a model adopted often is picked again more often), and popular models are
    /// kept when the set is full, so a few models spread widely while most are never adopted.
    /// </summary>
    private sealed class SourceReservoir(int capacity)
    {
        private const double PreferentialShare = 0.4;
        private readonly List<SourceRef> items = new(capacity);
        private long adoptions;

        public void Offer(Randomizer random, SourceRef source)
        {
            if (items.Count < capacity)
            {
                items.Add(source);
                return;
            }
            if (!random.Bool(0.5f)) return;
            for (var attempt = 0; attempt < 3; attempt++)
            {
                var j = random.Number(0, items.Count - 1);
                if (items[j].Adoptions > 0) continue;
                items[j] = source;
                return;
            }
        }

        public bool TryPick(Randomizer random, string unitId, bool office, out SourceRef? source)
        {
            source = null;
            if (items.Count == 0) return false;
            SourceRef candidate;
            if (adoptions > 0 && random.Double() < PreferentialShare)
            {
                var x = random.Double() * items.Sum(i => (double)i.Adoptions);
                candidate = items[^1];
                foreach (var item in items)
                    if ((x -= item.Adoptions) < 0) { candidate = item; break; }
            }
            else candidate = items[random.Number(0, items.Count - 1)];
            if (candidate.UnitId == unitId || (office && candidate.NeedsHamlet)) return false;
            adoptions++;
            source = candidate;
            return true;
        }
    }
}
