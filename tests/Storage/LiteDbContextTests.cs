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
        var index = LiteDbContext.SearchDirectoryOf(path);
        if (Directory.Exists(index)) Directory.Delete(index, recursive: true);
    }
}

public sealed class LiteDbSearchIndexTests : IDisposable
{
    private readonly string path = Path.Combine(Path.GetTempPath(), $"dvk-test-{Guid.NewGuid():N}.db");

    private static DanVanKheo.Api.Entries.Entry NewEntry(string title, long sequence)
    {
        var unit = DanVanKheo.Api.Units.UnitRules.Create(new("X" + sequence, "Xã Thử", DanVanKheo.Api.Units.UnitKind.Commune, null, null, null), null, DateTime.UtcNow);
        var entry = DanVanKheo.Api.Entries.EntryRules.CreateDraft(new() { Title = title, Summary = "Tóm tắt", FieldId = DanVanKheo.Api.Fields.Field.Standard[0].Id },
            unit, DanVanKheo.Api.Fields.Field.Standard[0], null, 2025, "test", DateTime.UtcNow);
        DanVanKheo.Api.Entries.EntryRules.Submit(entry, DateTime.UtcNow);
        entry.Version = 1; // inserted registered, as a bulk load does
        return TestData.WithCode(entry, sequence, 2025);
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
            Assert.Equal(3, db.EntryIndex.DocumentCount());
            var renamed = new DanVanKheo.Api.Entries.EntryFilter { SearchTerms = ["doi", "ten"], Visibility = DanVanKheo.Api.Entries.EntryVisibility.Everything };
            Assert.Equal(1, (await a.FindAsync(renamed, new(), new(10))).TotalCount);
        }
        using (var reopened = new LiteDbContext(path))
        {
            var found = await new LiteDbEntryStore(reopened).FindAsync(everything, new(), new(10));
            Assert.Equal(["DVK-2025-000002"], found.Items.Select(e => e.Code));
        }
    }

    private static readonly DanVanKheo.Api.Entries.EntryFilter Everything = new() { Visibility = DanVanKheo.Api.Entries.EntryVisibility.Everything };

    private static async Task<List<string>> Titles(LiteDbContext db, string search)
    {
        var filter = Everything with { SearchTerms = DanVanKheo.Api.Entries.EntryRules.SearchTerms(search) };
        var page = await new LiteDbEntryStore(db).FindAsync(filter, new(), new(200));
        Assert.Equal(page.Items.Count, page.TotalCount);
        return [.. page.Items.Select(e => e.Title).Order(StringComparer.Ordinal)];
    }

    [Fact]
    public async Task After_a_crash_the_index_catches_up_from_its_last_commit_without_a_rebuild()
    {
        using (var db = new LiteDbContext(path, null, Timeout.InfiniteTimeSpan))
        {
            Assert.True(db.EntryIndex.WaitUntilReady(TimeSpan.FromSeconds(30)));
            DanVanKheo.Api.Entries.IEntryStore store = new LiteDbEntryStore(db);
            await store.InsertManyAsync([NewEntry("Khéo vận động hiến đất", 1), NewEntry("Khéo vận động trồng cây", 2), NewEntry("Mô hình chợ sạch", 3)]);
            db.EntryIndex.Commit();
            var renamed = (await store.GetByCodeAsync("DVK-2025-000003"))!;
            renamed.Title = "Khéo vận động giữ chợ sạch";
            renamed.SearchTokens = DanVanKheo.Api.Common.TextFolding.IndexTokens(renamed.Title, renamed.Code);
            renamed.Version++;
            Assert.True(await store.ReplaceAsync(renamed, 1));
            await store.InsertAsync(NewEntry("Khéo vận động làm đường", 4));
            Assert.Equal(4, (await Titles(db, "kheo van")).Count);
            // The store committed both changes; the index loses what it had not committed yet.
            db.DisposeAbandoningSearchIndex();
        }

        using var reopened = new LiteDbContext(path);
        Assert.False(reopened.EntryIndex.Startup.Rebuild);
        Assert.Equal(3, reopened.EntryIndex.Startup.FromSequence); // the three first inserts were committed to the index
        Assert.True(reopened.EntryIndex.WaitUntilReady(TimeSpan.FromSeconds(30)));
        Assert.Equal(["Khéo vận động giữ chợ sạch", "Khéo vận động hiến đất", "Khéo vận động làm đường", "Khéo vận động trồng cây"], await Titles(reopened, "kheo van"));
        Assert.Empty(await Titles(reopened, "mo hinh"));
        Assert.Equal(4, reopened.EntryIndex.DocumentCount());
    }

    [Fact]
    public async Task A_corrupt_index_is_rebuilt_in_the_background_and_searches_answer_from_the_store_meanwhile()
    {
        using (var db = new LiteDbContext(path))
        {
            var store = new LiteDbEntryStore(db);
            await store.InsertManyAsync([.. Enumerable.Range(1, 300).Select(i => NewEntry(i % 3 == 0 ? $"Dân vận khéo số {i}" : $"Mô hình số {i}", i))]);
            Assert.True(db.EntryIndex.WaitUntilReady(TimeSpan.FromSeconds(30)));
        }
        foreach (var file in Directory.GetFiles(LiteDbContext.SearchDirectoryOf(path)))
            File.WriteAllBytes(file, [.. Enumerable.Repeat((byte)0x5A, 64)]);

        using var reopened = new LiteDbContext(path);
        Assert.True(reopened.EntryIndex.Startup.Rebuild);
        // Answered at once, from the store or the index, whichever is ready: the same answer.
        Assert.Equal(100, (await Titles(reopened, "dan van kheo")).Count);
        var scan = await new LiteDbEntryStore(reopened, searchIndex: false).FindAsync(Everything, new(), new(5));
        Assert.True(reopened.EntryIndex.WaitUntilReady(TimeSpan.FromSeconds(30)));
        var indexed = await new LiteDbEntryStore(reopened).FindAsync(Everything, new(), new(5));
        Assert.Equal(scan.Items.Select(e => e.Code), indexed.Items.Select(e => e.Code));
        Assert.Equal(300, indexed.TotalCount);
        Assert.Equal(100, (await Titles(reopened, "dan van kheo")).Count);
    }

    [Fact]
    public async Task An_index_left_by_another_store_file_is_not_trusted()
    {
        var other = Path.Combine(Path.GetTempPath(), $"dvk-test-{Guid.NewGuid():N}.db");
        try
        {
            using (var db = new LiteDbContext(other))
            {
                await ((DanVanKheo.Api.Entries.IEntryStore)new LiteDbEntryStore(db)).InsertAsync(NewEntry("Dân vận khéo ở nơi khác", 1));
                Assert.True(db.EntryIndex.WaitUntilReady(TimeSpan.FromSeconds(30)));
            }
            Directory.CreateDirectory(LiteDbContext.SearchDirectoryOf(path));
            foreach (var file in Directory.GetFiles(LiteDbContext.SearchDirectoryOf(other)))
                File.Copy(file, Path.Combine(LiteDbContext.SearchDirectoryOf(path), Path.GetFileName(file)));

            using var fresh = new LiteDbContext(path);
            Assert.True(fresh.EntryIndex.Startup.Rebuild);
            Assert.True(fresh.EntryIndex.WaitUntilReady(TimeSpan.FromSeconds(30)));
            Assert.Empty(await Titles(fresh, "kheo"));
            Assert.Equal(0, fresh.EntryIndex.DocumentCount());
        }
        finally
        {
            foreach (var file in Directory.GetFiles(Path.GetTempPath(), Path.GetFileNameWithoutExtension(other) + "*")) File.Delete(file);
            Directory.Delete(LiteDbContext.SearchDirectoryOf(other), recursive: true);
        }
    }

    public void Dispose()
    {
        foreach (var file in Directory.GetFiles(Path.GetTempPath(), Path.GetFileNameWithoutExtension(path) + "*"))
            File.Delete(file);
        var index = LiteDbContext.SearchDirectoryOf(path);
        if (Directory.Exists(index)) Directory.Delete(index, recursive: true);
    }
}
