using GraphQL.Validation;
using GraphQLParser.AST;

namespace DanVanKheo.Api.GraphQL;

/// <summary>
/// Subscriptions run only over the live transports (which mark their executions with
/// <see cref="LiveKey"/>); over plain HTTP they are refused before anything executes.
/// </summary>
public sealed class SubscriptionTransportRule : ValidationRuleBase
{
    public const string LiveKey = "live";
    public const string Code = "SUBSCRIPTION_NEEDS_STREAM";

    public override ValueTask<INodeVisitor?> GetPreNodeVisitorAsync(ValidationContext context)
    {
        if (context.Operation?.Operation == OperationType.Subscription && context.UserContext is RegistryUserContext user && !user.ContainsKey(LiveKey))
            context.ReportError(new RegistryValidationError(Code, context,
                new(Code),
                context.Operation));
        return default;
    }
}
