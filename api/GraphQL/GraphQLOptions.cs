using System.ComponentModel.DataAnnotations;

namespace DanVanKheo.Api.GraphQL;

public sealed class GraphQLOptions
{
    public const string Section = "GraphQL";

    [Required, RegularExpression("^/[A-Za-z0-9/_-]*$", ErrorMessage = "GraphQL:Path must start with '/'.")]
    public string Path { get; set; } = "/graphql";

    /// <summary>Largest accepted request body (POST) or query string (GET), in bytes.</summary>
    [Range(1_024, 10_000_000)]
    public int MaxRequestBytes { get; set; } = 100_000;

    [Range(2, 100)]
    public int MaxDepth { get; set; } = 15;

    /// <summary>GraphQL.NET complexity units: about one per field, multiplied by list sizes.</summary>
    [Range(10, 10_000_000)]
    public int MaxComplexity { get; set; } = 50_000;

    /// <summary>
    /// Share of the data price charged for introspection fields (__schema, __type, __typename and
    /// everything under them), so tools' introspection query fits while a flood of it does not.
    /// </summary>
    [Range(0.0001, 1.0)]
    public double IntrospectionComplexityImpact { get; set; } = 0.01;

    [Range(16, 100_000)]
    public int DocumentCacheSize { get; set; } = 1_000;

    /// <summary>GraphiQL at <see cref="Path"/> for browsers; unset means on in Development only.</summary>
    public bool? Ide { get; set; }

    /// <summary>
    /// Run only the trusted documents of schema/operations/ (by id, or by identical text); unset
    /// means on in Production only.
    /// </summary>
    public bool? TrustedDocumentsOnly { get; set; }
}
