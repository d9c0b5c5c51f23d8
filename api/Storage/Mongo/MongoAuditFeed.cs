using System.Globalization;
using DanVanKheo.Api.Audit;
using DanVanKheo.Api.Common;
using DanVanKheo.Api.Live;
using Microsoft.Extensions.Options;
using MongoDB.Bson;
using MongoDB.Driver;

namespace DanVanKheo.Api.Storage.Mongo;

/// <summary>
/// MongoDB's feed. Each instance follows the audit collection with a <b>change stream</b>: inserts
/// arrive in commit order with their cluster time, so a position is the commit's cluster time (then
/// the OrderKey, for several events of one transaction), the same on every instance. The resume
/// token is kept in memory and the stream reopened after it on a network error; events this
/// instance has seen are kept in memory (up to <see cref="LiveOptions.MaxReplayEvents"/>), older
/// resumes are replayed from the oplog (<c>startAtOperationTime</c>).
/// Where the server has no change streams (the emulator), the first attempt's refusal is detected
/// once and the feed <b>tails by OrderKey</b> instead: a poll every <see cref="LiveOptions.MongoPollInterval"/>
/// that reads only events older than <see cref="LiveOptions.MongoSettle"/> (an event's timestamp is
/// taken when its mutation starts and it commits a little later).
/// </summary>
public sealed class MongoAuditFeed(MongoContext db, IOptions<LiveOptions> options, TimeProvider time, ILogger<MongoAuditFeed> logger)
    : IAuditFeed, IDisposable
{
    static MongoAuditFeed() => MongoMappings.Register();

    /// <summary>How this instance follows the audit log.</summary>
    public enum FeedPath
    {
        Undecided,
        ChangeStream,
        Tailing,
    }

    private readonly SemaphoreSlim _decide = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _gate = new();
    private readonly List<FeedItem> _recent = [];
    private volatile FeedPath _path;
    private string _start = "";
    private string _head = "";
    private BsonDocument? _resumeToken;
    private TaskCompletionSource _signal = NewSignal();

    public FeedPath Path => _path;

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async Task<string> HeadAsync(CancellationToken ct)
    {
        if (await DecideAsync(ct) == FeedPath.ChangeStream)
            lock (_gate) return _head;
        var last = await db.AuditEvents.Find(Builders<AuditEvent>.Filter.Lt(e => e.OrderKey, SettledBound()))
            .SortByDescending(e => e.OrderKey).Limit(1).FirstOrDefaultAsync(ct);
        return last?.OrderKey ?? "";
    }

    public async Task<IReadOnlyList<FeedItem>> ReadAfterAsync(string position, int max, CancellationToken ct)
    {
        if (await DecideAsync(ct) == FeedPath.ChangeStream) return await ReadStreamAfterAsync(position, max, ct);
        var f = Builders<AuditEvent>.Filter;
        var events = await db.AuditEvents.Find(f.Gt(e => e.OrderKey, position) & f.Lt(e => e.OrderKey, SettledBound()))
            .SortBy(e => e.OrderKey).Limit(max).ToListAsync(ct);
        return [.. events.Select(e => new FeedItem(e.OrderKey, e))];
    }

    public async Task WaitAsync(string position, CancellationToken ct)
    {
        if (await DecideAsync(ct) != FeedPath.ChangeStream)
        {
            await Task.Delay(options.Value.MongoPollInterval, time, ct);
            return;
        }
        Task signal;
        lock (_gate)
        {
            if (string.CompareOrdinal(_head, position) > 0) return;
            signal = _signal.Task;
        }
        await signal.WaitAsync(ct);
    }

    private string SettledBound() =>
        AuditEvent.OrderKeyOf(time.GetUtcNow().UtcDateTime - options.Value.MongoSettle, "");

    /// <summary>Opens the change stream once; a server that refuses it makes this instance tail instead.</summary>
    private async ValueTask<FeedPath> DecideAsync(CancellationToken ct)
    {
        if (_path != FeedPath.Undecided) return _path;
        await _decide.WaitAsync(ct);
        try
        {
            if (_path != FeedPath.Undecided) return _path;
            IChangeStreamCursor<ChangeStreamDocument<AuditEvent>> cursor;
            BsonTimestamp started;
            // The session tells the stream's start time; the follower keeps it while it runs.
            var session = await db.Client.StartSessionAsync(cancellationToken: ct);
            try
            {
                cursor = await db.AuditEvents.WatchAsync(session, Pipeline(), StreamOptions(null, null), ct);
                started = session.OperationTime ?? new BsonTimestamp(0);
            }
            catch (Exception e)
            {
                session.Dispose();
                if (e is not MongoCommandException refused || !MeansUnsupported(refused)) throw;
                logger.LogWarning("The MongoDB server has no change streams ({Code}: {Reason}); live updates tail the audit log by order key every {Interval}",
                    refused.Code, refused.Message, options.Value.MongoPollInterval);
                _path = FeedPath.Tailing;
                return _path;
            }
            _start = _head = Position(started, "");
            _path = FeedPath.ChangeStream;
            logger.LogInformation("Live updates follow the audit log with a MongoDB change stream");
            _ = Task.Run(() => FollowAsync(cursor, session, started, _stop.Token), CancellationToken.None);
            return _path;
        }
        finally
        {
            _decide.Release();
        }
    }

    private static PipelineDefinition<ChangeStreamDocument<AuditEvent>, ChangeStreamDocument<AuditEvent>> Pipeline() =>
        new EmptyPipelineDefinition<ChangeStreamDocument<AuditEvent>>().Match(c => c.OperationType == ChangeStreamOperationType.Insert);

    private static ChangeStreamOptions StreamOptions(BsonDocument? resumeAfter, BsonTimestamp? startAt) => new()
    {
        ResumeAfter = resumeAfter,
        StartAtOperationTime = resumeAfter is null ? startAt : null,
        MaxAwaitTime = TimeSpan.FromSeconds(1),
    };

    /// <summary>Commit time first (the same on every member of the replica set), then the OrderKey; fixed width, so it sorts ordinally.</summary>
    private static string Position(BsonTimestamp clusterTime, string orderKey) =>
        ((ulong)clusterTime.Value).ToString("D20", CultureInfo.InvariantCulture) + "/" + orderKey;

    private static BsonTimestamp ClusterTimeOf(string position) =>
        position.Length >= 20 && ulong.TryParse(position.AsSpan(0, 20), NumberStyles.None, CultureInfo.InvariantCulture, out var v)
            ? new BsonTimestamp((long)v)
            : throw new DomainException(ErrorCodes.InvalidInput, "'after' is not a cursor of this feed.", "after");

    private async Task FollowAsync(IChangeStreamCursor<ChangeStreamDocument<AuditEvent>> first, IClientSessionHandle firstSession,
        BsonTimestamp started, CancellationToken stop)
    {
        using var session = firstSession;
        var cursor = first;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                cursor ??= await db.AuditEvents.WatchAsync(Pipeline(), StreamOptions(_resumeToken, started), stop);
                using (cursor)
                {
                    while (await cursor.MoveNextAsync(stop))
                    {
                        foreach (var change in cursor.Current) Append(change);
                        // The post-batch token moves on even without events, so a resume never re-reads a long quiet stretch.
                        if (cursor.GetResumeToken() is { } token) _resumeToken = token;
                    }
                }
                cursor = null;
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                cursor = null;
                logger.LogWarning(e, "The audit change stream was interrupted; resuming after the last event seen");
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(1), time, stop);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private void Append(ChangeStreamDocument<AuditEvent> change)
    {
        if (change.FullDocument is not { } e) return;
        var item = new FeedItem(Position(change.ClusterTime, e.OrderKey), e);
        TaskCompletionSource signal;
        lock (_gate)
        {
            _resumeToken = change.ResumeToken;
            if (string.CompareOrdinal(item.Position, _head) <= 0) return; // replayed after a resume: already here
            _recent.Add(item);
            if (_recent.Count > options.Value.MaxReplayEvents) _recent.RemoveRange(0, _recent.Count - options.Value.MaxReplayEvents);
            _head = item.Position;
            signal = _signal;
            _signal = NewSignal();
        }
        signal.TrySetResult();
    }

    private async Task<IReadOnlyList<FeedItem>> ReadStreamAfterAsync(string position, int max, CancellationToken ct)
    {
        lock (_gate)
        {
            if (string.CompareOrdinal(position, _start) >= 0 || (_recent.Count > 0 && string.CompareOrdinal(position, _recent[0].Position) >= 0))
                return RecentAfter(position, max);
        }
        // Older than what this instance has seen: read the oplog from the cursor's commit time up to now.
        var items = new List<FeedItem>();
        var until = _start;
        try
        {
            using var cursor = await db.AuditEvents.WatchAsync(Pipeline(), StreamOptions(null, ClusterTimeOf(position)), ct);
            while (items.Count < max && await cursor.MoveNextAsync(ct))
            {
                var batch = cursor.Current.ToList();
                foreach (var change in batch)
                {
                    if (change.FullDocument is not { } e) continue;
                    var p = Position(change.ClusterTime, e.OrderKey);
                    if (string.CompareOrdinal(p, until) > 0) break; // memory has the rest
                    if (string.CompareOrdinal(p, position) > 0) items.Add(new FeedItem(p, e));
                    if (items.Count == max) return items;
                }
                if (batch.Count == 0) break;
            }
        }
        catch (MongoCommandException e) when (e.CodeName is "ChangeStreamHistoryLost" or "ChangeStreamFatalError" || e.Code == 286)
        {
            throw new DomainException(LiveErrorCodes.CursorExpired,
                "Con trỏ đã quá thời hạn lưu giữ sự kiện; hãy tải lại dữ liệu rồi đăng ký mới.", "after");
        }
        lock (_gate) items.AddRange(RecentAfter(until, max - items.Count));
        return items;
    }

    /// <summary>Events this instance has seen after <paramref name="position"/> (call under the gate).</summary>
    private List<FeedItem> RecentAfter(string position, int max)
    {
        var from = _recent.BinarySearch(new FeedItem(position, null!), ByPosition.Instance);
        from = from < 0 ? ~from : from + 1;
        return _recent.Skip(from).Take(max).ToList();
    }

    /// <summary>The server's answer when it has no change streams (a standalone server, an emulator), as opposed to a passing failure.</summary>
    private static bool MeansUnsupported(MongoCommandException e) =>
        e.Code is 20 or 59 or 115 or 40324 or 40573 ||
        e.Message.Contains("changeStream", StringComparison.OrdinalIgnoreCase) ||
        e.Message.Contains("not supported", StringComparison.OrdinalIgnoreCase);

    private sealed class ByPosition : IComparer<FeedItem>
    {
        public static readonly ByPosition Instance = new();

        public int Compare(FeedItem? x, FeedItem? y) => string.CompareOrdinal(x?.Position, y?.Position);
    }

    // The follower may still be unwinding with the token, so the source is cancelled, not disposed.
    public void Dispose()
    {
        _stop.Cancel();
        _decide.Dispose();
    }
}
