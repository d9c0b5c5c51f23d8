using System.Collections.Immutable;
using System.Text;
using GraphQL;

namespace DanVanKheo.Api.GraphQL;

/// <summary>Where a subscription's results go: the transport's writer for one subscriber.</summary>
public interface ILiveSink
{
    /// <summary>One result as serialized JSON (UTF-8), shared by every subscriber of the group: never modify it.</summary>
    void Next(ReadOnlyMemory<byte> payload);
}

/// <summary>
/// Runs each distinct subscription once: subscribers with the same document, operation name,
/// variables and authorization view (<see cref="LiveOperation.ShareKey"/>) join one group that
/// executes the selection once per event and serializes the result once; every member gets the
/// same bytes. A subscription that resumes from a cursor runs alone (its replay is its own).
/// The group's execution (and its DI scope) lives while it has members.
/// </summary>
public sealed class LiveGroups(ILogger<LiveGroups> logger)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Group> _groups = new(StringComparer.Ordinal);

    private ILogger Logger => logger;

    /// <summary>Groups now running that subscribers may join.</summary>
    public int SharedGroupCount
    {
        get
        {
            lock (_gate) return _groups.Count;
        }
    }

    /// <summary>
    /// Delivers the stream of <paramref name="operation"/> (or of the running group with the same
    /// share key) to <paramref name="sink"/> until it completes or <paramref name="ct"/> ends.
    /// Takes ownership of <paramref name="operation"/>. A stream that fails delivers one errors
    /// result last.
    /// </summary>
    public async Task RunAsync(LiveOperation operation, ILiveSink sink, CancellationToken ct)
    {
        var member = new Member(sink);
        Group group;
        var joined = false;
        lock (_gate)
        {
            if (operation.ShareKey is { } key && _groups.TryGetValue(key, out var running) && running.TryAdd(member))
            {
                group = running;
                joined = true;
            }
            else
            {
                group = new Group(this, operation, operation.ShareKey);
                group.TryAdd(member);
                if (operation.ShareKey is { } k) _groups[k] = group;
            }
        }
        if (joined) await operation.DisposeAsync(); // the group's own execution serves this subscriber
        else group.Start();
        try
        {
            await member.Done.Task.WaitAsync(ct);
        }
        finally
        {
            await group.LeaveAsync(member);
        }
    }

    private void Forget(Group group)
    {
        lock (_gate)
        {
            if (group.Key is { } key && _groups.TryGetValue(key, out var g) && ReferenceEquals(g, group)) _groups.Remove(key);
        }
    }

    private sealed class Member(ILiveSink sink)
    {
        public ILiveSink Sink => sink;
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private sealed class Group(LiveGroups owner, LiveOperation operation, string? key) : IObserver<ExecutionResult>
    {
        private readonly Lock _lock = new();
        private ImmutableArray<Member> _members = [];
        private IDisposable? _subscription;
        private bool _closed;

        public string? Key => key;

        /// <summary>Adds a member unless the group has already ended .</summary>
        public bool TryAdd(Member m)
        {
            lock (_lock)
            {
                if (_closed) return false;
                _members = _members.Add(m);
                return true;
            }
        }

        public void Start()
        {
            try
            {
                var subscription = operation.Stream!.Subscribe(this);
                lock (_lock)
                {
                    if (!_closed)
                    {
                        _subscription = subscription;
                        return;
                    }
                }
                subscription.Dispose();
            }
            catch (Exception e)
            {
                OnError(e);
            }
        }

        public async Task LeaveAsync(Member m)
        {
            bool last;
            lock (_lock)
            {
                _members = _members.Remove(m);
                last = _members.IsEmpty;
                if (last) _closed = true;
            }
            if (!last) return;
            owner.Forget(this);
            IDisposable? subscription;
            lock (_lock) (subscription, _subscription) = (_subscription, null);
            subscription?.Dispose();
            await operation.DisposeAsync();
        }

        // GraphQL.NET calls the observer sequentially, so members get results in order.
        public void OnNext(ExecutionResult value)
        {
            ReadOnlyMemory<byte> payload;
            try
            {
                payload = Encoding.UTF8.GetBytes(operation.Serialize(value));
            }
            catch (Exception e)
            {
                owner.Logger.LogError(e, "A live result could not be serialized");
                return;
            }
            ImmutableArray<Member> members;
            lock (_lock) members = _members;
            foreach (var m in members) m.Sink.Next(payload);
        }

        public void OnError(Exception error)
        {
            var r = new ExecutionResult();
            r.AddError(error as ExecutionError ?? new ExecutionError(error.Message, error));
            OnNext(r);
            OnCompleted();
        }

        public void OnCompleted()
        {
            ImmutableArray<Member> members;
            lock (_lock)
            {
                _closed = true;
                members = _members;
            }
            owner.Forget(this);
            foreach (var m in members) m.Done.TrySetResult();
        }
    }
}
