using System.Globalization;

namespace DanVanKheo.Api.Common;

/// <summary>
/// The one place for limits on free text and dates a caller may send: lengths per kind of field,
/// no control or bidirectional-override characters (they hide or reorder text in reports and
/// terminals), URLs http(s) only, dates in a sane range. Rules call these; each throws a
/// <see cref="DomainException"/> with BAD_USER_INPUT naming the field.
/// </summary>
public static class InputLimits
{
    public const int Title = 500;
    public const int Summary = 20_000;
    public const int Name = 300;
    public const int PersonName = 200;
    public const int Position = 200;
    public const int Address = 500;
    public const int Note = 2_000;
    public const int Outcomes = 10_000;
    public const int Url = 2_000;
    public const int LinkTitle = 300;
    public const int Phone = 20;
    public const int Tag = 60;
    public const int SearchText = 200;

    public static readonly DateOnly EarliestDate = new(1900, 1, 1);
    public static readonly DateOnly LatestDate = new(2200, 12, 31);

    /// <summary>Checks <paramref name="value"/> (null passes); <paramref name="multiline"/> allows line breaks and tabs.</summary>
    public static void Text(string? value, int maxLength, string field, bool multiline = false)
    {
        if (value is null) return;
        if (value.Length > maxLength)
            throw new DomainException(ErrorCodes.InvalidInput,
                new(Messages.TextTooLong, field, maxLength), field);
        if (FindForbidden(value, multiline) is { } bad)
            throw new DomainException(ErrorCodes.InvalidInput,
                new(Messages.ContainsCharacterAllowedU, field, (int)bad), field);
    }

    /// <summary>An absolute http or https URL of sane length.</summary>
    public static void HttpUrl(string? value, string field)
    {
        Text(value, Url, field);
        if (value is null) return;
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp) ||
            string.IsNullOrEmpty(uri.Host))
            throw new DomainException(ErrorCodes.InvalidInput, new(Messages.NotAnHttpUrl, field), field);
    }

    /// <summary>A phone number: digits with an optional leading '+', spaces, dots, dashes and parentheses.</summary>
    public static void PhoneNumber(string? value, string field)
    {
        Text(value, Phone, field);
        if (string.IsNullOrWhiteSpace(value)) return;
        var digits = value.Count(char.IsAsciiDigit);
        var shapeOk = value.Select((c, i) => char.IsAsciiDigit(c) || c is ' ' or '.' or '-' or '(' or ')' || (c == '+' && i == 0)).All(ok => ok);
        if (!shapeOk || digits is < 3 or > 15)
            throw new DomainException(ErrorCodes.InvalidInput, new(Messages.NotAPhoneNumber, field), field);
    }

    public static void Date(DateOnly? value, string field)
    {
        if (value is { } d && (d < EarliestDate || d > LatestDate))
            throw new DomainException(ErrorCodes.InvalidInput,
                new(Messages.DateOutOfRange, field, EarliestDate, LatestDate), field);
    }

    /// <summary>A past date: not before 1900, not after <paramref name="today"/>.</summary>
    public static void PastDate(DateOnly? value, DateOnly today, string field)
    {
        Date(value, field);
        if (value is { } d && d > today)
            throw new DomainException(ErrorCodes.InvalidInput, new(Messages.DateInFuture, field), field);
    }

    /// <summary>Search text: bounded length; odd characters are harmless here since only word tokens are used.</summary>
    public static void Search(string? value, string field)
    {
        if (value is { Length: > SearchText })
            throw new DomainException(ErrorCodes.InvalidInput,
                new(Messages.TextTooLong, field, SearchText), field);
    }

    /// <summary>The first character refused in user text, or null.</summary>
    public static char? FindForbidden(ReadOnlySpan<char> value, bool multiline)
    {
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c is '\n' or '\r' or '\t' && multiline) continue;
            if (char.IsControl(c) || IsBidiControl(c) || c is '\uFEFF' or '\uFFFE' or '\uFFFF') return c;
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
                continue;
            }
            if (char.IsSurrogate(c)) return c;
        }
        return null;
    }

    /// <summary>Embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069): they reorder what a reader sees.</summary>
    private static bool IsBidiControl(char c) => c is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069';
}
