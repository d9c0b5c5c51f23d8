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
/// caller (401), and are never run over GET (405).
/// </summary>
public sealed class RequestRules : ValidationRuleBase
{
    public const string Unauthenticated = "UNAUTHENTICATED";
    public const string MutationOverGet = "MUTATION_OVER_GET";

    public override ValueTask<INodeVisitor?> GetPreNodeVisitorAsync(ValidationContext context)
    {
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
        return default;
    }
}
