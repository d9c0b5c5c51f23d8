using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using Bogus;

namespace DanVanKheo.Seed.Generation;

/// <summary>Vietnamese names, addresses, phone numbers and figures.</summary>
internal sealed class VietnameseText
{
    private static readonly ImmutableArray<string> MobilePrefixes =
        ["032", "033", "034", "035", "036", "037", "038", "039", "070", "076", "077", "078", "079", "081", "082", "083", "084",
         "085", "086", "088", "089", "090", "091", "093", "094", "096", "097", "098"];

    private readonly TemplateData templates;
    private readonly Faker faker;
    private readonly string[] surnames;
    private readonly double[] surnameWeights;

    public VietnameseText(TemplateData templates, Randomizer random)
    {
        this.templates = templates;
        // Bogus' own Vietnamese surnames widen the tail; its draws come from the stage's seeded stream.
        faker = new Faker("vi") { Random = random };
        surnames = [.. templates.Surnames.Select(s => s[0].GetString() ?? "")];
        surnameWeights = SeedRandom.Cumulative(templates.Surnames.Select(s => s[1].GetDouble()));
    }

    private Randomizer Random => faker.Random;

    /// <summary>"Họ Tên-đệm Tên": Vietnamese order, which Bogus (Western order) does not give.</summary>
    public (string FullName, bool Female) PersonName()
    {
        var female = Random.Bool();
        var surname = Random.Double() < 0.9 ? surnames[Random.PickIndex(surnameWeights)] : faker.Name.LastName();
        var middle = Random.ListItem(female ? templates.FemaleMiddle : templates.MaleMiddle);
        var given = Random.ListItem(female ? templates.FemaleGiven : templates.MaleGiven);
        return ($"{surname} {middle} {given}", female);
    }

    public string Phone()
    {
        var sb = new StringBuilder(12);
        sb.Append(Random.ListItem(MobilePrefixes)).Append(' ');
        sb.Append(Random.Number(100, 999).ToString(CultureInfo.InvariantCulture)).Append(' ');
        sb.Append(Random.Number(0, 9999).ToString("D4", CultureInfo.InvariantCulture));
        return sb.ToString();
    }

    /// <summary>"ấp Phú Hòa" or "khu phố 3".</summary>
    public string Hamlet(SeedUnit commune) =>
        commune.Urban
            ? "khu phố " + Random.Number(1, 12).ToString(CultureInfo.InvariantCulture)
            : "ấp " + Random.ListItem(templates.Hamlets);

    public static string Address(string hamlet, SeedUnit commune)
    {
        var sb = new StringBuilder(96);
        sb.Append(char.ToUpperInvariant(hamlet[0])).Append(hamlet, 1, hamlet.Length - 1);
        sb.Append(", ").Append(commune.Place);
        if (commune.DistrictPlace is { } district) sb.Append(", ").Append(district);
        sb.Append(", ").Append(commune.ProvincePlace);
        return sb.ToString();
    }

    /// <summary>Vietnamese digit grouping: 1.250.000.</summary>
    public static string Number(long value) =>
        value.ToString("#,0", CultureInfo.InvariantCulture).Replace(',', '.');

    public static string Number(double value) =>
        Number((long)Math.Round(value));

    public static string Capitalize(string text) =>
        text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
}
