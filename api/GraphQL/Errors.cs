using DanVanKheo.Api.Common;
using GraphQL;
using GraphQL.Execution;
using GraphQL.Types;
using GraphQL.Validation;
using GraphQL.Validation.Errors.Custom;
using GraphQLParser.Exceptions;

namespace DanVanKheo.Api.GraphQL;

public sealed class UserErrorGraphType : ObjectGraphType<UserError>
{
    public UserErrorGraphType()
    {
        Name = "UserError";
        Description = "Why a mutation was refused. A payload with errors means nothing was changed.";
        Field(e => e.Code).Description("A stable machine-readable code, e.g. NOT_FOUND, STALE_VERSION, INVALID_STATUS.");
        Field(e => e.Message).Description("A human-readable explanation.");
        Field(e => e.Field, nullable: true).Description("The input field the error concerns, if any.");
    }
}

/// <summary>A GraphQL error with a stable extensions.code.</summary>
public sealed class RegistryError(string code, string message) : ExecutionError(message), IRegistryCoded
{
    public string RegistryCode { get; } = code;
}

/// <summary>An error that carries its own extensions.code.</summary>
public interface IRegistryCoded
{
    string RegistryCode { get; }
}

public static class GraphQLErrorCodes
{
    public const string ParseFailed = "GRAPHQL_PARSE_FAILED";
    public const string ValidationFailed = "GRAPHQL_VALIDATION_FAILED";
    public const string TooComplex = "QUERY_TOO_COMPLEX";
    public const string Internal = "INTERNAL_SERVER_ERROR";
    public const string BadRequest = "BAD_REQUEST";
}

/// <summary>
/// Shapes every error as { message, locations, path, extensions: { code } }. Unexpected
/// exceptions keep their details only when <paramref name="exposeDetails"/> (Development).
/// </summary>
public sealed class RegistryErrorInfoProvider(bool exposeDetails) : IErrorInfoProvider
{
    public ErrorInfo GetInfo(ExecutionError error)
    {
        var (code, message) = Classify(error);
        var extensions = new Dictionary<string, object?> { ["code"] = code };
        if (error.InnerException is DomainException { Field: { } field }) extensions["field"] = field;
        if (exposeDetails && code == GraphQLErrorCodes.Internal && error.InnerException is { } inner)
            extensions["details"] = inner.ToString();
        return new ErrorInfo { Message = message, Extensions = extensions };
    }

    private (string Code, string Message) Classify(ExecutionError error)
    {
        switch (error)
        {
            case IRegistryCoded r:
                return (r.RegistryCode, error.Message);
            case SyntaxError:
                return (GraphQLErrorCodes.ParseFailed, error.Message);
            case ComplexityError:
                return (GraphQLErrorCodes.TooComplex, error.Message);
            case InvalidVariableError:
                return (ErrorCodes.InvalidInput, error.Message);
            case ValidationError:
                return (GraphQLErrorCodes.ValidationFailed, error.Message);
            case InvalidOperationNameError:
            case NoOperationError:
                return (GraphQLErrorCodes.BadRequest, error.Message);
        }
        if (error.InnerException is DomainException d) return (d.Code, d.Message);
        if (error.InnerException is GraphQLSyntaxErrorException) return (GraphQLErrorCodes.ParseFailed, error.Message);
        if (error.InnerException is null && error is not UnhandledError) return (error.Code ?? GraphQLErrorCodes.BadRequest, error.Message);
        return (GraphQLErrorCodes.Internal, exposeDetails ? error.Message : "An internal error occurred.");
    }
}
