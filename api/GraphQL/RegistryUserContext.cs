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

    public T Loader<T>(string name, Func<T> create) where T : class =>
        (T)_loaders.GetOrAdd(name, _ => create());
}

public static class ResolveFieldContextExtensions
{
    public static RegistryUserContext Registry(this IResolveFieldContext context) =>
        context.UserContext as RegistryUserContext
        ?? throw new InvalidOperationException("The GraphQL request was executed without a RegistryUserContext.");

    public static Caller Caller(this IResolveFieldContext context) => context.Registry().Caller;

    public static T Service<T>(this IResolveFieldContext context) where T : notnull =>
        context.RequestServices!.GetRequiredService<T>();
}
