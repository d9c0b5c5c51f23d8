using DanVanKheo.Api.Hosting;
using GraphQL.Validation;
using GraphQLParser.AST;

namespace DanVanKheo.Api.GraphQL;

/// <summary>A refusal because a budget is spent; the transport answers 429 with Retry-After.</summary>
public sealed class RateLimitedError(ValidationContext context, Common.Message text, ASTNode node, TimeSpan retryAfter)
    : ValidationError(context.Document.Source, RateLimitRegistration.RateLimited, text.ToString(), node), IRegistryCoded
{
    public string RegistryCode => RateLimitRegistration.RateLimited;
    public Common.Message Text { get; } = text;
    public TimeSpan RetryAfter { get; } = retryAfter;
}

/// <summary>
/// Signed-in callers have a tighter budget for mutations than for requests (writes cost more and
/// grow the store). Anonymous mutations are refused by <see cref="RequestRules"/> anyway.
/// </summary>
public sealed class MutationRateLimit(RegistryRateLimiters limiters) : ValidationRuleBase
{
    public override ValueTask<INodeVisitor?> GetPreNodeVisitorAsync(ValidationContext context)
    {
        if (context.Operation is { Operation: OperationType.Mutation } operation &&
            context.UserContext is RegistryUserContext { Caller: { IsAuthenticated: true, Id: { } subject } } &&
            limiters.TryMutation(subject) is { } retryAfter)
            context.ReportError(new RateLimitedError(context, new(Common.Messages.TooManyMutations), operation, retryAfter));
        return default;
    }
}
