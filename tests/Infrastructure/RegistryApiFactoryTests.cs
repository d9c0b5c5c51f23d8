using DanVanKheo.Api.Storage.LiteDb;
using DanVanKheo.Api.Storage.Mongo;
using DanVanKheo.Api.Units;
using Microsoft.Extensions.DependencyInjection;

namespace DanVanKheo.Tests.Infrastructure;

/// <summary>The API test host runs on the store it is told to, never on whatever MONGODB_URI names.</summary>
public sealed class RegistryApiFactoryTests(RegistryApiFactory factory) : IClassFixture<RegistryApiFactory>
{
    [Fact]
    public async Task The_factory_pins_its_store_and_a_database_of_its_own()
    {
        var traced = factory.Services.GetRequiredService<IUnitStore>();
        // Ports are traced (one span per call) around the chosen adapter.
        Assert.IsAssignableFrom<DanVanKheo.Api.Hosting.StoreSpanProxy>(traced);
        var units = DanVanKheo.Api.Hosting.StoreSpanProxy.Unwrap(traced);
        if (RegistryApiFactory.OnMongo)
        {
            Assert.IsType<MongoUnitStore>(units);
            Assert.Equal(factory.MongoDatabase, factory.Services.GetRequiredService<MongoContext>().Database.DatabaseNamespace.DatabaseName);
        }
        else
        {
            // Even when MONGODB_URI is set for the store contract tests.
            Assert.IsType<LiteDbUnitStore>(units);
        }
        var r = await factory.Client().Run("{ fields { code } }");
        r.AssertNoErrors();
        Assert.NotEmpty(r.At("fields").AsArray());
    }
}
