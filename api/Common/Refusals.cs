using System.Runtime.ExceptionServices;

namespace DanVanKheo.Api.Common;

/// <summary>
/// The one place a rule's refusal (<see cref="DomainException"/>) is caught. Each boundary then
/// shows it its own way: the GraphQL layer as payload errors, the report export as a 400, the
/// deadline service as a log line.
/// </summary>
public static class Refusals
{
    public static async Task<(T? Value, DomainException? Refusal)> TryAsync<T>(Func<Task<T>> work)
    {
        try
        {
            return (await work(), null);
        }
        catch (DomainException e)
        {
            return (default, e);
        }
    }

    public static (T? Value, DomainException? Refusal) Try<T>(Func<T> work) =>
        TryAsync(() => Task.FromResult(work())).GetAwaiter().GetResult();

    /// <summary>Throws <paramref name="refusal"/> again with its original stack.</summary>
    public static void Rethrow(DomainException refusal) => ExceptionDispatchInfo.Capture(refusal).Throw();
}
