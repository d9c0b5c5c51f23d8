using GraphQL;
using GraphQL.Builders;
using GraphQL.Types;

namespace DanVanKheo.Api.Audit;

public static class AuditFieldExtensions
{
    public const string AuditedKey = "DanVanKheo.Audited";

    /// <summary>
    /// Declares that the mutation writes one audit event with its change (its use case opens the
    /// <see cref="AuditContext"/>). A mutation field without it is refused outright by
    /// <see cref="GraphQL.MutationMiddleware"/>: nothing may change the registry unaudited.
    /// </summary>
    public static FieldBuilder<TSource, TReturn> Audited<TSource, TReturn>(this FieldBuilder<TSource, TReturn> field)
    {
        field.FieldType.WithMetadata(AuditedKey, true);
        return field;
    }

    public static bool IsAudited(this IMetadataReader field) => field.GetMetadata(AuditedKey, false);
}
