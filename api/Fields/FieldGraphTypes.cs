using DanVanKheo.Api.Common;
using DanVanKheo.Api.GraphQL;
using GraphQL;
using GraphQL.DataLoader;
using GraphQL.MicrosoftDI;
using GraphQL.Types;

namespace DanVanKheo.Api.Fields;

public sealed class FieldGraphType : ObjectGraphType<Field>
{
    public const string TypeName = global::DanVanKheo.Api.Fields.Field.TypeName;

    public FieldGraphType()
    {
        Name = TypeName;
        Description = "A field of work (lĩnh vực). The standard four exist everywhere; a province may add its own.";
        Interface<NodeInterface>();
        IsTypeOf = o => o is Field;
        Field<NonNullGraphType<IdGraphType>>("id").Description("The global id, accepted by node(id:) and by mutation inputs.").Resolve(c => GlobalId.Encode(TypeName, c.Source.Id));
        Field(f => f.Code).Description("Stable code, e.g. VAN_HOA_XA_HOI.");
        Field(f => f.Name).Description("Display name in Vietnamese.");
        Field(f => f.IsStandard).Description("One of the four standard fields.");
        Field(f => f.SortOrder).Description("The field's position in display order.");
    }
}

public static class FieldQueries
{
    public static void Register(ObjectGraphType query)
    {
        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<FieldGraphType>>>>("fields")
            .Description("All fields of work, in display order.")
            .Resolve().WithService<IFieldStore>()
            .ResolveAsync(async (c, store) => await store.ListAsync(c.CancellationToken));
    }

    public static IDataLoaderResult<Field?> LoadField(this IResolveFieldContext context, string id) => context.Loaders().Fields.Load(id);
}
