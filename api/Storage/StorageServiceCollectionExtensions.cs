using System.Collections.Immutable;
using DanVanKheo.Api.Councils;
using DanVanKheo.Api.Audit;
using DanVanKheo.Api.Entries;
using DanVanKheo.Api.Rounds;
using DanVanKheo.Api.Fields;
using DanVanKheo.Api.Replications;
using DanVanKheo.Api.Reports;
using DanVanKheo.Api.Storage.LiteDb;
using DanVanKheo.Api.Storage.Mongo;
using DanVanKheo.Api.Units;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace DanVanKheo.Api.Storage;

public static class StorageServiceCollectionExtensions
{
    /// <summary>Every store port AddStorage registers (what the store spans wrap).</summary>
    public static ImmutableArray<Type> Ports { get; } =
    [
        typeof(IUnitStore), typeof(IFieldStore), typeof(IEntryStore), typeof(IReplicationStore), typeof(IReportStore),
        typeof(ICouncilStore), typeof(IRoundStore), typeof(IAuditStore),
    ];

    /// <summary>
    /// Registers the store ports: MongoDB when a connection string is configured
    /// (ConnectionStrings:Mongo or MONGODB_URI), otherwise the embedded LiteDB file.
    /// </summary>
    public static IServiceCollection AddStorage(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StorageOptions>()
            .Bind(configuration.GetSection(StorageOptions.Section))
            .PostConfigure(o =>
            {
                o.MongoConnectionString ??= configuration.GetConnectionString("Mongo");
                if (string.IsNullOrWhiteSpace(o.MongoConnectionString))
                    o.MongoConnectionString = configuration["MONGODB_URI"];
            })
            .ValidateDataAnnotations()
            .Validate(o => !o.UseMongo || o.MongoConnectionString!.StartsWith("mongodb", StringComparison.Ordinal),
                "ConnectionStrings:Mongo / MONGODB_URI must be a mongodb:// or mongodb+srv:// URI.")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);

        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<StorageOptions>>().Value;
            return new LiteDbContext(options.LiteDbPath, sp.GetService<ILoggerFactory>()?.CreateLogger<LiteDbContext>());
        });
        services.AddSingleton<MongoContext>();
        services.AddSingleton<LiteDbAuditStore>();
        services.AddSingleton(sp => sp.GetRequiredService<MongoContext>().Audit);

        // Each port resolves on first use, so only the chosen store's context is ever created or opened.
        services.AddStore<IUnitStore, MongoUnitStore, LiteDbUnitStore>();
        services.AddStore<IFieldStore, MongoFieldStore, LiteDbFieldStore>();
        services.AddStore<IEntryStore, MongoEntryStore, LiteDbEntryStore>();
        services.AddStore<IReplicationStore, MongoReplicationStore, LiteDbReplicationStore>();
        services.AddStore<IReportStore, MongoReportStore, LiteDbReportStore>();
        services.AddStore<ICouncilStore, MongoCouncilStore, LiteDbCouncilStore>();
        services.AddStore<IRoundStore, MongoRoundStore, LiteDbRoundStore>();
        services.AddSingleton<IAuditStore>(sp => Pick<IAuditStore, MongoAuditStore, LiteDbAuditStore>(sp));
        // Ballot events stay sealed until their round closes; anything else sealed stays sealed.
        services.AddSingleton<IAuditSeal, RoundAuditSeal>();
        services.AddHostedService<StorageInitializer>();
        return services;
    }

    /// <summary>Registers both adapters of a port; the port resolves to the configured store's.</summary>
    public static IServiceCollection AddStore<TPort, TMongo, TLite>(this IServiceCollection services)
        where TPort : class where TMongo : class, TPort where TLite : class, TPort
    {
        services.AddSingleton<TMongo>();
        services.AddSingleton<TLite>();
        services.AddSingleton<TPort>(sp => Pick<TPort, TMongo, TLite>(sp));
        return services;
    }

    private static TPort Pick<TPort, TMongo, TLite>(IServiceProvider sp)
        where TPort : class where TMongo : TPort where TLite : TPort =>
        sp.GetRequiredService<IOptions<StorageOptions>>().Value.UseMongo
            ? sp.GetRequiredService<TMongo>()
            : sp.GetRequiredService<TLite>();
}
