namespace DanVanKheo.Api.Common;

/// <summary>
/// A user-facing message before it is put in words: a key of <c>Messages.resx</c> and its
/// arguments. Rules raise it culture-free; each boundary formats it in the caller's language.
/// </summary>
public sealed record Message(string Key, params object?[] Args)
{
    /// <summary>For logs only: the key and its arguments, in no language.</summary>
    public override string ToString() =>
        Args.Length == 0 ? Key : Key + "(" + string.Join(", ", Args.Select(a => Convert.ToString(a, System.Globalization.CultureInfo.InvariantCulture))) + ")";
}

/// <summary>
/// A refusal by a business rule. It carries a stable machine code (UPPER_SNAKE, one of
/// <see cref="ErrorCatalog"/>), the message to show (a resource key, see <see cref="Messages"/>)
/// and the input field it concerns; mutations turn it into a <c>UserError</c> in their payload.
/// </summary>
public class DomainException(string code, Message text, string? field = null) : Exception(code + ": " + text)
{
    public string Code { get; } = code;
    public string? Field { get; } = field;
    public Message Text { get; } = text;
}

/// <summary>The stored document changed since the caller read it.</summary>
public sealed class ConcurrencyConflictException(Message? text = null)
    : DomainException(ErrorCodes.StaleVersion, text ?? new(ErrorCodes.StaleVersion), "version");

/// <summary>A unique key (code, ballot, …) already exists in the store.</summary>
public sealed class DuplicateKeyException(string message, Exception? inner = null) : Exception(message, inner);

public static class ErrorCodes
{
    public const string NotFound = "NOT_FOUND";
    public const string StaleVersion = "STALE_VERSION";
    public const string InvalidInput = "BAD_USER_INPUT";
    public const string Forbidden = "FORBIDDEN";
    public const string Unauthenticated = "UNAUTHENTICATED";
    public const string InvalidStatus = "INVALID_STATUS";
    public const string DuplicateCode = "DUPLICATE_CODE";
    /// <summary>A filter or order that no index of the list serves (refused rather than answered by a scan).</summary>
    public const string QueryNotServed = "QUERY_NOT_SERVED";
}
