using System.Globalization;
using DanVanKheo.Api.Storage.LiteDb;
using DanVanKheo.Api.Units;
using LiteDB;

namespace DanVanKheo.Tests.Storage;

public sealed class LiteDbContextTests : IDisposable
{
    private readonly string path = Path.Combine(Path.GetTempPath(), $"dvk-test-{Guid.NewGuid():N}.db");

    [Fact]
    public void A_file_made_with_the_default_collation_is_rebuilt_ordinal_and_keeps_its_data()
    {
        var unit = TestData.Unit("DT.CAO-LANH", "Thành phố Cao Lãnh");
        using (var old = new LiteDatabase(new ConnectionString { Filename = path, Connection = ConnectionType.Direct }, LiteDbContext.CreateMapper()))
        {
            Assert.NotEqual(CompareOptions.Ordinal, old.Collation.SortOptions);
            old.GetCollection<Unit>("units").Insert(unit);
        }

        using var db = new LiteDbContext(path);

        Assert.Equal(CompareOptions.Ordinal, db.Database.Collation.SortOptions);
        Assert.Equal(unit.Name, db.Units.FindById(unit.Id).Name);
    }

    public void Dispose()
    {
        foreach (var file in Directory.GetFiles(Path.GetTempPath(), Path.GetFileNameWithoutExtension(path) + "*"))
            File.Delete(file);
    }
}

public sealed class LiteDbQueryPlanTests : IDisposable
{
    private readonly string path = Path.Combine(Path.GetTempPath(), $"dvk-test-{Guid.NewGuid():N}.db");

    [Fact]
    public void A_search_seeks_the_token_index_by_prefix()
    {
        using var db = new LiteDbContext(path);
        var filter = new DanVanKheo.Api.Entries.EntryFilter { SearchTerms = ["van", "kheo"] };

        var query = LiteDbQuery.Where(db.EntryKeys, LiteDbEntryStore.Filters(filter));
        var index = query.GetPlan()["index"];

        Assert.Equal("ix_tokens", index["name"].AsString);
        Assert.Equal("INDEX SEEK (+RANGE SCAN)(ix_tokens LIKE \"kheo%\")", index["mode"].AsString);
    }

    public void Dispose()
    {
        foreach (var file in Directory.GetFiles(Path.GetTempPath(), Path.GetFileNameWithoutExtension(path) + "*"))
            File.Delete(file);
    }
}
