using System.Collections.Frozen;
using System.Collections.Immutable;
using Bogus;
using DanVanKheo.Api.Common;
using DanVanKheo.Api.Units;

namespace DanVanKheo.Seed.Generation;

/// <summary>A generated unit with what the entry generator needs to write about it.</summary>
internal sealed class SeedUnit
{
    public required Unit Unit { get; set; }
    /// <summary>How the unit is named inside a sentence: "xã Phi Thông", "Sở Y tế tỉnh Kiên Giang".</summary>
    public required string Place { get; init; }
    /// <summary>"tỉnh Kiên Giang", "thành phố Hà Nội".</summary>
    public required string ProvincePlace { get; init; }
    /// <summary>The district of a pre-2025 commune, for addresses.</summary>
    public string? DistrictPlace { get; init; }
    /// <summary>Wards and special zones are divided into khu phố, communes into ấp.</summary>
    public bool Urban { get; init; }
    /// <summary>How busy the unit is relative to its peers; some communes register far more than others.</summary>
    public double Activity { get; init; } = 1.0;
    /// <summary>Units kept only for the succession history (the former An Giang) take no entries.</summary>
    public bool TakesEntries { get; init; } = true;

    public UnitKind Kind => Unit.Kind;
    public string RootId => Unit.AncestorIds.Count > 0 ? Unit.AncestorIds[0] : Unit.Id;
}

/// <summary>The units of a run, built in memory from the embedded data through <see cref="UnitRules"/>.</summary>
internal sealed class UnitCatalog
{
    /// <summary>When the pre-2025 organisation was loaded into the registry.</summary>
    public static readonly DateTime ImportedAt = new(2020, 12, 15, 2, 0, 0, DateTimeKind.Utc);
    /// <summary>When the 2025 reorganisation was recorded: after the resolutions, before they took effect.</summary>
    public static readonly DateTime ReorganisedAt = new(2025, 6, 20, 2, 0, 0, DateTimeKind.Utc);

    private static readonly ImmutableArray<string> TypePrefixes = ["Thành phố ", "Tỉnh ", "Huyện ", "Thị xã ", "Thị trấn ", "Xã ", "Phường ", "Đặc khu "];

    public List<SeedUnit> Units { get; } = [];
    public DateOnly Effective { get; private set; }

    private readonly Dictionary<string, SeedUnit> byCode = new(StringComparer.Ordinal);
    private UnitPicker? before;
    private UnitPicker? after;
    private Dictionary<(string Scope, bool After), SeedUnit[]> addressPools = [];

    public SeedUnit this[string code] => byCode[code];

    public static UnitCatalog Build(SeedData data, SeedScale scale, Randomizer random)
    {
        var catalog = new UnitCatalog();
        var ids = new IdSource(random);
        catalog.BuildProvince(data.Organisation, random, ids);
        if (scale == SeedScale.National) catalog.BuildNation(data.National, random, ids);
        return catalog;
    }

    private SeedUnit Add(
        string code, string name, UnitKind kind, SeedUnit? parent, DateOnly? validFrom, DateTime now, IdSource ids,
        Randomizer random, string? place = null, string? provincePlace = null, string? districtPlace = null, bool takesEntries = true)
    {
        var unit = UnitRules.Create(new UnitDraft(code, name, kind, parent?.Unit.Id, validFrom, null), parent?.Unit, now);
        unit.Id = ids.Next(now);
        var self = PlaceOf(name);
        var seedUnit = new SeedUnit
        {
            Unit = unit,
            Place = place ?? self,
            ProvincePlace = provincePlace ?? self,
            DistrictPlace = districtPlace,
            Urban = name.StartsWith("Phường ", StringComparison.Ordinal) || name.StartsWith("Đặc khu ", StringComparison.Ordinal) ||
                    name.StartsWith("Thị trấn ", StringComparison.Ordinal),
            Activity = Math.Exp(0.5 * random.Gaussian()),
            TakesEntries = takesEntries,
        };
        if (!byCode.TryAdd(unit.Code, seedUnit))
            throw new InvalidOperationException($"Seed data defines unit code {unit.Code} twice.");
        Units.Add(seedUnit);
        return seedUnit;
    }

    private static string PlaceOf(string name)
    {
        foreach (var prefix in TypePrefixes)
            if (name.StartsWith(prefix, StringComparison.Ordinal))
                return prefix.ToLowerInvariant() + name[prefix.Length..];
        return name;
    }

