using DanVanKheo.Api.Common;
using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using DanVanKheo.Api.Auth;

namespace DanVanKheo.Api.Audit;

/// <summary>One document a store write changes: its type, id, unit and states before (null: created) and after.</summary>
public sealed record AuditTarget(string Type, string Id, string? UnitId, object? Before, object? After);

/// <summary>
/// Who performs which audited change, opened by a use case through <see cref="AuditContext"/>.
/// A store adapter's write method calls <see cref="Event"/> and appends the result in the same
/// transaction as the change.
/// </summary>
public sealed class AuditScope
{
    public required Caller Actor { get; init; }
    public required string Action { get; init; }
    public required string RequestId { get; init; }
    public required DateTime Timestamp { get; init; }
    public string? SealedUntil { get; set; }

    private int _appended;

    /// <summary>How many events this mutation has appended (committed with their change).</summary>
    public int Appended => Volatile.Read(ref _appended);

    public void Committed() => Interlocked.Increment(ref _appended);

    /// <summary>The change event for one write touching <paramref name="targets"/> (the first is the event's target); not yet chained.</summary>
    public AuditEvent Event(params AuditTarget[] targets)
    {
        if (targets.Length == 0) throw new ArgumentException("An audited write changes at least one document.", nameof(targets));
        var primary = targets[0];
        return new AuditEvent
        {
            Kind = AuditKind.Change,
            Stream = AuditEvent.StreamOf(primary.Type, primary.Id),
            Timestamp = Timestamp,
            RequestId = RequestId,
            ActorId = Actor.Id,
            ActorName = Actor.Name,
            ActorRoles = [.. Actor.Roles.Order(StringComparer.Ordinal)],
            Action = Action,
            TargetType = primary.Type,
            TargetId = primary.Id,
            TargetIds = [.. targets.Select(t => t.Id).Distinct()],
            UnitId = primary.UnitId,
            SealedUntil = SealedUntil,
            Changes = [.. targets.SelectMany(t => AuditDiff.Changes(t.Type, t.Id, t.Before, t.After))],
        };
    }
}

/// <summary>Field-level before/after of two states of a document, as flattened JSON paths.</summary>
public static class AuditDiff
{
    /// <summary>Derived search and sort keys: recomputed from other fields, not worth recording.</summary>
    private static readonly FrozenSet<string> Derived = new HashSet<string>(StringComparer.Ordinal)
    {
        "SearchTokens", "TitleKey", "UpdatedKey", "StartKey", "NameKey",
        // Secrets that never leave the server (a round's pseudonym key would de-pseudonymise its published ballots).
        "PseudonymKey",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Enum values as the API spells them (DRAFT, COLLECTIVE_EXEMPLAR), not C# names.</summary>
    private static readonly JsonSerializerOptions Options = new()
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseUpper) },
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.Create(System.Text.Unicode.UnicodeRanges.All),
    };

    /// <summary>
    /// Fields that hold another object's local id, by the type the API names it with: recorded as
    /// global ids, as a client sees them. User ids (members, actors) are not objects and stay as they are.
    /// </summary>
    private static readonly FrozenDictionary<string, string> IdFields = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["unitId"] = AuditTargetTypes.Unit, ["parentId"] = AuditTargetTypes.Unit, ["homeUnitId"] = AuditTargetTypes.Unit,
        ["scopeUnitId"] = AuditTargetTypes.Unit, ["councilUnitId"] = AuditTargetTypes.Unit, ["adoptingUnitId"] = AuditTargetTypes.Unit,
        ["sourceUnitId"] = AuditTargetTypes.Unit, ["ancestorIds"] = AuditTargetTypes.Unit, ["unitLineage"] = AuditTargetTypes.Unit,
        ["homeUnitLineage"] = AuditTargetTypes.Unit, ["councilUnitLineage"] = AuditTargetTypes.Unit,
        ["adoptingUnitLineage"] = AuditTargetTypes.Unit, ["sourceUnitLineage"] = AuditTargetTypes.Unit,
        ["predecessorIds"] = AuditTargetTypes.Unit, ["successorIds"] = AuditTargetTypes.Unit,
        ["entryId"] = AuditTargetTypes.Entry, ["sourceEntryId"] = AuditTargetTypes.Entry, ["derivedEntryId"] = AuditTargetTypes.Entry,
        ["replicatedFromEntryId"] = AuditTargetTypes.Entry, ["fieldId"] = "Field", ["councilId"] = AuditTargetTypes.Council,
        ["roundId"] = AuditTargetTypes.Round, ["nominationId"] = AuditTargetTypes.Nomination,
        ["parentReplicationId"] = AuditTargetTypes.Replication,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    public static IReadOnlyList<AuditChange> Changes(string type, string id, object? before, object? after)
    {
        var b = Flatten(before, type);
        var a = Flatten(after, type);
        var changes = new List<AuditChange>();
        foreach (var key in b.Keys.Union(a.Keys).Order(StringComparer.Ordinal))
        {
            b.TryGetValue(key, out var bv);
            a.TryGetValue(key, out var av);
            if (bv == av) continue;
            changes.Add(new AuditChange { TargetType = type, TargetId = id, Field = key, Before = bv, After = av });
        }
        return changes;
    }

    /// <summary>
    /// Top-level properties camelCased, nested objects as dotted paths, arrays whole; nulls left
    /// out; enum values and ids as the API shows them (the document's own id as a global id of <paramref name="type"/>).
    /// </summary>
    public static Dictionary<string, string> Flatten(object? document, string? type = null)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (document is null) return result;
        var node = JsonSerializer.SerializeToNode(document, document.GetType(), Options);
        if (node is JsonObject obj) Walk(obj, "", result, type);
        return result;
    }

    private static JsonNode? AsGlobalIds(JsonNode? value, string type) => value switch
    {
        JsonValue v when v.TryGetValue<string>(out var local) => JsonValue.Create(GlobalId.Encode(type, local)),
        JsonArray a => new JsonArray([.. a.Select(x => AsGlobalIds(x?.DeepClone(), type))]),
        _ => value,
    };

    private static void Walk(JsonObject obj, string prefix, Dictionary<string, string> result, string? type = null)
    {
        foreach (var (name, value) in obj)
        {
            if (prefix.Length == 0 && Derived.Contains(name)) continue;
            var key = prefix + char.ToLowerInvariant(name[0]) + name[1..];
            switch (value)
            {
                case null:
                    continue;
                case JsonObject child:
                    Walk(child, key + ".", result);
                    break;
                default:
                    var leaf = key[(key.LastIndexOf('.') + 1)..];
                    var idType = prefix.Length == 0 && leaf == "id" ? type : IdFields.GetValueOrDefault(leaf);
                    result[key] = (idType is null ? value : AsGlobalIds(value.DeepClone(), idType))!.ToJsonString(Options);
                    break;
            }
        }
    }
}
