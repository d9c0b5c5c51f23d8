using DanVanKheo.Api.Common;
using DanVanKheo.Api.GraphQL;
using GraphQL;
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
                        ? $"'{field.Name}' needs a bearer token ({policy.Description})"
                        : $"You may not use '{field.Name}': {policy.Description}";
                    user.RecordDenial(field.Name, name, message);
                    ctx.ReportError(new RegistryValidationError(code, ctx, message, node));
                    return;
                }
            })));
    }
}

/// <summary>
/// Field middleware for the object-level half of <see cref="DenialMode.Redact"/> policies: the
/// field resolves to null unless the policy's target check passes for the field's source object.
/// </summary>
public sealed class AuthorizationMiddleware : IFieldMiddleware
{
    /// <summary>How a redacted field's source object is turned into the policy's target (e.g. an entry into its unit lineage).</summary>
    private static readonly Dictionary<Type, Func<object, object>> Targets = [];

    public static void RegisterTarget<TSource>(Func<TSource, object> target)
    {
        lock (Targets) Targets[typeof(TSource)] = s => target((TSource)s);
    }

    public ValueTask<object?> ResolveAsync(IResolveFieldContext context, FieldMiddlewareDelegate next)
    {
        var policies = context.FieldDefinition.GetPolicies();
        if (policies is null || policies.Count == 0) return next(context);
        foreach (var name in policies)
        {
            var policy = Policies.Get(name);
            if (policy.Mode != DenialMode.Redact) continue;
            var caller = context.Caller();
            if (!policy.Gate(caller)) return new ValueTask<object?>((object?)null);
            if (policy.Target is null || context.Source is null) continue;
            Func<object, object>? toTarget;
            lock (Targets) Targets.TryGetValue(context.Source.GetType(), out toTarget);
            if (toTarget is null)
                throw new InvalidOperationException($"No authorization target is registered for {context.Source.GetType().Name}.");
            if (!policy.Target(caller, toTarget(context.Source))) return new ValueTask<object?>((object?)null);
        }
        return next(context);
    }
}
