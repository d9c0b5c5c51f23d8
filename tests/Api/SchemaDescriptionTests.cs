using DanVanKheo.Api.GraphQL;
using DanVanKheo.Tests.Infrastructure;
using GraphQLParser.AST;
using Microsoft.Extensions.DependencyInjection;

namespace DanVanKheo.Tests.Api;

/// <summary>
/// Every type, field, argument, input field and enum value of the printed schema carries a real
/// description: a sentence of at least three words ("The choice." is not one). Types added later
/// are held to the same rule.
/// </summary>
public sealed class SchemaDescriptionTests(RegistryApiFactory factory) : IClassFixture<RegistryApiFactory>
{
    private const int MinimumWords = 3;

    [Fact]
    public void Every_schema_element_has_a_description_of_at_least_three_words()
    {
        var printed = SchemaPrinting.Print(factory.Services.GetRequiredService<RegistrySchema>());
        var problems = Problems(printed);
        Assert.True(problems.Count == 0, $"{problems.Count} schema elements lack a real description:\n" + string.Join("\n", problems));
    }

    [Fact]
    public void The_check_catches_a_missing_and_a_two_word_description()
    {
        const string sdl = """
            "A unit of the registry tree."
            type Unit {
              "The choice."
              code: String!
              "The unit's official name."
              name(
                "The language to print the name in."
                language: String): String!
            }

            "Kinds of organisation in the registry."
            enum UnitKind {
              "A province of Vietnam."
              PROVINCE
              COMMUNE
            }
            """;
        Assert.Equal(["Unit.code: \"The choice.\"", "UnitKind.COMMUNE: missing"], Problems(sdl));
    }

    public static List<string> Problems(string sdl)
    {
        var problems = new List<string>();
        void Check(string path, GraphQLDescription? description)
        {
            var text = description?.Value.ToString().Trim() ?? "";
            if (text.Length == 0) problems.Add($"{path}: missing");
            else if (text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length < MinimumWords) problems.Add($"{path}: \"{text}\"");
        }
        void Arguments(string path, GraphQLArgumentsDefinition? arguments)
        {
            foreach (var a in arguments?.Items ?? []) Check($"{path}({a.Name.StringValue})", a.Description);
        }

        foreach (var definition in GraphQLParser.Parser.Parse(sdl).Definitions)
        {
            switch (definition)
            {
                case GraphQLObjectTypeDefinition o:
                    Check(o.Name.StringValue, o.Description);
                    foreach (var f in o.Fields?.Items ?? []) { Check($"{o.Name.StringValue}.{f.Name.StringValue}", f.Description); Arguments($"{o.Name.StringValue}.{f.Name.StringValue}", f.Arguments); }
                    break;
                case GraphQLInterfaceTypeDefinition i:
                    Check(i.Name.StringValue, i.Description);
                    foreach (var f in i.Fields?.Items ?? []) { Check($"{i.Name.StringValue}.{f.Name.StringValue}", f.Description); Arguments($"{i.Name.StringValue}.{f.Name.StringValue}", f.Arguments); }
                    break;
                case GraphQLInputObjectTypeDefinition input:
                    Check(input.Name.StringValue, input.Description);
                    foreach (var f in input.Fields?.Items ?? []) Check($"{input.Name.StringValue}.{f.Name.StringValue}", f.Description);
                    break;
                case GraphQLEnumTypeDefinition e:
                    Check(e.Name.StringValue, e.Description);
                    foreach (var v in e.Values?.Items ?? []) Check($"{e.Name.StringValue}.{v.EnumValue.Name.StringValue}", v.Description);
                    break;
                case GraphQLUnionTypeDefinition u:
                    Check(u.Name.StringValue, u.Description);
                    break;
                case GraphQLScalarTypeDefinition s:
                    Check(s.Name.StringValue, s.Description);
                    break;
                case GraphQLDirectiveDefinition d:
                    Check("@" + d.Name.StringValue, d.Description);
                    Arguments("@" + d.Name.StringValue, d.Arguments);
                    break;
            }
        }
        return problems;
    }
}
