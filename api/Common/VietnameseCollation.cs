using System.Globalization;
using System.Text;

namespace DanVanKheo.Api.Common;

/// <summary>
/// Vietnamese alphabetical order (a &lt; ă &lt; â &lt; b … d &lt; đ …, tones second) as a string that sorts
/// by plain ordinal comparison, so that LiteDB, Lucene and MongoDB all order titles and names the
/// same way with their ordinary byte-wise indexes (docs/decisions.md, "Vietnamese collation").
/// The key is the ICU sort key of the "vi" collation, in hex, behind a tag naming the collation
/// version: keys of another ICU version or of the older folded format are recognised and rewritten
/// at start (<see cref="IsCurrent"/>).
/// </summary>
public static class VietnameseCollation
{
    private static readonly CompareInfo Vietnamese = CultureInfo.GetCultureInfo("vi-VN").CompareInfo;

    /// <summary>Sorts below every printable character, so stale untagged keys sort after current ones.</summary>
    private const char TagMark = '\u0002';

    /// <summary>Hex digits of the sort key kept; the primary level of about 300 letters, enough for every real title.</summary>
    private const int MaxHexLength = 960;

    /// <summary>The tag every current key starts with: the mark and the ICU collation version.</summary>
    public static string Tag { get; } = TagMark + Vietnamese.Version.FullVersion.ToString("x8", CultureInfo.InvariantCulture) + ":";

    /// <summary>The collation key of <paramref name="text"/>; keys compare ordinally as the texts compare in Vietnamese.</summary>
    public static string Key(string? text)
    {
        var bytes = Vietnamese.GetSortKey(Composed(text ?? ""), CompareOptions.None).KeyData;
        var hex = Convert.ToHexStringLower(bytes);
        return Tag + (hex.Length > MaxHexLength ? hex[..MaxHexLength] : hex);
    }

    public static bool IsCurrent(string key) => key.StartsWith(Tag, StringComparison.Ordinal);

    /// <summary>
    /// True when the runtime really collates Vietnamese (ICU loaded, not invariant globalization):
    /// checked at start, since without it every key would silently follow code-point order.
    /// </summary>
    public static bool IsAvailable()
    {
        try
        {
            return string.CompareOrdinal(Key("Anh"), Key("Ăn")) < 0 && string.CompareOrdinal(Key("Dũng"), Key("Đảm")) < 0 &&
                   string.CompareOrdinal(Key("Đảm"), Key("Em")) < 0;
        }
        catch (TypeInitializationException)
        {
            return false; // invariant globalization: the "vi" culture does not exist
        }
    }

    private static string Composed(string text)
    {
        try
        {
            return text.Normalize(NormalizationForm.FormC);
        }
        catch (ArgumentException)
        {
            return text; // a lone surrogate: ICU orders it as is
        }
    }
}
