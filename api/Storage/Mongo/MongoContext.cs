using DanVanKheo.Api.Audit;
using DanVanKheo.Api.Councils;
using DanVanKheo.Api.Entries;
using DanVanKheo.Api.Fields;
using DanVanKheo.Api.Replications;
using DanVanKheo.Api.Rounds;
using DanVanKheo.Api.Units;
using Microsoft.Extensions.Options;
using MongoDB.Bson;
using MongoDB.Driver;

namespace DanVanKheo.Api.Storage.Mongo;

/// <summary>
/// The production store: one client, one database, and the one way every adapter changes data
/// (<see cref="WriteAsync"/>: a transaction with the change's audit event). Creating it does not
/// connect; <see cref="CheckDeploymentAsync"/> does, at start.
/// </summary>
public sealed class MongoContext : IDisposable
{
    /// <summary>How long the start check waits for a server when the URI does not say.</summary>
    public static readonly TimeSpan DefaultServerSelectionTimeout = TimeSpan.FromSeconds(10);

    private const int MaxReruns = 10;

    /// <summary>Majority-committed, journaled, read from one snapshot: a committed change survives a failover.</summary>
    public static readonly TransactionOptions Transaction = new(
        readConcern: ReadConcern.Snapshot,
        readPreference: ReadPreference.Primary,
        writeConcern: WriteConcern.WMajority.With(journal: true));

    private readonly bool ownsClient;

