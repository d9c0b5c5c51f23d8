using GraphQL.Validation;
using GraphQLParser.AST;

namespace DanVanKheo.Api.GraphQL;

/// <summary>A validation error with a registry error code (so the transport can pick the HTTP status).</summary>
public sealed class RegistryValidationError(string code, ValidationContext context, Common.Message text, ASTNode node)
    : ValidationError(context.Document.Source, code, text.ToString(), node), IRegistryCoded
{
    public string RegistryCode { get; } = code;
    public Common.Message Text { get; } = text;
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
                new(Common.Messages.LoneSurrogateLiteral), node));
    });

    public override ValueTask<INodeVisitor?> GetPreNodeVisitorAsync(ValidationContext context)
    {
        foreach (var definition in context.Document.Definitions)
        {
            if (definition is not GraphQLExecutableDefinition)
                context.ReportError(new RegistryValidationError(GraphQLErrorCodes.ValidationFailed, context,
                    new(Common.Messages.TypeSystemInRequest), definition));
        }
        var operation = context.Operation;
        if (operation?.Operation == OperationType.Mutation && context.UserContext is RegistryUserContext user)
        {
            if (user.IsGetRequest)
                context.ReportError(new RegistryValidationError(MutationOverGet, context,
                    new(MutationOverGet), operation));
            else if (!user.Caller.IsAuthenticated)
            {
                // One security event per refused field, named with its parent type (docs/audit.md).
                foreach (var field in operation.SelectionSet.Selections.OfType<GraphQLField>())
                    user.RecordDenial(field.Name.StringValue, "Mutation", "Authenticated", new(Common.Messages.MutationNeedsToken));
                context.ReportError(new RegistryValidationError(Unauthenticated, context,
                    new(Common.Messages.MutationNeedsToken), operation));
            }
        }
        return new ValueTask<INodeVisitor?>(StringLiterals);
    }
}
