using DanVanKheo.Api.Audit;
using DanVanKheo.Api.Auth;
using DanVanKheo.Api.Common;
using DanVanKheo.Api.Entries;
using DanVanKheo.Api.Fields;
using DanVanKheo.Api.Storage.LiteDb;
using DanVanKheo.Api.Units;
using LiteDB;

namespace DanVanKheo.Tests.Storage;

/// <summary>Concurrent writes on the embedded store share transactions (group commit) and still succeed or fail one by one.</summary>
public sealed class LiteDbGroupCommitTests : IDisposable
{
    private readonly string path = Path.Combine(Path.GetTempPath(), $"dvk-test-{Guid.NewGuid():N}.db");
    private static readonly Unit Commune = UnitRules.Create(new("XA.GC", "Xã Thử Nghiệm", UnitKind.Commune, null, null, null), null, DateTime.UtcNow);

    private static Entry NewEntry(string title, string? id = null) =>
        EntryRules.CreateDraft(new() { Title = title, Summary = "Tóm tắt mô hình", FieldId = Field.Standard[0].Id },
            Commune, Field.Standard[0], null, 2025, "test", DateTime.UtcNow, id);

    private static AuditScope Scope(string requestId) => new()
    {
        Actor = new Caller("editor-1", "Nguyễn Văn An", new HashSet<string> { Roles.Editor }, Commune.Id),
        Action = "createEntry",
        RequestId = requestId,
        Timestamp = DateTime.UtcNow,
    };

    [Fact]
    public async Task Sixteen_concurrent_writers_lose_and_double_nothing_and_each_entry_has_its_one_audit_event()
    {
        using var db = new LiteDbContext(path);
        IEntryStore store = new LiteDbEntryStore(db);
        const int writers = 16, each = 25;
        var scopes = new AuditScope[writers * each];
        await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < each; i++)
            {
                var n = w * each + i;
                scopes[n] = Scope($"req-{n}");
                await store.InsertAsync(NewEntry($"Dân vận khéo số {n}"), scopes[n]);
            }
        })));

        Assert.Equal(writers * each, db.Entries.Count());
        Assert.Equal(writers * each, db.Entries.FindAll().Select(e => e.Code).Distinct().Count());
        var events = db.AuditEvents.FindAll().ToList();
        Assert.Equal(writers * each, events.Count);
        Assert.Equal(writers * each, events.Select(e => e.RequestId).Distinct().Count());
        Assert.All(scopes, s => Assert.Equal(1, s.Appended));
        Assert.True(db.EntryIndex.WaitUntilReady(TimeSpan.FromSeconds(30)));
        var found = await store.FindAsync(new EntryFilter { SearchTerms = ["kheo"], Visibility = EntryVisibility.Everything }, new(), new(5));
        Assert.Equal(writers * each, found.TotalCount);
    }

    [Fact]
    public async Task Writes_queued_together_commit_once_and_the_one_that_fails_rolls_back_alone()
    {
        using var db = new LiteDbContext(path);
        IEntryStore store = new LiteDbEntryStore(db);
        var taken = NewEntry("Mô hình đã có mã");
        await store.InsertAsync(taken);
        var commitsBefore = db.Commits;
        var good = Enumerable.Range(2, 4).Select(n => (Entry: NewEntry($"Mô hình thứ {n}"), Scope: Scope($"req-{n}"))).ToList();
        var duplicate = NewEntry("Trùng mã với mô hình đã có");
        duplicate.Code = taken.Code;
        var duplicateScope = Scope("req-dup");
        var halfWritten = new BsonDocument { ["_id"] = "half-written", ["Value"] = 1 };

        var tasks = new List<Task>();
        // Holding the gate makes every write queue behind it, so they are all taken as one batch.
        db.WriteGate.Enter();
        try
        {
            tasks.AddRange(good.Select(g => Task.Run(() => store.InsertAsync(g.Entry, g.Scope))));
            tasks.Add(Task.Run(() => store.InsertAsync(duplicate, duplicateScope)));
            tasks.Add(Task.Run(() => db.InTransaction<int>(() =>
            {
                db.Counters.Insert(halfWritten);
                throw new InvalidOperationException("a rule refused after writing");
            })));
            var until = DateTime.UtcNow.AddSeconds(30);
            while (db.PendingWorks < tasks.Count && DateTime.UtcNow < until) Thread.Sleep(5);
            Assert.Equal(tasks.Count, db.PendingWorks);
        }
        finally
        {
            db.WriteGate.Exit();
        }

        await Assert.ThrowsAsync<DuplicateKeyException>(() => tasks[4]);
        await Assert.ThrowsAsync<InvalidOperationException>(() => tasks[5]);
        await Task.WhenAll(tasks.Take(4));
        Assert.Equal(commitsBefore + 1, db.Commits);
        Assert.Null(db.Counters.FindById("half-written"));
        Assert.Equal(0, duplicateScope.Appended);
        foreach (var (entry, scope) in good)
        {
            Assert.Equal(entry.Title, db.Entries.FindById(entry.Id).Title);
            Assert.Equal(1, scope.Appended);
            Assert.Single(db.AuditEvents.Find(Query.EQ("TargetId", entry.Id)));
        }
        Assert.Null(db.Entries.FindById(duplicate.Id));
        Assert.Equal(5, db.Entries.Count());
        Assert.Equal(4, db.AuditEvents.Count());
    }

    public void Dispose()
    {
        foreach (var file in Directory.GetFiles(Path.GetTempPath(), Path.GetFileNameWithoutExtension(path) + "*"))
            File.Delete(file);
        var index = LiteDbContext.SearchDirectoryOf(path);
        if (Directory.Exists(index)) Directory.Delete(index, recursive: true);
    }
}
