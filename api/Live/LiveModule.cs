using DanVanKheo.Api.Storage;
using DanVanKheo.Api.Storage.LiteDb;
using DanVanKheo.Api.Storage.Mongo;
using Microsoft.Extensions.Options;

namespace DanVanKheo.Api.Live;

public static class LiveModule
{
    /// <summary>Live updates: the audit feed of the configured store, the one fan-out reader, the subscription views and the transports' limits.</summary>
    public static IServiceCollection AddLiveUpdates(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<LiveOptions>()
            .Bind(configuration.GetSection(LiveOptions.Section))
            .ValidateDataAnnotations()
            .Validate(o => o.KeepAlive < o.IdleTimeout, "Subscriptions:KeepAlive must be shorter than Subscriptions:IdleTimeout.")
            .ValidateOnStart();
        services.AddSingleton<LiteDbAuditFeed>();
        services.AddSingleton<MongoAuditFeed>();
        services.AddSingleton<IAuditFeed>(sp => sp.GetRequiredService<IOptions<StorageOptions>>().Value.UseMongo
            ? sp.GetRequiredService<MongoAuditFeed>()
            : sp.GetRequiredService<LiteDbAuditFeed>());
        services.AddSingleton<LiveFeed>();
        services.AddHostedService(sp => sp.GetRequiredService<LiveFeed>());
        services.AddSingleton<LiveEvents>();
        services.AddSingleton<LiveConnectionLimiter>();
        services.AddSingleton<GraphQL.LiveOperations>();
        services.AddSingleton<GraphQL.LiveGroups>();
        services.AddSingleton<GraphQL.GraphQLWebSocketTransport>();
        services.AddSingleton<GraphQL.GraphQLSseTransport>();
        return services;
    }
}
