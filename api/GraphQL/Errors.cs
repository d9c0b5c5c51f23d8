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
        Field<NonNullGraphType<ErrorCodeGraphType>>("code")
            .Description("Why, as a stable machine-readable code: branch on it, never on the message.")
            .Resolve(c => c.Source.Code);
        Field(e => e.Message).Description("The explanation for people, in the language asked for with Accept-Language (Vietnamese by default, or English).");
        Field(e => e.Field, nullable: true).Description("The input field the error concerns, if any.");
    }
}

/// <summary>
/// Every error code (<see cref="ErrorCatalog"/>) as the schema's ErrorCode enum: payload errors
/// use it, and top-level errors' extensions.code takes the same names.
/// </summary>
public sealed class ErrorCodeGraphType : EnumerationGraphType
{
    public ErrorCodeGraphType()
    {
        Name = "ErrorCode";
        Description = "Every code a refusal or error carries: in a mutation payload's errors (UserError.code) and, by the same names, in top-level errors' extensions.code. docs/errors.md says which appear where.";
        foreach (var c in ErrorCatalog.All) Add(c.Code, c.Code, c.Description);
    }
}

/// <summary>Errors written by hand (transports outside GraphQL.NET's serializer), shaped as GraphQL errors.</summary>
public static class ErrorJson
{
    /// <summary><c>[{"message": …, "extensions": {"code": …}}]</c></summary>
    public static string List(string code, string message) =>
        System.Text.Json.JsonSerializer.Serialize(new[] { new { message, extensions = new { code } } }, Options);

    /// <summary><c>{"errors": [{"message": …, "extensions": {"code": …}}]}</c></summary>
    public static string Document(string code, string message) => "{\"errors\":" + List(code, message) + "}";

    private static readonly System.Text.Json.JsonSerializerOptions Options =
        new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}

/// <summary>A GraphQL error with a stable extensions.code and a message put in words when it is sent.</summary>
public sealed class RegistryError(string code, Message text) : ExecutionError(code + ": " + text), IRegistryCoded
{
    public string RegistryCode { get; } = code;
    public Message Text { get; } = text;
}

/// <summary>An error that carries its own extensions.code and its message's resource key.</summary>
public interface IRegistryCoded
{
    string RegistryCode { get; }
    Message Text { get; }
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
public sealed class RegistryErrorInfoProvider(bool exposeDetails, MessageText? text) : IErrorInfoProvider
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

    /// <summary>The extensions.code an error is reported with.</summary>
    public static string CodeOf(ExecutionError error) => new RegistryErrorInfoProvider(false, null).Classify(error).Code;

    /// <summary>
    /// The code and the message in the request's language. GraphQL.NET's own errors (syntax,
    /// validation, variables, cost) keep their English detail inside a localized sentence.
    /// </summary>
    private (string Code, string Message) Classify(ExecutionError error)
    {
        switch (error)
        {
            case IRegistryCoded r:
                return (r.RegistryCode, Say(t => t.Format(r.Text)));
            case SyntaxError:
                return Detailed(GraphQLErrorCodes.ParseFailed);
            case ComplexityError:
                return Detailed(GraphQLErrorCodes.TooComplex);
            case InvalidVariableError:
                return Detailed(ErrorCodes.InvalidInput);
            case ValidationError:
                return Detailed(GraphQLErrorCodes.ValidationFailed);
            case InvalidOperationNameError:
            case NoOperationError:
                return (GraphQLErrorCodes.BadRequest, Say(t => t.Format(new(Messages.BadRequestDetail, error.Message))));
        }
        if (error.InnerException is DomainException d) return (d.Code, Say(t => t.Format(d.Text)));
        if (error.InnerException is GraphQLSyntaxErrorException) return Detailed(GraphQLErrorCodes.ParseFailed);
        if (error.InnerException is GraphQLMaxDepthExceededException)
            return (GraphQLErrorCodes.ParseFailed, Say(t => t.Format(new(Messages.DocumentTooDeep))));
        if (error.InnerException is null && error is not UnhandledError)
            return (error.Code ?? GraphQLErrorCodes.BadRequest, Say(t => t.Format(new(Messages.BadRequestDetail, error.Message))));
        return (GraphQLErrorCodes.Internal, exposeDetails ? error.Message : Say(t => t.ForCode(GraphQLErrorCodes.Internal)));

        (string, string) Detailed(string code) => (code, Say(t => t.ForCode(code, error.Message)));
        string Say(Func<MessageText, string> words) => text is null ? error.Message : words(text);
    }
}
