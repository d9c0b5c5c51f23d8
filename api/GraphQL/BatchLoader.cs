using GraphQL.DataLoader;

namespace DanVanKheo.Api.GraphQL;

/// <summary>
/// A per-request batching loader: keys requested while one level of the query executes are
/// fetched with one store call when GraphQL.NET's execution strategy first awaits a result.
/// Results are cached for the rest of the request.
/// </summary>
public sealed class BatchLoader<TKey, TValue>(
    Func<IReadOnlyCollection<TKey>, CancellationToken, Task<IReadOnlyDictionary<TKey, TValue>>> fetch)
    where TKey : notnull
    where TValue : class
{
    private readonly Lock _gate = new();
    private readonly Dictionary<TKey, (Task<TValue?> Value, TaskCompletionSource<IReadOnlyDictionary<TKey, TValue>> Batch)> _cache = [];
    private List<TKey> _pending = [];
    private TaskCompletionSource<IReadOnlyDictionary<TKey, TValue>>? _batch;

    public IDataLoaderResult<TValue?> Load(TKey key)
    {
        lock (_gate)
        {
            // A cached key may still wait for its batch: awaiting it must be able to dispatch that batch,
            // or a resolver awaiting it inline would wait for a dispatch that only comes after it returns.
            if (_cache.TryGetValue(key, out var cached)) return new Result(this, cached.Value, cached.Batch);
            _batch ??= new TaskCompletionSource<IReadOnlyDictionary<TKey, TValue>>(TaskCreationOptions.RunContinuationsAsynchronously);
            _pending.Add(key);
            var batch = _batch;
            var task = Pick(batch.Task, key);
            _cache[key] = (task, batch);
            return new Result(this, task, batch);
        }
    }

    private static async Task<TValue?> Pick(Task<IReadOnlyDictionary<TKey, TValue>> batch, TKey key) =>
        (await batch.ConfigureAwait(false)).GetValueOrDefault(key);

    private async Task DispatchAsync(TaskCompletionSource<IReadOnlyDictionary<TKey, TValue>> batch, CancellationToken ct)
    {
        List<TKey> keys;
        lock (_gate)
        {
            if (!ReferenceEquals(_batch, batch)) return; // already dispatched
            keys = _pending;
            _pending = [];
            _batch = null;
        }
        try
        {
            batch.SetResult(await fetch(keys, ct).ConfigureAwait(false));
        }
        catch (Exception e)
        {
            batch.SetException(e);
        }
    }

    private sealed class Result(BatchLoader<TKey, TValue> owner, Task<TValue?> value,
        TaskCompletionSource<IReadOnlyDictionary<TKey, TValue>> batch) : IDataLoaderResult<TValue?>
    {
        public async Task<TValue?> GetResultAsync(CancellationToken cancellationToken = default)
        {
            await owner.DispatchAsync(batch, cancellationToken).ConfigureAwait(false);
            return await value.ConfigureAwait(false);
        }

        async Task<object?> IDataLoaderResult.GetResultAsync(CancellationToken cancellationToken) =>
            await GetResultAsync(cancellationToken).ConfigureAwait(false);
    }
}
