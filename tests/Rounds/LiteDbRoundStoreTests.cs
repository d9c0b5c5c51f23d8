using DanVanKheo.Api.Councils;
using DanVanKheo.Api.Rounds;
using DanVanKheo.Api.Storage.LiteDb;
using DanVanKheo.Tests.Storage;

namespace DanVanKheo.Tests.Rounds;

public sealed class LiteDbRoundStoreTests : RoundStoreContract
{
    private readonly LiteDbHarness _harness = new();

    protected override Task<(ICouncilStore, IRoundStore)> CreateStoresAsync() =>
        Task.FromResult<(ICouncilStore, IRoundStore)>((new LiteDbCouncilStore(_harness.Context), new LiteDbRoundStore(_harness.Context)));

    public override async Task DisposeAsync() => await _harness.DisposeAsync();
}
