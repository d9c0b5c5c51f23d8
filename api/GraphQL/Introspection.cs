using GraphQL;
using GraphQL.Types;
using GraphQL.Resolvers;
using GraphQL.Utilities;
using GraphQL.Validation.Complexity;

namespace DanVanKheo.Api.GraphQL;

/// <summary>
/// Makes the schema answer the introspection query that graphql-js, GraphiQL, Apollo and codegen
/// send with every flag on (isRepeatable, args/inputFields deprecation, specifiedByURL, isOneOf),
/// and prices introspection apart from data so the full query fits under the data limits.
/// </summary>
public static class Introspection
{
    public static void Configure(ISchema schema)
    {
        schema.Features.RepeatableDirectives = true;
        schema.Features.DeprecationOfInputValues = true;
        schema.RegisterVisitor(new IntrospectionGapsVisitor());
    }

    /// <summary>
    /// The full query costs ~2.4M units at the data price because every list is priced as a page;
    /// the meta fields and everything under them get <paramref name="impact"/> of that, which keeps a
    /// bound (a handful of aliased copies is still refused) while one copy passes. Depth is not
    /// discounted: the data MaxDepth bounds introspection too. (What GraphQL.NET's
    /// WithIntrospectionComplexityImpact does, which cannot run before the schema has its root types.)
    /// </summary>
    public static void PriceApart(ComplexityOptions complexity, double impact)
    {
        var data = complexity.DefaultComplexityImpactDelegate;
        complexity.DefaultComplexityImpactDelegate = context =>
            context.FieldDefinition.Name is "__schema" or "__type" or "__typename"
                ? new FieldComplexityResult(impact, impact)
                : data(context);
    }

    /// <summary>
    /// Two parts of today's introspection that GraphQL.NET 8 lacks. <c>__Type.specifiedByURL</c>:
    /// no scalar of ours has a specification URL, so it is always null. <c>__Directive.args(includeDeprecated:)</c>:
    /// no directive argument is deprecated, so every argument is listed either way.
    /// </summary>
    private sealed class IntrospectionGapsVisitor : BaseSchemaNodeVisitor
    {
        public override void VisitSchema(ISchema schema)
        {
            if (schema.AllTypes["__Directive"] is IObjectGraphType directive &&
                directive.GetField("args") is { } args && args.Arguments?.Find("includeDeprecated") is null)
            {
                args.Arguments ??= new QueryArguments();
                args.Arguments.Add(new QueryArgument(typeof(BooleanGraphType))
                {
                    Name = "includeDeprecated",
                    DefaultValue = false,
                    ResolvedType = schema.AllTypes["Boolean"],
                });
            }
            if (schema.AllTypes["__Type"] is not IObjectGraphType type || type.HasField("specifiedByURL")) return;
            type.AddField(new FieldType
            {
                Name = "specifiedByURL",
                Description = "`specifiedByURL` may return a String (in the form of a URL) for custom scalars, otherwise it will return `null`.",
                Type = typeof(StringGraphType),
                ResolvedType = schema.AllTypes["String"],
                Resolver = new FuncFieldResolver<object?>(_ => null),
            });
        }
    }
}
