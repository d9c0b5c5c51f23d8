using System.Text.Encodings.Web;
using System.Text.Unicode;
using DanVanKheo.Api.Audit;
using DanVanKheo.Api.Auth;
using GraphQL;
using GraphQL.Execution;
using Microsoft.Extensions.Options;

namespace DanVanKheo.Api.GraphQL;

public static class GraphQLServiceCollectionExtensions
{
    public static IServiceCollection AddRegistryGraphQL(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        services.AddOptions<GraphQLOptions>()
            .Bind(configuration.GetSection(GraphQLOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton(RegistrySchema.NodeResolvers());
        services.AddSingleton<GraphQLHttpEndpoint>();
        services.AddGraphQL(b => b
            .AddSchema<RegistrySchema>()
            .AddGraphTypes(typeof(RegistrySchema).Assembly)
            // Vietnamese leaves as UTF-8, not \uXXXX; HTML-sensitive characters are still escaped.
            .AddSystemTextJson(o => o.Encoder = JavaScriptEncoder.Create(UnicodeRanges.All))
            .AddErrorInfoProvider(_ => new RegistryErrorInfoProvider(environment.IsDevelopment()))
            .AddValidationRule<RequestRules>()
            .AddValidationRule<AuthorizationRule>()
            .UseMiddleware<AuthorizationMiddleware>()
            .UseMiddleware<AuditMiddleware>()
            .AddComplexityAnalyzer((complexity, sp) =>
            {
                var o = sp.GetRequiredService<IOptions<GraphQLOptions>>().Value;
                complexity.MaxDepth = o.MaxDepth;
                complexity.MaxComplexity = o.MaxComplexity;
            })
            .ConfigureExecutionOptions(o => o.ThrowOnUnhandledException = false)
            .AddExecutionStrategySelector<DefaultExecutionStrategySelector>());
        services.AddSingleton<DocumentCache>();
        services.AddSingleton<global::GraphQL.DI.IConfigureExecution>(sp => sp.GetRequiredService<DocumentCache>());
        return services;
    }

    public static IEndpointRouteBuilder MapRegistryGraphQL(this IEndpointRouteBuilder endpoints)
    {
        var path = endpoints.ServiceProvider.GetRequiredService<IOptions<GraphQLOptions>>().Value.Path;
        endpoints.Map(path, (HttpContext http, GraphQLHttpEndpoint endpoint) => endpoint.HandleAsync(http));
        return endpoints;
    }
}
