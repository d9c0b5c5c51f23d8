using System.Text.Json;
using System.Text.Unicode;

namespace DanVanKheo.Api.GraphQL;

/// <summary>
/// Text checks a request passes before anything reads it: System.Text.Json parses invalid UTF-8
/// and lone surrogate escapes lazily and throws only when a string is read, deep inside the
/// executer; checking the whole document once turns them into a 400.
/// </summary>
public static class RequestText
{
    /// <summary>Duplicate keys are refused: which of two "query" or "a" values counts would be a guess.</summary>
    public static readonly JsonDocumentOptions JsonOptions = new() { MaxDepth = 64, AllowDuplicateProperties = false };

    public static bool IsValidUtf8(ReadOnlySpan<byte> bytes) => Utf8.IsValid(bytes);

    /// <summary>The first problem in a parsed JSON value (a string that is no valid Unicode), or null.</summary>
    public static Common.Message? FindInvalidText(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                return ReadsAsUnicode(element) ? null : new Common.Message(Common.Messages.StringNotUnicode);
            case JsonValueKind.Object:
                foreach (var p in element.EnumerateObject())
                {
                    if (!NameReadsAsUnicode(p)) return new Common.Message(Common.Messages.PropertyNameNotUnicode);
                    if (FindInvalidText(p.Value) is { } problem) return problem;
                }
                return null;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                    if (FindInvalidText(item) is { } problem) return problem;
                return null;
            default:
                return null;
        }
    }

    /// <summary>True when <paramref name="text"/> has an unpaired UTF-16 surrogate.</summary>
    public static bool HasLoneSurrogate(ReadOnlySpan<char> text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c))
            {
                if (i + 1 >= text.Length || !char.IsLowSurrogate(text[i + 1])) return true;
                i++;
            }
            else if (char.IsLowSurrogate(c)) return true;
        }
        return false;
    }

    private static bool ReadsAsUnicode(JsonElement element)
    {
        try
        {
            return !HasLoneSurrogate(element.GetString());
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static bool NameReadsAsUnicode(JsonProperty property)
    {
        try
        {
            return !HasLoneSurrogate(property.Name);
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
