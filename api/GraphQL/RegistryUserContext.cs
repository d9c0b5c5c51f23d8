using System.Collections.Concurrent;
using DanVanKheo.Api.Auth;
using GraphQL;

namespace DanVanKheo.Api.GraphQL;

/// <summary>Per-request state shared by resolvers: the caller and the request's DataLoaders.</summary>
public sealed class RegistryUserContext : Dictionary<string, object?>
{
    public required Caller Caller { get; init; }
    public required string RequestId { get; init; }
    public bool IsGetRequest { get; init; }
    private readonly ConcurrentDictionary<string, object> _loaders = new();
    private readonly ConcurrentQueue<Denial> _denials = new();

    /// <summary>Refusals by the authorization policies during this request; logged as security events.</summary>
    public IReadOnlyCollection<Denial> Denials => _denials;

    public void RecordDenial(string field, string policy, string reason) => _denials.Enqueue(new Denial(field, policy, reason));

    public T Loader<T>(string name, Func<T> create) where T : class =>
        (T)_loaders.GetOrAdd(name, _ => create());
}

/// <summary>A field the caller was refused, and by which policy.</summary>
public sealed record Denial(string Field, string Policy, string Reason);

public static class ResolveFieldContextExtensions
{
    public static RegistryUserContext Registry(this IResolveFieldContext context) =>
        context.UserContext as RegistryUserContext
        ?? throw new InvalidOperationException("The GraphQL request was executed without a RegistryUserContext.");

    public static Caller Caller(this IResolveFieldContext context) => context.Registry().Caller;

    public static T Service<T>(this IResolveFieldContext context) where T : notnull =>
        context.RequestServices!.GetRequiredService<T>();
}
