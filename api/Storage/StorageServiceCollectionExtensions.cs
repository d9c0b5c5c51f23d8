using DanVanKheo.Api.Councils;
using DanVanKheo.Api.Entries;
using DanVanKheo.Api.Rounds;
using DanVanKheo.Api.Fields;
using DanVanKheo.Api.Storage.LiteDb;
using DanVanKheo.Api.Units;
using Microsoft.Extensions.Options;

namespace DanVanKheo.Api.Storage;

public static class StorageServiceCollectionExtensions
{
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
            return new LiteDbContext(options.LiteDbPath);
        });
        services.AddSingleton<LiteDbUnitStore>();
        services.AddSingleton<LiteDbFieldStore>();
        services.AddSingleton<LiteDbEntryStore>();

        services.AddSingleton<IUnitStore>(sp => Pick<IUnitStore, LiteDbUnitStore>(sp));
        services.AddSingleton<IFieldStore>(sp => Pick<IFieldStore, LiteDbFieldStore>(sp));
        services.AddSingleton<IEntryStore>(sp => Pick<IEntryStore, LiteDbEntryStore>(sp));
        // TODO(lead): with the MongoDB branch, pick MongoCouncilStore / MongoRoundStore (both take IMongoDatabase) when UseMongo.
        services.AddSingleton<ICouncilStore>(sp => new LiteDbCouncilStore(sp.GetRequiredService<LiteDbContext>()));
        services.AddSingleton<IRoundStore>(sp => new LiteDbRoundStore(sp.GetRequiredService<LiteDbContext>()));
        services.AddSingleton<RoundDeadlineService>();
        services.AddHostedService(sp => sp.GetRequiredService<RoundDeadlineService>());
        services.AddHostedService<StorageInitializer>();
        return services;
    }

    private static TPort Pick<TPort, TLite>(IServiceProvider sp) where TLite : TPort where TPort : class =>
        sp.GetRequiredService<TLite>();

    private static void TryAddSingleton<T>(this IServiceCollection services, T instance) where T : class
    {
        if (services.All(d => d.ServiceType != typeof(T))) services.AddSingleton(instance);
    }
}
