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

public sealed class LiteDbSearchIndexTests : IDisposable
{
    private readonly string path = Path.Combine(Path.GetTempPath(), $"dvk-test-{Guid.NewGuid():N}.db");

    private static DanVanKheo.Api.Entries.Entry NewEntry(string title, long sequence)
    {
        var unit = DanVanKheo.Api.Units.UnitRules.Create(new("X" + sequence, "Xã Thử", DanVanKheo.Api.Units.UnitKind.Commune, null, null, null), null, DateTime.UtcNow);
        return DanVanKheo.Api.Entries.EntryRules.CreateDraft(new() { Title = title, Summary = "Tóm tắt", FieldId = DanVanKheo.Api.Fields.Field.Standard[0].Id },
            unit, DanVanKheo.Api.Fields.Field.Standard[0], null, 2025, sequence, "test", DateTime.UtcNow);
    }

    [Fact]
    public async Task Writes_through_any_store_on_the_file_are_searchable_and_a_reopened_file_rebuilds_the_index()
    {
        var everything = new DanVanKheo.Api.Entries.EntryFilter { SearchTerms = ["kheo"], Visibility = DanVanKheo.Api.Entries.EntryVisibility.Everything };
        using (var db = new LiteDbContext(path))
        {
            DanVanKheo.Api.Entries.IEntryStore a = new LiteDbEntryStore(db);
            DanVanKheo.Api.Entries.IEntryStore b = new LiteDbEntryStore(db);
            Assert.Equal(0, (await a.FindAsync(everything, new(), new(10))).TotalCount);
            var first = NewEntry("Dân vận khéo ở khu dân cư", 1);
            await b.InsertAsync(first);
            await b.InsertManyAsync([NewEntry("Khéo vận động hiến đất", 2), NewEntry("Mô hình không liên quan", 3)]);
            var found = await a.FindAsync(everything, new(), new(10));
            Assert.Equal(["DVK-2025-000002", "DVK-2025-000001"], found.Items.Select(e => e.Code));

            first.Title = "Mô hình đổi tên";
            first.SearchTokens = DanVanKheo.Api.Common.TextFolding.IndexTokens(first.Title, first.Code);
            first.Version++;
            Assert.True(await b.ReplaceAsync(first, 1));
            Assert.Equal(["DVK-2025-000002"], (await a.FindAsync(everything, new(), new(10))).Items.Select(e => e.Code));
            for (var v = 2; v < 12; v++)
            {
                first.Version = v + 1;
                Assert.True(await b.ReplaceAsync(first, v));
            }
            Assert.Equal(3, db.EntrySearch.RowCount);
            var renamed = new DanVanKheo.Api.Entries.EntryFilter { SearchTerms = ["doi", "ten"], Visibility = DanVanKheo.Api.Entries.EntryVisibility.Everything };
            Assert.Equal(1, (await a.FindAsync(renamed, new(), new(10))).TotalCount);
        }
        using (var reopened = new LiteDbContext(path))
        {
            var found = await new LiteDbEntryStore(reopened).FindAsync(everything, new(), new(10));
            Assert.Equal(["DVK-2025-000002"], found.Items.Select(e => e.Code));
        }
    }

    public void Dispose()
    {
        foreach (var file in Directory.GetFiles(Path.GetTempPath(), Path.GetFileNameWithoutExtension(path) + "*"))
            File.Delete(file);
    }
}
