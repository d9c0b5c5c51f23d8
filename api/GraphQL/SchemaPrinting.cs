using GraphQL;
using GraphQL.Types;
using GraphQL.Utilities;

namespace DanVanKheo.Api.GraphQL;

public static class SchemaPrinting
{
    /// <summary>The schema as SDL with descriptions, stable across runs (the reviewed contract file).</summary>
    public static string Print(ISchema schema)
    {
        schema.Initialize();
        var sdl = schema.Print(new PrintOptions { IncludeDescriptions = true, IncludeDeprecationReasons = true, StringComparison = StringComparison.Ordinal });
        return sdl.ReplaceLineEndings("\n").TrimEnd() + "\n";
    }
}