    /// <summary>"Sở Y tế" → "Sở Y tế tỉnh Kiên Giang"; "Thanh tra tỉnh" → "Thanh tra tỉnh Kiên Giang".</summary>
    private static string OfficeName(string name, string provincePlace)
    {
        return (name.EndsWith(" tỉnh", StringComparison.Ordinal) ? name[..^5] : name) + " " + provincePlace;
    }

    private static string CodePart(string name)
    {
        foreach (var prefix in TypePrefixes)
            if (name.StartsWith(prefix, StringComparison.Ordinal))
            {
                var rest = TextFolding.Fold(name[prefix.Length..]).Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant();
                // A town and a commune may share a name within one district (Vĩnh Thuận).
                return prefix == "Thị trấn " ? "TT" + rest : rest;
            }
        return TextFolding.Fold(name).Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant();
    }

    private void BuildProvince(OrganisationData org, Randomizer random, IdSource ids)
    {
        Effective = org.Effective;
        var province = Add(org.Province.Code, org.Province.Name, UnitKind.Province, null, null, ImportedAt, ids, random);
        var kgPlace = province.Place;

        var departments = org.Departments
            .Select(d => (Data: d, Unit: Add($"{province.Unit.Code}.{d.Code}", OfficeName(d.Name, kgPlace), UnitKind.Department,
                province, null, ImportedAt, ids, random, provincePlace: kgPlace)))
            .ToList();

        var communes = new List<(SucceededUnit Data, SeedUnit Unit)>();
        var districts = new List<(SeedUnit Unit, List<string> Successors)>();
        foreach (var d in org.Districts)
        {
            var district = Add($"{province.Unit.Code}.{d.Code}", d.Name, UnitKind.District, province, null, ImportedAt, ids, random,
                provincePlace: kgPlace);
            foreach (var c in d.Communes)
            {
                var code = $"{district.Unit.Code}.{(c.Code.Length > 0 ? c.Code : CodePart(c.Name))}";
                communes.Add((c, Add(code, c.Name, UnitKind.Commune, district, null, ImportedAt, ids, random,
                    provincePlace: kgPlace, districtPlace: district.Place)));
            }
            districts.Add((district, d.Communes.SelectMany(c => c.Successors).Distinct(StringComparer.Ordinal).ToList()));
        }

        var merged = org.MergedProvinces
            .Select(p => Add(p.Code, p.Name, UnitKind.Province, null, null, ImportedAt, ids, random, takesEntries: false))
            .ToList();

        var from = org.Effective;
        var successor = Add(org.SuccessorProvince.Code, org.SuccessorProvince.Name, UnitKind.Province, null, from,
            ReorganisedAt, ids, random);
        var agPlace = successor.Place;
        var newDepartments = org.SuccessorDepartments.ToDictionary(
            d => d.Code,
            d => Add($"{successor.Unit.Code}.{d.Code}", OfficeName(d.Name, agPlace), UnitKind.Department, successor, from,
                ReorganisedAt, ids, random, provincePlace: agPlace),
            StringComparer.Ordinal);
        var newCommunes = org.SuccessorCommunes.Concat(org.OtherSuccessorCommunes).ToDictionary(
            c => c.Code,
            c => Add($"{successor.Unit.Code}.{c.Code}", c.Name, UnitKind.Commune, successor, from, ReorganisedAt, ids, random,
                provincePlace: agPlace),
            StringComparer.Ordinal);

        Succeed([province, .. merged], [successor]);
        foreach (var group in departments.GroupBy(d => string.Join(',', d.Data.Successors), StringComparer.Ordinal))
            Succeed([.. group.Select(g => g.Unit)], Resolve(group.First().Data.Successors, newDepartments, "department"));
        foreach (var group in communes.GroupBy(c => string.Join(',', c.Data.Successors), StringComparer.Ordinal))
            Succeed([.. group.Select(g => g.Unit)], Resolve(group.First().Data.Successors, newCommunes, "commune"));
        foreach (var (district, successors) in districts)
            Succeed([district], Resolve(successors, newCommunes, "commune"));
    }

    private static List<SeedUnit> Resolve(List<string> codes, Dictionary<string, SeedUnit> units, string what) =>
        codes.Count == 0
            ? throw new InvalidOperationException($"A {what} in the seed data ends without a successor.")
            : [.. codes.Select(c => units.TryGetValue(c, out var u) ? u
                : throw new InvalidOperationException($"Seed data names an unknown successor {what} {c}."))];

    private void Succeed(List<SeedUnit> predecessors, List<SeedUnit> successors) =>
        UnitRules.RecordSuccession([.. predecessors.Select(p => p.Unit)], [.. successors.Select(s => s.Unit)], Effective, ReorganisedAt);

