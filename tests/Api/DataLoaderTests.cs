using System.Collections.Concurrent;
using System.Reflection;
using DanVanKheo.Api.Entries;
using DanVanKheo.Api.Fields;
using DanVanKheo.Api.Storage.LiteDb;
using DanVanKheo.Api.Units;
using DanVanKheo.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace DanVanKheo.Tests.Api;

/// <summary>Counts every call that reaches a store port.</summary>
public class CountingProxy<T> : DispatchProxy where T : class
{
    private T _inner = null!;
    private ConcurrentDictionary<string, int> _calls = null!;

    public static T Wrap(T inner, ConcurrentDictionary<string, int> calls)
    {
        var proxy = Create<T, CountingProxy<T>>();
        var p = (CountingProxy<T>)(object)proxy;
        p._inner = inner;
        p._calls = calls;
        return proxy;
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        _calls.AddOrUpdate($"{typeof(T).Name}.{targetMethod!.Name}", 1, (_, n) => n + 1);
        try
        {
            return targetMethod.Invoke(_inner, args);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            throw e.InnerException;
        }
    }
}

public sealed class CountingApiFactory : RegistryApiFactory
{
    public ConcurrentDictionary<string, int> Calls { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<IUnitStore>(sp => CountingProxy<IUnitStore>.Wrap(sp.GetRequiredService<LiteDbUnitStore>(), Calls));
            services.AddSingleton<IFieldStore>(sp => CountingProxy<IFieldStore>.Wrap(sp.GetRequiredService<LiteDbFieldStore>(), Calls));
            services.AddSingleton<IEntryStore>(sp => CountingProxy<IEntryStore>.Wrap(sp.GetRequiredService<LiteDbEntryStore>(), Calls));
        });
    }
}

public sealed class DataLoaderTests(CountingApiFactory factory) : IClassFixture<CountingApiFactory>
{
    [Fact]
    public async Task A_page_of_100_entries_with_unit_parent_and_field_costs_a_constant_number_of_store_calls()
    {
        var s = new RegistryScenario(factory);
        var province = await s.CreateUnit("Tỉnh Đồng Tháp", "PROVINCE");
        var communes = new List<string>();
        for (var i = 0; i < 10; i++)
            communes.Add((await s.CreateUnit($"Xã số {i}", "COMMUNE", province["id"]!.GetValue<string>()))["id"]!.GetValue<string>());
        var fields = new[] { await s.FieldId("KINH_TE"), await s.FieldId("VAN_HOA_XA_HOI"), await s.FieldId("QUOC_PHONG_AN_NINH") };
        for (var i = 0; i < 100; i++)
            await s.CreateEntry(s.Admin, communes[i % 10], $"Mô hình dân vận khéo số {i:D3}", fields[i % 3]);

        factory.Calls.Clear();
        var r = await s.Admin.Run("""
            query($p: ID!) {
              entries(where: { subtreeOf: { eq: $p } }, first: 100) {
                totalCount
                nodes { code field { name } unit { name parent { name parent { name } } } }
              }
            }
            """, new { p = province["id"]!.GetValue<string>() });
        r.AssertNoErrors();
        Assert.Equal(100, r.At("entries.nodes").AsArray().Count);
        Assert.Equal("Tỉnh Đồng Tháp", r.At("entries.nodes.0.unit.parent.name").GetValue<string>());

        var calls = factory.Calls.ToDictionary();
        // One page query, one batch of units per level that needs loading (the communes, then their
        // province; the province has no parent), one batch of fields — whatever the page size.
        Assert.Equal(1, calls.GetValueOrDefault("IEntryStore.FindAsync"));
        Assert.Equal(2, calls.GetValueOrDefault("IUnitStore.GetByIdsAsync"));
        Assert.Equal(1, calls.GetValueOrDefault("IFieldStore.GetByIdsAsync"));
        Assert.True(calls.Values.Sum() <= 5, string.Join(", ", calls.Select(kv => $"{kv.Key}={kv.Value}")));
    }
}
