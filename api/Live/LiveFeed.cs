using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using System.Text;
using System.Threading.Channels;
using DanVanKheo.Api.Common;
using Microsoft.Extensions.Options;

namespace DanVanKheo.Api.Live;

/// <summary>Error codes of live updates.</summary>
public static class LiveErrorCodes
{
    public const string CursorExpired = "CURSOR_EXPIRED";
    public const string SlowConsumer = "SLOW_CONSUMER";
    public const string TooManySubscriptions = "TOO_MANY_SUBSCRIPTIONS";
}

/// <summary>
/// Follows the audit feed once per process and fans each committed event out to every live
/// subscriber (each with a bounded buffer), so thousands of subscribers cost one reader.
/// A subscriber that resumes first replays the feed from its cursor up to where it joined.
/// </summary>
public sealed class LiveFeed(IAuditFeed feed, IOptions<LiveOptions> options, TimeProvider time, ILogger<LiveFeed> logger) : BackgroundService
{
    private const int Batch = 500;
    private const string CursorPrefix = "feed:";
    private readonly Lock _gate = new();
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ImmutableArray<Channel<FeedItem>> _subscribers = [];
    private string _position = "";

    public int SubscriberCount => _subscribers.Length;

    protected override async Task ExecuteAsync(CancellationToken stop)
    {
        while (!_started.Task.IsCompleted && !stop.IsCancellationRequested)
        {
            try
            {
                _position = await feed.HeadAsync(stop);
                _started.TrySetResult();
            }
            catch (Exception e) when (!stop.IsCancellationRequested)
            {
                logger.LogError(e, "Live updates could not read the audit feed's head; retrying");
                await Task.Delay(TimeSpan.FromSeconds(1), time, stop);
            }
        }
        while (!stop.IsCancellationRequested)
        {
            try
            {
                var items = await feed.ReadAfterAsync(_position, Batch, stop);
                if (items.Count == 0)
                {
                    await feed.WaitAsync(_position, stop);
                    continue;
                }
                lock (_gate)
                {
                    foreach (var item in items)
                        foreach (var s in _subscribers)
                            if (!s.Writer.TryWrite(item))
                                s.Writer.TryComplete(new DomainException(LiveErrorCodes.SlowConsumer,
                                    new(Messages.SlowConsumerEnded)));
                    _position = items[^1].Position;
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                logger.LogError(e, "Live updates could not read the audit feed; retrying");
                await Task.Delay(TimeSpan.FromSeconds(1), time, stop).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    public static string CursorOf(FeedItem item) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(CursorPrefix + item.Position)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>The feed position a client cursor names; BAD_USER_INPUT on <paramref name="field"/> if it is not one.</summary>
    public static string PositionOf(string cursor, string field)
    {
        try
        {
            var b64 = cursor.Replace('-', '+').Replace('_', '/');
            b64 = b64.PadRight(b64.Length + (4 - b64.Length % 4) % 4, '=');
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(b64));
            if (text.StartsWith(CursorPrefix, StringComparison.Ordinal) && text.Length > CursorPrefix.Length) return text[CursorPrefix.Length..];
        }
        catch (FormatException)
        {
        }
        throw new DomainException(ErrorCodes.InvalidInput, new(Messages.NotAFeedCursor, field), field);
    }

    /// <summary>Refuses a resume cursor the retention window no longer covers (or that never was delivered).</summary>
    public async Task CheckResumeAsync(string position, string field, CancellationToken ct)
    {
        await _started.Task.WaitAsync(ct);
        if (string.CompareOrdinal(position, _position) > 0)
            throw new DomainException(ErrorCodes.InvalidInput, new(Messages.NotAFeedCursor, field), field);
        var next = await feed.ReadAfterAsync(position, 1, ct);
        if (next.Count > 0 && next[0].Event.Timestamp < time.GetUtcNow().UtcDateTime - options.Value.Retention)
            throw new DomainException(LiveErrorCodes.CursorExpired,
                new(Messages.CursorTooOld), field);
    }

    /// <summary>
    /// Committed events in feed order: those after <paramref name="after"/> (a position already
    /// checked by <see cref="CheckResumeAsync"/>) first, then live ones; each exactly once.
    /// </summary>
    public async IAsyncEnumerable<FeedItem> FollowAsync(string? after, [EnumeratorCancellation] CancellationToken ct)
    {
        await _started.Task.WaitAsync(ct);
        var o = options.Value;
        var channel = Channel.CreateBounded<FeedItem>(new BoundedChannelOptions(o.SubscriberBuffer)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        // A new subscriber starts at the store's head, even when this reader has not caught up with it yet.
        var head = after is null ? await feed.HeadAsync(ct) : "";
        string joinedAt;
        lock (_gate)
        {
            _subscribers = _subscribers.Add(channel);
            joinedAt = _position;
        }
        try
        {
            var last = after ?? (string.CompareOrdinal(head, joinedAt) > 0 ? head : joinedAt);
            var replayed = 0;
            while (string.CompareOrdinal(last, joinedAt) < 0)
            {
                var batch = await feed.ReadAfterAsync(last, Batch, ct);
                var moved = false;
                foreach (var item in batch)
                {
                    if (string.CompareOrdinal(item.Position, joinedAt) > 0) break;
                    if (++replayed > o.MaxReplayEvents)
                        throw new DomainException(LiveErrorCodes.CursorExpired,
                            new(Messages.TooManyMissedEvents));
                    last = item.Position;
                    moved = true;
                    yield return item;
                }
                if (!moved) break;
            }
            await foreach (var item in channel.Reader.ReadAllAsync(ct))
            {
                if (string.CompareOrdinal(item.Position, last) <= 0) continue;
                last = item.Position;
                yield return item;
            }
        }
        finally
        {
            lock (_gate) _subscribers = _subscribers.Remove(channel);
        }
    }
}
