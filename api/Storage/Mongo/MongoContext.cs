using DanVanKheo.Api.Audit;
using DanVanKheo.Api.Common;
using DanVanKheo.Api.Entries;
using DanVanKheo.Api.Fields;
using DanVanKheo.Api.Units;
using Microsoft.Extensions.Options;
using MongoDB.Bson;
using MongoDB.Driver;

namespace DanVanKheo.Api.Storage.Mongo;

/// <summary>
/// The production store. Creating it does not connect: the driver connects on the first
/// operation, so registering the stores never blocks on the network.
/// </summary>
public sealed class MongoContext : IDisposable
{
    private readonly SemaphoreSlim indexGate = new(1, 1);
    private readonly bool ownsClient;
    private bool indexesEnsured;
    private bool? supportsTransactions;

    public MongoContext(IOptions<StorageOptions> options)
        : this(new MongoClient(options.Value.MongoConnectionString ??
                               throw new InvalidOperationException("No MongoDB connection string is configured.")),
            options.Value.MongoDatabase, ownsClient: true)
    {
    }

    /// <summary>For tests that share one client across many throwaway databases.</summary>
    internal MongoContext(IMongoClient client, string database, bool ownsClient = false)
    {
        MongoMappings.Register();
        Client = client;
        this.ownsClient = ownsClient;
        Database = client.GetDatabase(database);
    }

    public IMongoClient Client { get; }
    public IMongoDatabase Database { get; }

    public IMongoCollection<Unit> Units => Database.GetCollection<Unit>("units");
    public IMongoCollection<Field> Fields => Database.GetCollection<Field>("fields");
    public IMongoCollection<Entry> Entries => Database.GetCollection<Entry>("entries");
    public IMongoCollection<BsonDocument> Counters => Database.GetCollection<BsonDocument>("counters");
    public IMongoCollection<AuditEvent> AuditEvents => Database.GetCollection<AuditEvent>("audit");

    private MongoAuditStore? audit;

    /// <summary>The audit log the other adapters write their changes' events through.</summary>
    public MongoAuditStore Audit => audit ??= new MongoAuditStore(this);

    /// <summary>Creates the indexes (same names as the LiteDB file); a no-op for ones that exist.</summary>
    public async Task EnsureIndexesAsync(CancellationToken ct = default)
    {
        if (indexesEnsured) return;
        await indexGate.WaitAsync(ct);
        try
        {
            if (indexesEnsured) return;
            await Units.Indexes.CreateManyAsync(MongoUnitStore.IndexModels(), ct);
            await Fields.Indexes.CreateManyAsync(MongoFieldStore.IndexModels(), ct);
            await Entries.Indexes.CreateManyAsync(MongoEntryStore.IndexModels(), ct);
            await AuditEvents.Indexes.CreateManyAsync(MongoAuditStore.IndexModels(), ct);
            indexesEnsured = true;
        }
        finally
        {
            indexGate.Release();
        }
    }

    /// <summary>
    /// Multi-document transactions need a replica set, a sharded cluster or a load balancer in
    /// front of one; a standalone server (a bare dev container) has none.
    /// </summary>
    public async Task<bool> SupportsTransactionsAsync(CancellationToken ct = default)
    {
        if (supportsTransactions is { } known) return known;
        var hello = await Client.GetDatabase("admin")
            .RunCommandAsync<BsonDocument>(new BsonDocument("hello", 1), cancellationToken: ct);
        var supported = hello.Contains("setName") || hello.Contains("serviceId") ||
                        hello.GetValue("msg", BsonNull.Value) == "isdbgrid";
        supportsTransactions = supported;
        return supported;
    }

    internal static bool IsDuplicateKey(MongoException e) => e switch
    {
        MongoWriteException w => w.WriteError?.Category == ServerErrorCategory.DuplicateKey,
        MongoBulkWriteException b => b.WriteErrors.Any(x => x.Category == ServerErrorCategory.DuplicateKey),
        MongoCommandException c => c.Code == 11000,
        _ => false,
    };

    internal static DuplicateKeyException Duplicate(string message, MongoException e) => new(message, e);

    public void Dispose()
    {
        indexGate.Dispose();
        if (ownsClient) Client.Dispose();
    }
}
