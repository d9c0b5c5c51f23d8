using DanVanKheo.Api.Auth;
using DanVanKheo.Api.Common;
using DanVanKheo.Api.GraphQL;
using GraphQL;
using GraphQL.Builders;
using GraphQL.Instrumentation;
using GraphQL.Types;

namespace DanVanKheo.Api.Audit;

public static class AuditFieldExtensions
{
    public const string AuditedKey = "DanVanKheo.Audited";
    public const string SealedKey = "DanVanKheo.AuditSealed";

    /// <summary>
    /// Declares that the mutation writes one audit event with its change. <paramref name="sealUntil"/>
    /// (ballots) names, from the field's arguments, what the event's changes are sealed until
    /// (e.g. <c>c => "Round:" + roundId</c>); <see cref="IAuditSeal"/> decides when that opens.
    /// </summary>
    public static FieldBuilder<TSource, TReturn> Audited<TSource, TReturn>(this FieldBuilder<TSource, TReturn> field,
        Func<IResolveFieldContext, string?>? sealUntil = null)
    {
        field.FieldType.WithMetadata(AuditedKey, true);
        if (sealUntil is not null) field.FieldType.WithMetadata(SealedKey, sealUntil);
        return field;
    }

    public static bool IsAudited(this IMetadataReader field) => field.GetMetadata(AuditedKey, false);
}

/// <summary>
/// Opens an <see cref="AuditScope"/> around every root mutation field declared
/// <see cref="AuditFieldExtensions.Audited{TSource,TReturn}"/>, and records FORBIDDEN refusals
/// raised by resolvers as security events (through the request's denials). A mutation field
/// that is not declared audited is refused outright: nothing may change the registry unaudited.
/// </summary>
public sealed class AuditMiddleware(ILogger<AuditMiddleware> logger) : IFieldMiddleware
{
    public async ValueTask<object?> ResolveAsync(IResolveFieldContext context, FieldMiddlewareDelegate next)
    {
        if (context.ParentType is not { } parent || !ReferenceEquals(parent, context.Schema.Mutation))
            return await next(context);
        var field = context.FieldDefinition;
        if (!field.IsAudited())
            throw new InvalidOperationException($"Mutation '{field.Name}' is not declared .Audited(): it cannot run.");
        var registry = context.Registry();
        var scope = new AuditScope
        {
            Actor = registry.Caller,
            Action = field.Name,
            RequestId = registry.RequestId,
            Timestamp = context.Service<TimeProvider>().UtcNowMs(),
            SealedUntil = field.GetMetadata<Func<IResolveFieldContext, string?>?>(AuditFieldExtensions.SealedKey, (Func<IResolveFieldContext, string?>?)null)?.Invoke(context),
        };
        using (AuditScope.Begin(scope))
        {
            var result = await next(context);
            if (scope.Appended != 1 && !HasUserErrors(result))
                logger.LogError("Mutation {Mutation} succeeded with {Count} audit events instead of one (request {RequestId}).",
                    field.Name, scope.Appended, registry.RequestId);
            return result;
        }
    }

    private static bool HasUserErrors(object? payload) =>
        payload?.GetType().GetProperty("Errors")?.GetValue(payload) is IReadOnlyCollection<UserError> { Count: > 0 };
}
