using System.ComponentModel.DataAnnotations;

namespace DanVanKheo.Api.Live;

/// <summary>Limits and timings of live updates (section "Subscriptions"), validated on start.</summary>
public sealed class LiveOptions
{
    public const string Section = "Subscriptions";

    /// <summary>Active subscriptions one WebSocket may hold.</summary>
    [Range(1, 1000)] public int MaxSubscriptionsPerConnection { get; set; } = 20;

    /// <summary>Open WebSocket or SSE connections one caller (token subject, or IP address when anonymous) may hold.</summary>
    [Range(1, 100_000)] public int MaxConnectionsPerCaller { get; set; } = 20;

    /// <summary>Largest message a client may send over a WebSocket.</summary>
    [Range(256, 10_000_000)] public int MaxMessageBytes { get; set; } = 65_536;

    /// <summary>How long a new WebSocket may wait before connection_init (closed with 4408).</summary>
    [Range(typeof(TimeSpan), "00:00:00.1", "00:05:00")] public TimeSpan InitTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>A WebSocket whose client sends nothing (not even a pong) for this long is closed.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")] public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromSeconds(90);

    /// <summary>How often the server pings an idle WebSocket (graphql-ws clients answer with pong) and comments an SSE stream.</summary>
    [Range(typeof(TimeSpan), "00:00:00.1", "00:30:00")] public TimeSpan KeepAlive { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How far back a cursor may resume: older cursors are refused with CURSOR_EXPIRED.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "30.00:00:00")] public TimeSpan Retention { get; set; } = TimeSpan.FromHours(24);

    /// <summary>The most events one resume replays (more means CURSOR_EXPIRED: reload instead).</summary>
    [Range(1, 1_000_000)] public int MaxReplayEvents { get; set; } = 10_000;

    /// <summary>Events one subscriber may have waiting; a subscriber that falls further behind is ended (SLOW_CONSUMER).</summary>
    [Range(16, 1_000_000)] public int SubscriberBuffer { get; set; } = 1_000;

    /// <summary>
    /// Subscribers with the same document, variables and authorization view share one execution
    /// and one serialized result per event. Off only to measure what sharing saves (the bench).
    /// </summary>
    public bool ShareExecutions { get; set; } = true;

    /// <summary>MongoDB, tailing path (no change streams): how often each instance polls the audit log.</summary>
    [Range(typeof(TimeSpan), "00:00:00.05", "00:01:00")] public TimeSpan MongoPollInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>MongoDB, tailing path: events younger than this are not read yet (their mutation may still be committing).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")] public TimeSpan MongoSettle { get; set; } = TimeSpan.FromSeconds(2);
}
