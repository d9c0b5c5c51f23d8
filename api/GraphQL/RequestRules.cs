using GraphQL.Validation;
using GraphQLParser.AST;

namespace DanVanKheo.Api.GraphQL;

/// <summary>A validation error with a registry error code (so the transport can pick the HTTP status).</summary>
public sealed class RegistryValidationError(string code, ValidationContext context, string message, ASTNode node)
    : ValidationError(context.Document.Source, code, message, node), IRegistryCoded
{
    public string RegistryCode { get; } = code;
}

/// <summary>
/// Request-level rules checked before anything executes: mutations need an authenticated
/// caller (401), and are never run over GET (405); documents hold only operations and
/// fragments, never subscriptions (the registry has none) nor type definitions; string
/// literals are valid Unicode.
/// </summary>
public sealed class RequestRules : ValidationRuleBase
{
    public const string Unauthenticated = "UNAUTHENTICATED";
    public const string MutationOverGet = "MUTATION_OVER_GET";

    private static readonly MatchingNodeVisitor<GraphQLStringValue> StringLiterals = new((node, context) =>
    {
        if (RequestText.HasLoneSurrogate(node.Value.Span))
            context.ReportError(new RegistryValidationError(DanVanKheo.Api.Common.ErrorCodes.InvalidInput, context,
                "A string literal is not valid Unicode (it has a lone surrogate escape).", node));
    });

    public override ValueTask<INodeVisitor?> GetPreNodeVisitorAsync(ValidationContext context)
    {
        foreach (var definition in context.Document.Definitions)
        {
            if (definition is not GraphQLExecutableDefinition)
                context.ReportError(new RegistryValidationError(GraphQLErrorCodes.ValidationFailed, context,
                    "A request document may hold only operations and fragments, not type system definitions.", definition));
        }
        var operation = context.Operation;
        if (operation?.Operation == OperationType.Mutation && context.UserContext is RegistryUserContext user)
        {
            if (user.IsGetRequest)
                context.ReportError(new RegistryValidationError(MutationOverGet, context,
                    "Mutations are not allowed over GET; use POST.", operation));
            else if (!user.Caller.IsAuthenticated)
            {
                user.RecordDenial(operation.Name?.StringValue ?? "mutation", "Authenticated", "Mutations require a bearer token.");
                context.ReportError(new RegistryValidationError(Unauthenticated, context,
                    "Mutations require a bearer token.", operation));
            }
        }
        return new ValueTask<INodeVisitor?>(StringLiterals);
    }
}
