namespace DanVanKheo.Api.GraphQL;

/// <summary>
/// An async stream as the IObservable GraphQL.NET's subscription execution consumes: each
/// subscription enumerates once, sequentially (so events keep their order), until disposed.
/// A 30-line adapter instead of System.Reactive for one conversion.
/// </summary>
public sealed class AsyncEnumerableObservable<T>(Func<CancellationToken, IAsyncEnumerable<T>> source) : IObservable<T>
{
    public IDisposable Subscribe(IObserver<T> observer)
    {
        var cts = new CancellationTokenSource();
        _ = RunAsync(observer, cts.Token);
        return new Subscription(cts);
    }

    private async Task RunAsync(IObserver<T> observer, CancellationToken ct)
    {
        try
        {
            await foreach (var item in source(ct).WithCancellation(ct).ConfigureAwait(false))
                observer.OnNext(item);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return;
        }
        catch (Exception e)
        {
            observer.OnError(e);
            return;
        }
        observer.OnCompleted();
    }

    private sealed class Subscription(CancellationTokenSource cts) : IDisposable
    {
        public void Dispose()
        {
            if (!cts.IsCancellationRequested) cts.Cancel();
        }
    }
}
