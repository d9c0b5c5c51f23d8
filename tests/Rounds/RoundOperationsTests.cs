using DanVanKheo.Api.GraphQL;
using DanVanKheo.Tests.Infrastructure;
using GraphQL.Validation;
using GraphQLParser.AST;
using Microsoft.Extensions.DependencyInjection;

namespace DanVanKheo.Tests.Rounds;

/// <summary>The example operations in schema/operations are valid against the schema.</summary>
public sealed class RoundOperationsTests(RegistryApiFactory factory) : IClassFixture<RegistryApiFactory>
{
    public static TheoryData<string> Operations() =>
        [.. Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "schema", "operations"), "*.graphql").Select(f => Path.GetFileName(f)!).Order()];

    [Theory]
    [MemberData(nameof(Operations))]
    public async Task Example_operation_is_a_named_valid_operation(string file)
    {
        var text = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "schema", "operations", file));
        var document = GraphQLParser.Parser.Parse(text);
        var operation = Assert.Single(document.Definitions.OfType<GraphQLOperationDefinition>());
        Assert.Equal(Path.GetFileNameWithoutExtension(file), operation.Name?.StringValue);

        using var scope = factory.Services.CreateScope();
        var schema = scope.ServiceProvider.GetRequiredService<RegistrySchema>();
        schema.Initialize();
        var result = await new DocumentValidator().ValidateAsync(new ValidationOptions
        {
            Schema = schema,
            Document = document,
            Operation = operation,
            Rules = DocumentValidator.CoreRules,
            Variables = global::GraphQL.Inputs.Empty,
            RequestServices = scope.ServiceProvider,
            UserContext = new RegistryUserContext { Caller = DanVanKheo.Api.Auth.Caller.Anonymous, RequestId = "ops" },
        });
        var errors = result.Errors.Where(e => e is not InvalidVariableError).Select(e => e.Message).ToList();
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }
}
