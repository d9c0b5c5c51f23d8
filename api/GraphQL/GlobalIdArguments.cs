using System.Collections;
using DanVanKheo.Api.Common;
using GraphQL;
using GraphQL.Instrumentation;
using GraphQL.Types;
using GraphQLParser.AST;

namespace DanVanKheo.Api.GraphQL;

/// <summary>
/// Query arguments of type ID must be well-formed global ids: "!!!" or "Entry:-1" is a client
/// bug and gets BAD_USER_INPUT naming the argument, while a well-formed id of nothing still
/// answers null. Mutations keep reporting bad ids as UserErrors in their payloads.
/// </summary>
public sealed class GlobalIdArgumentMiddleware : IFieldMiddleware
{
    public ValueTask<object?> ResolveAsync(IResolveFieldContext context, FieldMiddlewareDelegate next)
    {
        if (context.FieldDefinition.Arguments is { Count: > 0 } arguments &&
            context.Operation.Operation != OperationType.Mutation && context.Arguments is { } values)
        {
            foreach (var argument in arguments)
            {
                if (!IsIdType(argument.ResolvedType)) continue;
                if (!values.TryGetValue(argument.Name, out var value) || value.Value is null) continue;
                if (value.Value is IEnumerable list and not string)
                {
                    foreach (var item in list)
                        if (item is not null && !GlobalId.IsWellFormed(item.ToString()))
                            throw Malformed(argument.Name);
                }
                else if (!GlobalId.IsWellFormed(value.Value.ToString()))
                    throw Malformed(argument.Name);
            }
        }
        return next(context);
    }

    private static DomainException Malformed(string argument) =>
        new(ErrorCodes.InvalidInput, new(Messages.MalformedGlobalId, argument), argument);

    private static bool IsIdType(IGraphType? type) => type switch
    {
        NonNullGraphType n => IsIdType(n.ResolvedType),
        ListGraphType l => IsIdType(l.ResolvedType),
        IdGraphType => true,
        _ => false,
    };
}
