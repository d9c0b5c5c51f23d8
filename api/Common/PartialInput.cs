namespace DanVanKheo.Api.Common;

/// <summary>
/// The one update semantics of every <c>update*</c> mutation (docs/decisions.md): a field left out
/// keeps the stored value, a value replaces it, and an explicit null clears it where the value may
/// be empty or is refused with BAD_USER_INPUT where it may not. Which fields the caller sent, and
/// which as null, is recorded by the input's graph type (GraphQL/PartialInputGraphType) from the
/// request itself, since the deserialised object alone cannot tell "left out" from "null". An input
/// built in code (seed, tests) without that record carries every field: a full replacement.
/// </summary>
public abstract class PartialInput
{
    private HashSet<string>? sent;
    private HashSet<string> sentNull = [];

    public void RecordSent(IEnumerable<string> fields, IEnumerable<string> nullFields)
    {
        sent = new HashSet<string>(fields, StringComparer.Ordinal);
        sentNull = new HashSet<string>(nullFields, StringComparer.Ordinal);
    }

    public bool Sent(string field) => sent is null || sent.Contains(field);

    /// <summary>A value that may not be empty: the stored one when left out, refused when sent as null.</summary>
    public T Keep<T>(string field, T given, T current)
    {
        if (!Sent(field)) return current;
        if (sentNull.Contains(field)) throw Cleared(field);
        return given;
    }

    /// <summary>A value that may be empty: the stored one when left out, cleared when sent as null.</summary>
    public T? KeepOrClear<T>(string field, T? given, T? current) =>
        !Sent(field) ? current : sentNull.Contains(field) ? default : given;

    /// <summary>For rules that already take "null" as "unchanged": refuses an explicit null on any of these fields.</summary>
    public void RefuseNull(params string[] fields)
    {
        foreach (var field in fields)
            if (sentNull.Contains(field)) throw Cleared(field);
    }

    private static DomainException Cleared(string field) =>
        new(ErrorCodes.InvalidInput, new(Messages.FieldCannotBeCleared, field), field);
}
