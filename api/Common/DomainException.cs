namespace DanVanKheo.Api.Common;

/// <summary>
/// A refusal by a business rule. It carries a stable machine code (UPPER_SNAKE) and the input
/// field it concerns; mutations turn it into a <c>UserError</c> in their payload.
/// </summary>
public class DomainException(string code, string message, string? field = null) : Exception(message)
{
    public string Code { get; } = code;
    public string? Field { get; } = field;
}

/// <summary>The stored document changed since the caller read it.</summary>
public sealed class ConcurrencyConflictException(string message)
    : DomainException(ErrorCodes.StaleVersion, message, "version");

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
