using DanVanKheo.Api.Audit;
using DanVanKheo.Api.Common;
using GraphQL;
using GraphQL.Instrumentation;
using GraphQL.Types;

namespace DanVanKheo.Api.GraphQL;

/// <summary>A refusal returned inside a mutation payload: the mutation changed nothing.</summary>
public sealed record UserError(string Code, string Message, string? Field)
{
    public static UserError From(DomainException e, MessageText text) => new(e.Code, text.Format(e.Text), e.Field);
}

/// <summary>What every mutation answers: the changed object(s), or the refusals (and then nothing changed).</summary>
public sealed record MutationPayload(object? Value, IReadOnlyList<UserError> Errors)
{
    public static MutationPayload Refused(DomainException e, MessageText text) => new(null, [UserError.From(e, text)]);
}

/// <summary>
/// The one payload shape: a field named after what changed (<paramref name="field"/>) and
/// <c>errors</c>. A list payload answers an empty list when refused.
/// </summary>
public abstract class PayloadGraphType<TValueGraph> : ObjectGraphType<MutationPayload> where TValueGraph : IGraphType
{
    protected PayloadGraphType(string name, string description, string field, string fieldDescription, bool list = false)
    {
        Name = name;
        Description = description;
        Field<TValueGraph>(field).Description(fieldDescription)
            .Resolve(c => list ? c.Source.Value ?? Array.Empty<object>() : c.Source.Value);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<UserErrorGraphType>>>>("errors")
            .Description("Why the mutation was refused; empty on success.").Resolve(c => c.Source.Errors);
    }
}

/// <summary>
/// Runs every root mutation field (applied to each field of the Mutation type, not to every
/// field of every query): refuses one not declared <c>.Audited()</c>, wraps the use
/// case's result in a <see cref="MutationPayload"/>, and turns a <see cref="DomainException"/>
/// into the payload's <c>errors</c> in the caller's language — the one place refusals are mapped.
/// Everything a user can correct goes to the payload, FORBIDDEN for a target the caller may not
/// act on included; only UNAUTHENTICATED stays a top-level error (docs/errors.md, "Which channel").
/// </summary>
public sealed class MutationMiddleware(ILogger<MutationMiddleware> logger, MessageText text, RegistryMetrics metrics) : IFieldMiddleware
{
    public async ValueTask<object?> ResolveAsync(IResolveFieldContext context, FieldMiddlewareDelegate next)
    {
        var field = context.FieldDefinition;
        if (!field.IsAudited())
            throw new InvalidOperationException($"Mutation '{field.Name}' is not declared .Audited(): it cannot run.");
        var (result, refusal) = await Refusals.TryAsync(async () => await next(context));
        if (refusal is null)
        {
            var audit = context.RequestServices!.GetRequiredService<AuditContext>();
            if (audit.Current?.Appended != 1)
                logger.LogError("Mutation {Mutation} succeeded with {Count} audit events instead of one (request {RequestId}).",
                    field.Name, audit.Current?.Appended ?? 0, context.Registry().RequestId);
            return new MutationPayload(result, []);
        }
        if (refusal.Code == ErrorCodes.Unauthenticated) Refusals.Rethrow(refusal);
        metrics.Refused(field.Name, refusal.Code);
        return MutationPayload.Refused(refusal, text);
    }
}
