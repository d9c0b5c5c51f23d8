using DanVanKheo.Api.Audit;
using DanVanKheo.Api.Common;
using DanVanKheo.Api.Entries;
using DanVanKheo.Seed;
using LiteDB;

namespace DanVanKheo.Tests.Seed;

/// <summary>A LiteDB file under the temp directory, deleted with its log afterwards.</summary>
internal sealed class TempLiteDb : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"dvk-seed-test-{Guid.NewGuid():N}.db");

    public StoreTarget Target => new(StoreKind.LiteDb, Path, StoreTarget.DefaultMongoDatabase);

    /// <summary>Every document of every collection, sorted by id, as one JSON text.</summary>
    public string Export()
    {
        using var db = new LiteDatabase(new ConnectionString { Filename = Path, Connection = ConnectionType.Direct });
        var parts = new List<string>();
        foreach (var name in db.GetCollectionNames().Order(StringComparer.Ordinal))
        {
            parts.Add("## " + name);
            // The file's random identity (which search index belongs to it) is the one thing two seeds never share.
            parts.AddRange(db.GetCollection(name).FindAll()
                .Where(d => !(name == "counters" && d["_id"] == "store-id"))
                .OrderBy(d => d["_id"].ToString(), StringComparer.Ordinal)
                .Select(d => JsonSerializer.Serialize(d)));
        }
        return string.Join('\n', parts);
    }

    public void Dispose()
    {
        foreach (var file in new[] { Path, Path.Replace(".db", "-log.db", StringComparison.Ordinal) })
            if (File.Exists(file)) File.Delete(file);
        var index = DanVanKheo.Api.Storage.LiteDb.LiteDbContext.SearchDirectoryOf(Path);
        if (Directory.Exists(index)) Directory.Delete(index, recursive: true);
    }
}

/// <summary>Keeps what the generator writes in memory, for distribution checks without store cost.</summary>
public sealed class CapturingEntryStore : IEntryStore
{
    private readonly Dictionary<int, long> counters = [];
    public List<Entry> Entries { get; } = [];
    public List<int> BatchSizes { get; } = [];

    public Task<long> ReserveSequenceAsync(int year, int count, CancellationToken ct = default)
    {
        var first = counters.GetValueOrDefault(year) + 1;
        counters[year] = first + count - 1;
        return Task.FromResult(first);
    }

    public Task<bool> RegisterAsync(Entry entry, int expectedVersion, DanVanKheo.Api.Audit.AuditScope? audit, CancellationToken ct = default) => throw new NotSupportedException();
    public Task<int> WithdrawDraftCodesAsync(CancellationToken ct = default) => Task.FromResult(0);

    public Task InsertManyAsync(IReadOnlyList<Entry> entries, CancellationToken ct = default)
    {
        BatchSizes.Add(entries.Count);
        Entries.AddRange(entries);
        return Task.CompletedTask;
    }

    public Task<long> CountAsync(CancellationToken ct = default) => Task.FromResult((long)Entries.Count);

    public Task InsertAsync(Entry entry, AuditScope? audit, CancellationToken ct = default) => throw new NotSupportedException();
    public Task<IReadOnlyList<Entry>> GetByIdsAsync(IReadOnlyCollection<string> ids, CancellationToken ct = default) => throw new NotSupportedException();
    public Task<Entry?> GetByCodeAsync(string code, CancellationToken ct = default) => throw new NotSupportedException();
    public Task<bool> ReplaceAsync(Entry entry, int expectedVersion, AuditScope? audit, CancellationToken ct = default) => throw new NotSupportedException();
    public Task<Page<Entry>> FindAsync(EntryFilter filter, EntrySort sort, PageRequest page, CancellationToken ct = default) => throw new NotSupportedException();
}
