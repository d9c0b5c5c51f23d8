using DanVanKheo.Api.Common;

namespace DanVanKheo.Api.GraphQL;

/// <summary>
/// Reads which fields an <c>update*</c> input carried, and which as null, from the coerced
/// argument (GraphQL.NET passes only the fields the request named), for <see cref="PartialInput"/>.
/// Nulls are kept out of the object mapping: a null means "clear" or "refused", never a default.
/// </summary>
public static class PartialInputs
{
    public static object Parse(IDictionary<string, object?> value, Func<IDictionary<string, object?>, object> parse)
    {
        var given = value.Where(kv => kv.Value is not null).ToDictionary(kv => kv.Key, kv => kv.Value);
        var input = (PartialInput)parse(given);
        input.RecordSent(value.Keys, value.Where(kv => kv.Value is null).Select(kv => kv.Key));
        return input;
    }

    /// <summary>The sentence every update input's description ends with.</summary>
    public const string Semantics =
        "Fields left out keep their stored value; an explicit null clears a field that may be empty and is refused with BAD_USER_INPUT on one that may not.";
}
