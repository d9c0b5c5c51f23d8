using DanVanKheo.Api.Entries;
using DanVanKheo.Api.Fields;
using DanVanKheo.Api.Storage;
using DanVanKheo.Api.Storage.LiteDb;
using DanVanKheo.Api.Storage.Mongo;
using DanVanKheo.Api.Units;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace DanVanKheo.Tests.Storage;

public sealed class StorageRegistrationTests : IDisposable
{
    private readonly string dir = Path.Combine(Path.GetTempPath(), $"dvk-test-{Guid.NewGuid():N}");
    private string LiteDbPath => Path.Combine(dir, "kho.db");

    private ServiceProvider Build(params (string Key, string Value)[] settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))
                .Append(new("Storage:LiteDbPath", LiteDbPath)))
            .Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddStorage(configuration);
        return services.BuildServiceProvider();
    }

    [Fact]
    public void Without_a_connection_string_the_ports_are_LiteDB()
    {
        using var sp = Build();

        Assert.IsType<LiteDbUnitStore>(sp.GetRequiredService<IUnitStore>());
        Assert.IsType<LiteDbFieldStore>(sp.GetRequiredService<IFieldStore>());
        Assert.IsType<LiteDbEntryStore>(sp.GetRequiredService<IEntryStore>());
        Assert.True(File.Exists(LiteDbPath));
    }

    [Theory]
    [InlineData("ConnectionStrings:Mongo")]
    [InlineData("MONGODB_URI")]
    public void With_a_connection_string_the_ports_are_MongoDB_and_no_LiteDB_file_is_opened(string key)
    {
        // Nothing listens on port 1: resolving the stores must not need a server.
        using var sp = Build((key, "mongodb://127.0.0.1:1/?serverSelectionTimeoutMS=500"), ("Storage:MongoDatabase", "kiem_thu"));

        Assert.IsType<MongoUnitStore>(sp.GetRequiredService<IUnitStore>());
        Assert.IsType<MongoFieldStore>(sp.GetRequiredService<IFieldStore>());
        Assert.IsType<MongoEntryStore>(sp.GetRequiredService<IEntryStore>());
        Assert.Equal("kiem_thu", sp.GetRequiredService<MongoContext>().Database.DatabaseNamespace.DatabaseName);
        Assert.False(Directory.Exists(dir));
    }

    public void Dispose()
    {
        if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
    }
}
