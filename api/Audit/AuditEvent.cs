using System.Globalization;
using DanVanKheo.Api.Common;

namespace DanVanKheo.Api.Audit;

public enum AuditKind
{
    /// <summary>A successful mutation: what changed, before and after.</summary>
    Change,

    /// <summary>A refused mutation or read (no token, no right): who tried what. Changes nothing.</summary>
    Security,
}

/// <summary>One changed field of one document; values are JSON text (null when absent).</summary>
public sealed class AuditChange
{
    public string TargetType { get; set; } = "";
    public string TargetId { get; set; } = "";
    public string Field { get; set; } = "";
    public string? Before { get; set; }
    public string? After { get; set; }
}

/// <summary>
/// An append-only audit event. Events form one hash chain per <see cref="Stream"/> (the primary
/// target, "Entry:&lt;id&gt;", or "security"): <see cref="Hash"/> is SHA-256 over the event's
/// canonical form, which includes <see cref="PrevHash"/> (see <see cref="AuditChain"/>).
/// </summary>
public sealed class AuditEvent
{
    public string Id { get; set; } = Ids.New();
    public string Stream { get; set; } = "";
    public long Sequence { get; set; }
    public string PrevHash { get; set; } = "";
    public string Hash { get; set; } = "";
    public AuditKind Kind { get; set; }
    public DateTime Timestamp { get; set; }
    public string RequestId { get; set; } = "";
    public string? ActorId { get; set; }
    public string? ActorName { get; set; }
    public List<string> ActorRoles { get; set; } = [];
    /// <summary>The mutation (field name), e.g. createEntry.</summary>
    public string Action { get; set; } = "";
    public string TargetType { get; set; } = "";
    public string? TargetId { get; set; }
    /// <summary>Every document the event changed (the target first): history and targetId filters use it.</summary>
    public List<string> TargetIds { get; set; } = [];
    public string? UnitId { get; set; }
    public List<AuditChange> Changes { get; set; } = [];
    /// <summary>When set (e.g. "Round:&lt;id&gt;" for ballots), the changes are sealed until <see cref="IAuditSeal"/> opens it.</summary>
    public string? SealedUntil { get; set; }
    /// <summary>Security events: why the request was refused.</summary>
    public string? Reason { get; set; }
    /// <summary>
    /// Security events: the policy that refused (e.g. UnitEditorOfTarget). Null on change events
    /// and on security events written before it was recorded apart (they kept it in TargetType).
    /// </summary>
    public string? Policy { get; set; }
    /// <summary>Unique paging key: timestamp ticks, then id.</summary>
    public string OrderKey { get; set; } = "";

    public static string OrderKeyOf(DateTime timestamp, string id) =>
        timestamp.Ticks.ToString("D19", CultureInfo.InvariantCulture) + "|" + id;

    public const string SecurityStream = "security";

    public static string StreamOf(string targetType, string targetId) => targetType + ":" + targetId;
}

public sealed record AuditFilter(
    string? TargetId = null,
    string? ActorId = null,
    string? UnitId = null,
    string? Action = null,
    DateTime? From = null,
    DateTime? To = null,
    AuditKind? Kind = null);

/// <summary>Storage port for the audit log: append and read only; there is no update or delete.</summary>
public interface IAuditStore
{
    /// <summary>Appends a standalone event (security events) at the end of its stream's chain.</summary>
    Task AppendAsync(AuditEvent e, CancellationToken ct = default);

    /// <summary>Newest first, paged by <see cref="AuditEvent.OrderKey"/>.</summary>
    Task<Page<AuditEvent>> FindAsync(AuditFilter filter, PageRequest page, CancellationToken ct = default);

    /// <summary>At most <paramref name="limit"/> events of a stream, in sequence order from <paramref name="fromSequence"/>.</summary>
    Task<IReadOnlyList<AuditEvent>> GetStreamAsync(string stream, long fromSequence, int limit, CancellationToken ct = default);

    /// <summary>At most <paramref name="limit"/> stream names after <paramref name="after"/>, in the store's order of names.</summary>
    Task<IReadOnlyList<string>> ListStreamsAsync(string? after, int limit, CancellationToken ct = default);
}

/// <summary>
/// The hook that decides when sealed contents (ballots) may be shown: the rounds feature
/// registers an implementation that opens "Round:&lt;id&gt;" once the round is closed.
/// </summary>
public interface IAuditSeal
{
    Task<bool> IsOpenAsync(string sealedUntil, CancellationToken ct);
}

/// <summary>Target type names in audit events: the GraphQL type names, so a target's global id can be rebuilt.</summary>
public static class AuditTargetTypes
{
    public const string Unit = "Unit";
    public const string Entry = "Entry";
    public const string Council = "Council";
    public const string Round = "Round";
    public const string Nomination = "Nomination";
    public const string Ballot = "Ballot";
    public const string BallotRevision = "BallotRevision";
    public const string Recognition = "Recognition";
    public const string Replication = "Replication";
}
