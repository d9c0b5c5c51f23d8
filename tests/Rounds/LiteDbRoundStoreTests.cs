using DanVanKheo.Api.Councils;
using DanVanKheo.Api.Rounds;
using DanVanKheo.Api.Storage.LiteDb;

namespace DanVanKheo.Tests.Rounds;

public sealed class LiteDbRoundStoreTests : RoundStoreContract
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"dvk-rounds-{Guid.NewGuid():N}.db");
    private LiteDbContext? _db;

    protected override Task<(ICouncilStore, IRoundStore)> CreateStoresAsync()
    {
        _db = new LiteDbContext(_file);
        return Task.FromResult<(ICouncilStore, IRoundStore)>((new LiteDbCouncilStore(_db), new LiteDbRoundStore(_db)));
    }

    public override Task DisposeAsync()
    {
        _db?.Dispose();
        foreach (var f in new[] { _file, _file.Replace(".db", "-log.db") })
            if (File.Exists(f)) File.Delete(f);
        return Task.CompletedTask;
    }
}
