using DanVanKheo.Api.Auth;
using GraphQL;

namespace DanVanKheo.Api.GraphQL;

/// <summary>Per-request state of a GraphQL execution: the request (caller, denials) and its DataLoaders.</summary>
public sealed class RegistryUserContext : Dictionary<string, object?>
{
    public required RequestContext Request { get; init; }
    public required RequestLoaders Loaders { get; init; }
    public bool IsGetRequest { get; init; }

    public Caller Caller => Request.Caller;
    public string RequestId => Request.RequestId;

    /// <summary>Refusals by the authorization policies during this request; logged as security events.</summary>
    public IReadOnlyCollection<Denial> Denials => Request.Denials;

    public void RecordDenial(string field, string parentType, string policy, Common.Message reason) =>
        Request.RecordDenial(field, parentType, policy, reason);
}

public static class ResolveFieldContextExtensions
{
    public static RegistryUserContext Registry(this IResolveFieldContext context) =>
        context.UserContext as RegistryUserContext
        ?? throw new InvalidOperationException("The GraphQL request was executed without a RegistryUserContext.");

    public static Caller Caller(this IResolveFieldContext context) => context.Registry().Caller;

    public static RequestLoaders Loaders(this IResolveFieldContext context) => context.Registry().Loaders;
}
