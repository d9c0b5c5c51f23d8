namespace DanVanKheo.Api.Common;

public static class Ids
{
    private static readonly AsyncLocal<Func<string>?> Source = new();

    /// <summary>Time-ordered ids keep inserts append-only in both stores' primary index.</summary>
    public static string New() => Source.Value?.Invoke() ?? Guid.CreateVersion7().ToString("N");

    /// <summary>
    /// Until disposed, <see cref="New"/> in the calling async flow draws from <paramref name="source"/>:
    /// the seed generator uses it so ids assigned inside the domain rules and stores are deterministic.
    /// </summary>
    public static IDisposable Use(Func<string> source)
    {
        var previous = Source.Value;
        Source.Value = source;
        return new Restore(previous);
    }

    private sealed class Restore(Func<string>? previous) : IDisposable
    {
        public void Dispose() => Source.Value = previous;
    }
}
