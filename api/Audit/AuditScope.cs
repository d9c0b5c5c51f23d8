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

    private static readonly JsonSerializerOptions Options = new()
    {
        Converters = { new JsonStringEnumConverter() },
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.Create(System.Text.Unicode.UnicodeRanges.All),
    };

    public static IReadOnlyList<AuditChange> Changes(string type, string id, object? before, object? after)
    {
        var b = Flatten(before);
        var a = Flatten(after);
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

    /// <summary>Top-level properties camelCased, nested objects as dotted paths, arrays whole; nulls left out.</summary>
    public static Dictionary<string, string> Flatten(object? document)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (document is null) return result;
        var node = JsonSerializer.SerializeToNode(document, document.GetType(), Options);
        if (node is JsonObject obj) Walk(obj, "", result);
        return result;
    }

    private static void Walk(JsonObject obj, string prefix, Dictionary<string, string> result)
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
                    result[key] = value.ToJsonString(Options);
                    break;
            }
        }
    }
}
