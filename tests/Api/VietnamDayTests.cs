using System.Text.Json.Nodes;
using DanVanKheo.Api.Common;
using DanVanKheo.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace DanVanKheo.Tests.Api;

/// <summary>
/// The API at 18:00 UTC on 30 June 2025, which is already 1 July in Vietnam. Only the registry
/// clock is pinned: token lifetimes keep being checked against the real time.
/// </summary>
public sealed class VietnamEveningApiFactory : RegistryApiFactory
{
    public static readonly DateTimeOffset Now = new(2025, 6, 30, 18, 0, 0, TimeSpan.Zero);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddSingleton(new RegistryClock(new FakeTimeProvider(Now))));
    }
}

public sealed class VietnamDayTests(VietnamEveningApiFactory factory) : IClassFixture<VietnamEveningApiFactory>
{
    private readonly RegistryScenario _s = new(factory);

    private static string Id(JsonNode node) => node["id"]!.GetValue<string>();

    [Fact]
    public async Task Units_answer_for_1_July_in_Vietnam_when_it_is_still_30_June_in_UTC()
    {
        // Three communes in a row: the first ends on 1 July, the second lives that one day only and
        // ends on 2 July. So 1 July is the only day on which the answers below hold: 30 June (UTC)
        // and any later day (the machine's real clock) give different ones.
        var first = await _s.CreateUnit("Xã Tân Hòa cũ", "COMMUNE", validFrom: "2010-01-01");
        var oneDay = await _s.CreateUnit("Xã Tân Hòa", "COMMUNE", validFrom: "2025-07-01");
        var last = await _s.CreateUnit("Xã Tân Hòa mới", "COMMUNE");
        await Succeed(first, oneDay, "2025-07-01");
        await Succeed(oneDay, last, "2025-07-02");

        var r = await _s.Anonymous.Run("""
            query($a: ID!, $b: ID!) {
              first: unit(id: $a) {
                isActive
                currentSuccessors { name }
                utcDay: isActive(asOf: "2025-06-30")
                utcDaySuccessors: currentSuccessors(asOf: "2025-06-30") { name }
              }
              oneDay: unit(id: $b) { isActive utcDay: isActive(asOf: "2025-06-30") }
            }
            """, new { a = Id(first), b = Id(oneDay) });
        r.AssertNoErrors();

        Assert.False(r.At("first.isActive").GetValue<bool>());
        Assert.Equal(["Xã Tân Hòa"], Names(r.At("first.currentSuccessors")));
        Assert.True(r.At("oneDay.isActive").GetValue<bool>());
        // On the UTC date the answers differ, so the assertions above tell the two days apart.
        Assert.True(r.At("first.utcDay").GetValue<bool>());
        Assert.Equal(["Xã Tân Hòa cũ"], Names(r.At("first.utcDaySuccessors")));
        Assert.False(r.At("oneDay.utcDay").GetValue<bool>());
    }

    private async Task Succeed(JsonNode predecessor, JsonNode successor, string effectiveDate)
    {
        var r = await _s.Admin.Run("""
            mutation($input: RecordUnitSuccessionInput!) { recordUnitSuccession(input: $input) { errors { code message } } }
            """, new { input = new { predecessorIds = new[] { Id(predecessor) }, successorIds = new[] { Id(successor) }, effectiveDate } });
        r.AssertNoErrors();
        Assert.Empty(r.At("recordUnitSuccession.errors").AsArray());
    }

    private static IEnumerable<string> Names(JsonNode list) => list.AsArray().Select(u => u!["name"]!.GetValue<string>());
}
