using DanVanKheo.Api.Audit;

namespace DanVanKheo.Api.Live;

/// <summary>One committed audit event at its place in the feed.</summary>
/// <param name="Position">
/// The feed position: a fixed-width string that sorts ordinally in delivery order (LiteDB: the
/// commit counter; MongoDB: the event's OrderKey). It is the resume cursor's payload.
/// </param>
public sealed record FeedItem(string Position, AuditEvent Event);

/// <summary>
/// The audit log read as an ordered feed of committed changes: live updates have no other source,
/// so nothing published can be a change that did not happen.
/// </summary>
public interface IAuditFeed
{
    /// <summary>The position of the last event now in the feed ("" when empty).</summary>
    Task<string> HeadAsync(CancellationToken ct);

    /// <summary>Up to <paramref name="max"/> events after <paramref name="position"/>, in feed order.</summary>
    Task<IReadOnlyList<FeedItem>> ReadAfterAsync(string position, int max, CancellationToken ct);

    /// <summary>Completes when events after <paramref name="position"/> may exist (a commit signal or the next poll).</summary>
    Task WaitAsync(string position, CancellationToken ct);
}
