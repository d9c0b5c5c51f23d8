using System.Text.Encodings.Web;
using DanVanKheo.Api.Audit;
using DanVanKheo.Api.Auth;
using DanVanKheo.Api.Common;
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
        services.AddScoped<RequestLoaders>();
        services.AddGraphQL(b => b
            .AddSchema<RegistrySchema>()
            .ConfigureSchema(Introspection.Configure)
            .AddGraphTypes(typeof(RegistrySchema).Assembly)
            // Vietnamese (and quotes, apostrophes) leave as plain UTF-8, not \uXXXX. The relaxed encoder
            // is safe here: responses are JSON bodies, never inlined into HTML.
            .AddSystemTextJson(o => o.Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping)
            .AddErrorInfoProvider(sp => new RegistryErrorInfoProvider(environment.IsDevelopment(), sp.GetRequiredService<MessageText>()))
            .AddValidationRule<DocumentBounds>()
            .AddValidationRule<RequestRules>()
            .AddValidationRule<MutationRateLimit>()
            .AddValidationRule<AuthorizationRule>()
            .AddValidationRule<SubscriptionTransportRule>()
            .UseMiddleware<GlobalIdArgumentMiddleware>()
            .UseMiddleware<AuthorizationMiddleware>()
            // Not installed on every field: RegistryMutation applies it to the mutation fields only.
            .UseMiddleware<MutationMiddleware>(install: false)
            .AddComplexityAnalyzer((complexity, sp) =>
            {
                var o = sp.GetRequiredService<IOptions<GraphQLOptions>>().Value;
                complexity.MaxDepth = o.MaxDepth;
                complexity.MaxComplexity = o.MaxComplexity;
                Introspection.PriceApart(complexity, o.IntrospectionComplexityImpact);
            })
            .ConfigureExecutionOptions(o => o.ThrowOnUnhandledException = false)
            .AddExecutionStrategySelector<DefaultExecutionStrategySelector>());
        services.AddSingleton(_ => TrustedDocuments.FromAssembly());
        services.AddSingleton<global::GraphQL.DI.IConfigureExecution, TrustedDocumentHandler>();
        services.AddSingleton<FrontEnd>();
        services.AddSingleton<DocumentCache>();
        services.AddSingleton<global::GraphQL.DI.IConfigureExecution>(sp => sp.GetRequiredService<DocumentCache>());
        return services;
    }

    public static IEndpointRouteBuilder MapRegistryGraphQL(this IEndpointRouteBuilder endpoints)
    {
        var path = endpoints.ServiceProvider.GetRequiredService<IOptions<GraphQLOptions>>().Value.Path;
        endpoints.Map(path, (HttpContext http, GraphQLHttpEndpoint endpoint, FrontEnd frontEnd, GraphQLWebSocketTransport webSocket, GraphQLSseTransport sse) =>
            // Live transports (subscriptions) answer upgrades and event-stream requests; then the IDE/SDL, then plain HTTP.
            http.WebSockets.IsWebSocketRequest ? webSocket.HandleAsync(http)
            : GraphQLSseTransport.Accepts(http.Request) ? sse.HandleAsync(http)
            : frontEnd.TryHandle(http) ?? endpoint.HandleAsync(http));
        return endpoints;
    }
}