    /// <summary>
    /// The other 33 provinces of the post-2025 map with generated commune names. Their pre-2025
    /// history is not modelled, so they carry no validity dates and take entries in every year.
    /// </summary>
    private void BuildNation(NationalData nation, Randomizer random, IdSource ids)
    {
        var pairs = nation.NameFirst
            .SelectMany(a => nation.NameSecond.Where(b => b != a).Select(b => a + " " + b))
            .ToArray();
        foreach (var p in nation.Provinces)
        {
            var province = Add(p.Code, p.Name, UnitKind.Province, null, null, ImportedAt, ids, random);
            foreach (var d in nation.Departments)
                Add($"{p.Code}.{d.Code}", OfficeName(d.Name, province.Place), UnitKind.Department, province, null, ImportedAt,
                    ids, random, provincePlace: province.Place);
            // "Thạnh Tân" and "Thanh Tân" fold to the same code: keep the first of such pairs.
            var codes = new HashSet<string>(StringComparer.Ordinal);
            var names = random.Shuffle(pairs).Where(n => codes.Add(CodePart(n))).Take(p.Communes).ToList();
            if (names.Count < p.Communes)
                throw new InvalidOperationException($"Not enough generated names for {p.Communes} communes of {p.Name}.");
            var wards = (int)Math.Round(p.Communes * nation.WardShare);
            for (var i = 0; i < names.Count; i++)
            {
                var name = (i < wards ? "Phường " : "Xã ") + names[i];
                Add($"{p.Code}.{CodePart(name)}", name, UnitKind.Commune, province, null, ImportedAt, ids, random,
                    provincePlace: province.Place);
            }
        }
    }

    /// <summary>Builds the lookup tables once the units' final ids are known (after an append adopts stored units).</summary>
    public void Seal()
    {
        var lastDayBefore = Effective.AddDays(-1);
        before = new UnitPicker(Units.Where(u => u.TakesEntries && u.Unit.IsValidOn(lastDayBefore)));
        after = new UnitPicker(Units.Where(u => u.TakesEntries && u.Unit.IsValidOn(Effective)));
        addressPools = [];
        foreach (var era in new[] { false, true })
        {
            var day = era ? Effective : lastDayBefore;
            var communes = Units.Where(u => u.Kind == UnitKind.Commune && u.Unit.IsValidOn(day)).ToList();
            foreach (var g in communes.GroupBy(c => c.RootId)) addressPools[(g.Key, era)] = [.. g];
            foreach (var g in communes.Where(c => c.Unit.ParentId is not null).GroupBy(c => c.Unit.ParentId!))
                addressPools[(g.Key, era)] = [.. g];
        }
    }

    public SeedUnit PickUnit(DateOnly day, Randomizer random) =>
        (day < Effective ? before : after)?.Pick(random) ?? throw new InvalidOperationException("Call Seal() first.");

    /// <summary>A commune where a person of <paramref name="unit"/> plausibly lives.</summary>
    public SeedUnit AddressCommune(SeedUnit unit, DateOnly day, Randomizer random)
    {
        if (unit.Kind == UnitKind.Commune) return unit;
        var era = day >= Effective;
        var scope = unit.Kind == UnitKind.District ? unit.Unit.Id : unit.RootId;
        return addressPools.TryGetValue((scope, era), out var pool) && pool.Length > 0 ? random.ArrayElement(pool) : unit;
    }
}

/// <summary>Weighted choice of the unit that registers an entry: communes register most.</summary>
internal sealed class UnitPicker
{
    private static readonly FrozenDictionary<UnitKind, double> KindShare = new Dictionary<UnitKind, double>
    {
        [UnitKind.Commune] = 0.70,
        [UnitKind.District] = 0.10,
        [UnitKind.Department] = 0.14,
        [UnitKind.Province] = 0.06,
    }.ToFrozenDictionary();

    private readonly SeedUnit[] units;
    private readonly double[] cumulative;

    public UnitPicker(IEnumerable<SeedUnit> candidates)
    {
        units = [.. candidates];
        if (units.Length == 0) throw new InvalidOperationException("No unit can take entries in this period.");
        var activity = units.GroupBy(u => u.Kind).ToDictionary(g => g.Key, g => g.Sum(u => u.Activity));
        var present = activity.Keys.Sum(k => KindShare.GetValueOrDefault(k, 0.02));
        cumulative = SeedRandom.Cumulative(units.Select(u =>
            KindShare.GetValueOrDefault(u.Kind, 0.02) / present * u.Activity / activity[u.Kind]));
    }

    public SeedUnit Pick(Randomizer random) => units[random.PickIndex(cumulative)];
}
