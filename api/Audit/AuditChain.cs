using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;

namespace DanVanKheo.Api.Audit;

/// <summary>
/// The verdict on a stream, or on the part of it one call checked: <see cref="Events"/> events from
/// <see cref="FromSequence"/>; <see cref="Complete"/> is false when the call's budget cut it (the next call goes on).
/// </summary>
public sealed record AuditChainReport(string Stream, bool Valid, int Events, long? FirstInvalidSequence, string? Problem,
    long FromSequence = 1, bool Complete = true);

/// <summary>
/// The hash chain. The canonical form of an event is compact JSON (UTF-8, System.Text.Json's
/// default escaping) of exactly these properties in this order: stream, sequence, prevHash, id,
/// kind, timestamp (ISO 8601 UTC with milliseconds), requestId, actor {id, name, roles (sorted
/// ordinally)}, action, targetType, targetId, targetIds, unitId, sealedUntil, reason, then policy only when the event has
/// one (events written before it existed keep their hashes), changes [{targetType, targetId,
/// field, before, after}] in stored order; absent values are null.
/// hash = lowercase hex SHA-256 of it. The first event of a stream has sequence 1 and
/// prevHash = 64 zeros; each next one carries the hash of the one before.
/// </summary>
public static class AuditChain
{
    public static readonly string Genesis = new('0', 64);

    public static byte[] Canonical(AuditEvent e)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("stream", e.Stream);
            w.WriteNumber("sequence", e.Sequence);
            w.WriteString("prevHash", e.PrevHash);
            w.WriteString("id", e.Id);
            w.WriteString("kind", e.Kind.ToString());
            w.WriteString("timestamp", e.Timestamp.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
            w.WriteString("requestId", e.RequestId);
            w.WriteStartObject("actor");
            w.WriteString("id", e.ActorId);
            w.WriteString("name", e.ActorName);
            w.WriteStartArray("roles");
            foreach (var r in e.ActorRoles.Order(StringComparer.Ordinal)) w.WriteStringValue(r);
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteString("action", e.Action);
            w.WriteString("targetType", e.TargetType);
            w.WriteString("targetId", e.TargetId);
            w.WriteStartArray("targetIds");
            foreach (var t in e.TargetIds) w.WriteStringValue(t);
            w.WriteEndArray();
            w.WriteString("unitId", e.UnitId);
            w.WriteString("sealedUntil", e.SealedUntil);
            w.WriteString("reason", e.Reason);
            if (e.Policy is not null) w.WriteString("policy", e.Policy);
            w.WriteStartArray("changes");
            foreach (var c in e.Changes)
            {
                w.WriteStartObject();
                w.WriteString("targetType", c.TargetType);
                w.WriteString("targetId", c.TargetId);
                w.WriteString("field", c.Field);
                w.WriteString("before", c.Before);
                w.WriteString("after", c.After);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return buffer.ToArray();
    }

    public static string HashOf(AuditEvent e) => Convert.ToHexStringLower(SHA256.HashData(Canonical(e)));

    /// <summary>Places <paramref name="e"/> after <paramref name="previous"/> (null: first of its stream) and seals it with its hash.</summary>
    public static void Link(AuditEvent e, long previousSequence, string? previousHash)
    {
        e.Sequence = previousSequence + 1;
        e.PrevHash = previousHash ?? Genesis;
        e.OrderKey = AuditEvent.OrderKeyOf(e.Timestamp, e.Id);
        e.Hash = HashOf(e);
    }

    /// <summary>Checks a whole stream read in sequence order: numbering, links and every hash.</summary>
    public static AuditChainReport Verify(string stream, IReadOnlyList<AuditEvent> events) => Verify(stream, null, 1, events, true);

    /// <summary>
    /// Checks part of a stream: <paramref name="events"/> read in sequence order from
    /// <paramref name="fromSequence"/>. Past the first event, the part links to
    /// <paramref name="anchor"/> (the event before it, as stored now, whose own hash is checked
    /// again), so consecutive parts verify exactly what one pass over the stream would.
    /// </summary>
    public static AuditChainReport Verify(string stream, AuditEvent? anchor, long fromSequence, IReadOnlyList<AuditEvent> events, bool complete)
    {
        AuditChainReport Broken(long sequence, string problem) => new(stream, false, events.Count, sequence, problem, fromSequence, true);
        var prev = Genesis;
        if (fromSequence > 1)
        {
            if (anchor is null || anchor.Stream != stream || anchor.Sequence != fromSequence - 1)
                return Broken(fromSequence - 1, "is missing (the event the checked part links to)");
            if (HashOf(anchor) != anchor.Hash) return Broken(anchor.Sequence, "its contents do not match its hash (the event was altered)");
            prev = anchor.Hash;
        }
        for (var i = 0; i < events.Count; i++)
        {
            var e = events[i];
            var expected = fromSequence + i;
            string? problem = null;
            if (e.Stream != stream) problem = "belongs to another stream";
            else if (e.Sequence != expected) problem = $"sequence {e.Sequence} where {expected} was expected (an event is missing or was inserted)";
            else if (e.PrevHash != prev) problem = "does not link to the previous event's hash";
            else if (HashOf(e) != e.Hash) problem = "its contents do not match its hash (the event was altered)";
            if (problem is not null) return Broken(e.Sequence, problem);
            prev = e.Hash;
        }
        return new AuditChainReport(stream, true, events.Count, null, null, fromSequence, complete);
    }
}
