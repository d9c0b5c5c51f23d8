using System.Collections.Frozen;
using System.Collections;
using DanVanKheo.Api.Common;
using DanVanKheo.Api.GraphQL;
using GraphQL;
using GraphQL.DataLoader;
using GraphQL.Instrumentation;
using GraphQL.Types;
using GraphQL.Validation;
using GraphQLParser.AST;

namespace DanVanKheo.Api.Auth;

/// <summary>
/// Enforces the policies fields declare (<see cref="AuthorizationFieldExtensions.RequirePolicy"/>)
/// before anything executes: every field of the document whose policy gate the caller fails
/// refuses the whole request, with UNAUTHENTICATED (HTTP 401) for anonymous callers and FORBIDDEN
/// (HTTP 403) otherwise. Fields of other operations in the same document are not checked;
/// fragments are checked wherever they appear (a refusal on an unused fragment is conservative).
/// Redacted fields (<see cref="DenialMode.Redact"/>) are left to <see cref="AuthorizationMiddleware"/>.
/// </summary>
public sealed class AuthorizationRule : ValidationRuleBase
{
    public override ValueTask<INodeVisitor?> GetPreNodeVisitorAsync(ValidationContext context)
    {
        if (context.UserContext is not RegistryUserContext user) return default;
        // RequestRules already refuses mutations over GET (405) and without a token (401).
        if (context.Operation?.Operation == OperationType.Mutation && (user.IsGetRequest || !user.Caller.IsAuthenticated)) return default;
        var inOtherOperation = false;
        return new ValueTask<INodeVisitor?>(new NodeVisitors(
            new MatchingNodeVisitor<GraphQLOperationDefinition>(
                (op, _) => inOtherOperation = !ReferenceEquals(op, context.Operation),
                (_, _) => inOtherOperation = false),
            new MatchingNodeVisitor<GraphQLField>((node, ctx) =>
            {
                if (inOtherOperation) return;
                if (ctx.TypeInfo.GetFieldDef() is not { } field) return;
                foreach (var name in field.DeclaredPolicies())
                {
                    var policy = Policies.Get(name);
                    if (policy.Mode != DenialMode.Refuse || policy.Gate(user.Caller)) continue;
                    var anonymous = !user.Caller.IsAuthenticated;
                    var code = anonymous ? ErrorCodes.Unauthenticated : ErrorCodes.Forbidden;
                    var message = anonymous
                        ? new Message(Messages.FieldNeedsToken, field.Name, policy.Description)
                        : new Message(Messages.MayNotUseField, field.Name, policy.Description);
                    user.RecordDenial(field.Name, ctx.TypeInfo.GetParentType()?.Name ?? "", name, message);
                    ctx.ReportError(new RegistryValidationError(code, ctx, message, node));
                    return;
                }
            })));
    }
}

/// <summary>
/// How a policy with a target check finds the target of a source object: an entry's unit
/// lineage, a round. Registered per feature in DI (<see cref="AuthorizationTargetServiceCollectionExtensions"/>)
/// and frozen into <see cref="AuthorizationMiddleware"/> at start.
/// </summary>
public sealed record AuthorizationTarget(string Policy, Type Source, Func<IResolveFieldContext, object, ValueTask<object?>> TargetOf);

public static class AuthorizationTargetServiceCollectionExtensions
{
    /// <summary>How <paramref name="policy"/> turns a <typeparamref name="TSource"/> into its target; null denies.</summary>
    public static IServiceCollection AddAuthorizationTarget<TSource>(this IServiceCollection services, string policy, Func<TSource, object?> target) =>
        services.AddAuthorizationTarget<TSource>(policy, (_, s) => new ValueTask<object?>(target(s)));

    /// <summary>As above, for targets that need the request (a data loader).</summary>
    public static IServiceCollection AddAuthorizationTarget<TSource>(this IServiceCollection services, string policy,
        Func<IResolveFieldContext, TSource, ValueTask<object?>> target)
    {
        _ = Policies.Get(policy);
        return services.AddSingleton(new AuthorizationTarget(policy, typeof(TSource), (c, s) => target(c, (TSource)s)));
    }
}

/// <summary>
/// Field middleware for the object-level half of read policies, from the field's declared metadata:
/// a <see cref="DenialMode.Redact"/> field resolves to null (its resolver does not run) unless the
/// policy's gate and target check pass for the field's source object; a
/// <see cref="DenialMode.FilterRows"/> field whose policy has a target check returns an empty list
/// when the gate fails and otherwise keeps only the rows whose target check passes.
/// </summary>
public sealed class AuthorizationMiddleware(IEnumerable<AuthorizationTarget> targets) : IFieldMiddleware
{
    private readonly FrozenDictionary<(string Policy, Type Source), Func<IResolveFieldContext, object, ValueTask<object?>>> _targets =
        targets.ToFrozenDictionary(t => (t.Policy, t.Source), t => t.TargetOf);

    private ValueTask<object?> TargetOf(string policy, IResolveFieldContext context, object source) =>
        _targets.TryGetValue((policy, source.GetType()), out var toTarget)
            ? toTarget(context, source)
            : throw new InvalidOperationException($"No authorization target is registered for policy {policy} on {source.GetType().Name}.");
    public ValueTask<object?> ResolveAsync(IResolveFieldContext context, FieldMiddlewareDelegate next)
    {
        var policies = context.FieldDefinition.GetPolicies();
        if (policies is null || policies.Count == 0) return next(context);
        List<Policy>? enforced = null;
        foreach (var name in policies)
        {
            var policy = Policies.Get(name);
            if (policy.Mode == DenialMode.Redact || (policy.Mode == DenialMode.FilterRows && policy.Target is not null))
                (enforced ??= []).Add(policy);
        }
        return enforced is null ? next(context) : EnforceAsync(context, next, enforced);
    }

    private async ValueTask<object?> EnforceAsync(IResolveFieldContext context, FieldMiddlewareDelegate next, List<Policy> policies)
    {
        var caller = context.Caller();
        var filters = new List<Policy>();
        foreach (var policy in policies)
        {
            if (policy.Mode == DenialMode.FilterRows)
            {
                if (!policy.Gate(caller)) return Array.Empty<object>();
                filters.Add(policy);
                continue;
            }
            if (!policy.Gate(caller)) return null;
            if (policy.Target is null || context.Source is null) continue;
            if (await TargetOf(policy.Name, context, context.Source).ConfigureAwait(false) is not { } target || !policy.Target(caller, target))
                return null;
        }
        var result = await next(context).ConfigureAwait(false);
        if (filters.Count == 0 || result is null) return result;
        if (result is IDataLoaderResult || result is not IEnumerable rows)
            throw new InvalidOperationException($"Field '{context.FieldDefinition.Name}' filters rows but its resolver did not return a list.");
        var kept = new List<object>();
        foreach (var row in rows)
        {
            if (row is null) continue;
            var visible = true;
            foreach (var policy in filters)
                if (await TargetOf(policy.Name, context, row).ConfigureAwait(false) is not { } target || !policy.Target!(caller, target))
                {
                    visible = false;
                    break;
                }
            if (visible) kept.Add(row);
        }
        return kept;
    }
}