    public MongoContext(IOptions<StorageOptions> options)
        : this(CreateClient(options.Value.MongoConnectionString ??
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
        Database = client.GetDatabase(database, new MongoDatabaseSettings
        {
            WriteConcern = WriteConcern.WMajority.With(journal: true),
            ReadConcern = ReadConcern.Majority,
        });
        Audit = new MongoAuditStore(this);
    }

    public static MongoClient CreateClient(string connectionString)
    {
        var url = MongoUrl.Create(connectionString);
        var settings = MongoClientSettings.FromUrl(url);
        if (!connectionString.Contains("serverSelectionTimeoutMS", StringComparison.OrdinalIgnoreCase))
            settings.ServerSelectionTimeout = DefaultServerSelectionTimeout;
        return new MongoClient(settings);
    }

    public IMongoClient Client { get; }
    public IMongoDatabase Database { get; }

    public IMongoCollection<T> Collection<T>(string name) => Database.GetCollection<T>(name);

    public IMongoCollection<Unit> Units => Collection<Unit>(MongoCollections.Units);
    public IMongoCollection<Field> Fields => Collection<Field>(MongoCollections.Fields);
    public IMongoCollection<Entry> Entries => Collection<Entry>(MongoCollections.Entries);
    public IMongoCollection<BsonDocument> Counters => Collection<BsonDocument>(MongoCollections.Counters);
    public IMongoCollection<AuditEvent> AuditEvents => Collection<AuditEvent>(MongoCollections.Audit);
    public IMongoCollection<Council> Councils => Collection<Council>(MongoCollections.Councils);
    public IMongoCollection<Round> Rounds => Collection<Round>(MongoCollections.Rounds);
    public IMongoCollection<Nomination> Nominations => Collection<Nomination>(MongoCollections.Nominations);
    public IMongoCollection<Ballot> Ballots => Collection<Ballot>(MongoCollections.Ballots);
    public IMongoCollection<BallotRevision> BallotHistory => Collection<BallotRevision>(MongoCollections.BallotHistory);
    public IMongoCollection<RoundTally> Tallies => Collection<RoundTally>(MongoCollections.Tallies);
    public IMongoCollection<Recognition> Recognitions => Collection<Recognition>(MongoCollections.Recognitions);
    public IMongoCollection<Replication> Replications => Collection<Replication>(MongoCollections.Replications);
    public IMongoCollection<BsonDocument> ReportSummary => Collection<BsonDocument>(MongoCollections.ReportSummary);

    /// <summary>The audit log the adapters' writes append their events to.</summary>
    public MongoAuditStore Audit { get; }

    /// <summary>Creates every index; see <see cref="MongoIndexes"/>.</summary>
    public Task EnsureIndexesAsync(ILogger? logger = null, CancellationToken ct = default) =>
        MongoIndexes.EnsureAsync(Database, logger, ct);

    /// <summary>
    /// What every process writing to the database does first (the API at start, the seed CLI):
    /// every index, then the report summary of entries written before it existed.
    /// </summary>
    public async Task PrepareAsync(ILogger? logger = null, CancellationToken ct = default)
    {
        await EnsureIndexesAsync(logger, ct);
        if (await MongoReportSummary.BuildIfMissingAsync(this, ct))
            logger?.LogInformation("MongoDB report summary built from the stored entries");
    }

    /// <summary>
    /// Refuses what the registry cannot run on: an unreachable server (within the server
    /// selection timeout) and a standalone server, which has no multi-document transactions.
    /// </summary>
    public async Task CheckDeploymentAsync(CancellationToken ct = default)
    {
        BsonDocument hello;
        try
        {
            hello = await Client.GetDatabase("admin").RunCommandAsync<BsonDocument>(new BsonDocument("hello", 1), cancellationToken: ct);
        }
        catch (TimeoutException e)
        {
            throw new MongoDeploymentException(
                $"MongoDB did not answer within {Client.Settings.ServerSelectionTimeout.TotalSeconds:0} s at {Describe()} " +
                "(set ConnectionStrings:Mongo or MONGODB_URI to a reachable replica set).", e);
        }
        if (!IsReplicated(hello))
            throw new MongoDeploymentException(
                $"MongoDB at {Describe()} is a standalone server; the registry needs a replica set for its transactions. " +
                "For development run a single-node replica set: mongod --replSet rs0, then mongosh --eval 'rs.initiate()', " +
                "and connect with ?replicaSet=rs0 (or `docker compose up`).");
    }

    /// <summary>A replica set member, a mongos or a load balancer in front of a replicated deployment.</summary>
    public static bool IsReplicated(BsonDocument hello) =>
        hello.Contains("setName") || hello.Contains("serviceId") || hello.GetValue("msg", BsonNull.Value) == "isdbgrid";

    private string Describe() =>
        string.Join(",", Client.Settings.Servers.Select(s => s.ToString())) + "/" + Database.DatabaseNamespace.DatabaseName;

    /// <summary>
    /// Runs <paramref name="write"/> and, when <paramref name="scope"/> is given, the event describing it, as one
    /// transaction (majority, journaled, snapshot reads). <paramref name="write"/> returns false
    /// when a precondition it checked (a version) fails: then nothing is written. Transient errors
    /// (write conflicts with a concurrent transaction) rerun the whole unit; a concurrent append to
    /// the same audit stream does too. Nothing runs after the commit that could fail.
    /// </summary>
    public async Task<bool> WriteAsync(AuditScope? scope, Func<AuditTarget[]> targets,
        Func<IClientSessionHandle, CancellationToken, Task<bool>> write, CancellationToken ct)
    {
        using var session = await Client.StartSessionAsync(cancellationToken: ct);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await session.WithTransactionAsync(async (s, token) =>
                {
                    if (!await write(s, token)) throw new Refused();
                    if (scope is not null)
                        await Audit.AppendInTransactionAsync(scope.Event(targets()), s, token);
                    return true;
                }, Transaction, ct);
                break;
            }
            catch (Refused)
            {
                return false;
            }
            catch (Rerun) when (attempt < MaxReruns)
            {
                // What the transaction read moved before its write landed (another append to the
                // same audit stream, a ballot revised meanwhile): run it again on fresh reads.
            }
        }
        scope?.Committed();
        return true;
    }

    /// <summary>A write without a version precondition.</summary>
    public Task WriteAsync(AuditScope? scope, Func<AuditTarget[]> targets, Func<IClientSessionHandle, CancellationToken, Task> write, CancellationToken ct) =>
        WriteAsync(scope, targets, async (s, token) =>
        {
            await write(s, token);
            return true;
        }, ct);

    private sealed class Refused : Exception;

    /// <summary>Thrown inside a <see cref="WriteAsync"/> transaction: abort it and run it again.</summary>
    public sealed class Rerun(string reason, Exception? inner = null) : Exception(reason, inner);

    public void Dispose()
    {
        if (ownsClient) Client.Dispose();
    }
}

/// <summary>The configured MongoDB deployment cannot run the registry; the message says why and what to do.</summary>
public sealed class MongoDeploymentException(string message, Exception? inner = null) : Exception(message, inner);
