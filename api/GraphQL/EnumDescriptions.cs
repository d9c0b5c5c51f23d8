using GraphQL.Types;

namespace DanVanKheo.Api.GraphQL;

public static class EnumDescriptions
{
    /// <summary>Describes enum values by their schema name; a name the enum lacks fails when the schema is built.</summary>
    public static void DescribeValues(this EnumerationGraphType type, params (string Name, string Description)[] values)
    {
        foreach (var (name, description) in values)
            (type.Values.FindByName(name) ?? throw new InvalidOperationException($"{type.Name} has no value {name}.")).Description = description;
    }
}
