using DanVanKheo.Api.Audit;
using DanVanKheo.Api.Common;
using DanVanKheo.Api.Entries;
using DanVanKheo.Api.Fields;
using DanVanKheo.Api.Storage.LiteDb;
using DanVanKheo.Api.Storage.Mongo;
using DanVanKheo.Api.Units;
using MongoDB.Bson;
using MongoDB.Driver;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace DanVanKheo.Tests.Storage;

public static class MongoTestServer
{
    public const string SkipReason = "MONGODB_URI is not set and no Docker engine answered: no MongoDB server on this machine";

    /// <summary>Set by .ci/run when MONGODB_URI points at the wire-protocol emulator (docs/mongodb.md).</summary>
    public const string EmulatorVariable = "MONGODB_EMULATOR";

    private static readonly Lazy<string?> LazyUri = new(() =>
        Environment.GetEnvironmentVariable("MONGODB_URI") is { Length: > 0 } uri ? uri : Infrastructure.DockerMongo.TryStart());

    /// <summary>MONGODB_URI, else a MongoDB 8 replica set in Docker when an engine answers, else null (Mongo tests skip).</summary>
    public static string? Uri => LazyUri.Value;

    private static readonly Lazy<MongoClient> LazyClient = new(() => MongoContext.CreateClient(Uri!));

    /// <summary>One client for the whole run: each test gets its own database, not its own connection pool.</summary>
    public static MongoClient Client => LazyClient.Value;

    private static readonly Lazy<bool> LazyEmulator = new(() =>
    {
        if (Uri is null) return false;
        if (Environment.GetEnvironmentVariable(EmulatorVariable) is { Length: > 0 }) return true;
        try
        {
            var info = Client.GetDatabase("admin").RunCommand<BsonDocument>(new BsonDocument("buildInfo", 1));
            return info.GetValue("version", "").ToString()!.Contains("jongodb", StringComparison.OrdinalIgnoreCase) ||
                   info.GetValue("gitVersion", "").ToString()!.Contains("jongodb", StringComparison.OrdinalIgnoreCase);
        }
        catch (Exception e) when (e is MongoException or TimeoutException)
        {
            return false;
        }
    });

    /// <summary>The server is the emulator, not MongoDB: tests marked [EmulatorGap] are skipped.</summary>
    public static bool IsEmulator => LazyEmulator.Value;

    public static string NewDatabaseName(string prefix) => $"{prefix}_{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 25, 60)];

    /// <summary>
    /// Drops a test database; where the server has no dropDatabase (the emulator) every collection
    /// the registry uses is emptied instead, so a run never fails on its own cleanup.
    /// </summary>
    public static async Task DropAsync(string database)
    {
        try
        {
            await Client.DropDatabaseAsync(database);
            return;
        }
        catch (MongoCommandException)
        {
        }
        var db = Client.GetDatabase(database);
        foreach (var name in MongoCollections.All)
        {
            try
            {
                await db.GetCollection<BsonDocument>(name).DeleteManyAsync(FilterDefinition<BsonDocument>.Empty);
            }
            catch (MongoException)
            {
            }
        }
    }
}

/// <summary>
/// A Mongo test that cannot pass on the wire-protocol emulator because of one of its listed gaps
/// (docs/mongodb.md): skipped, with this reason, only when the server is the emulator.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class EmulatorGapAttribute(string gap) : Attribute
{
    public string Gap { get; } = gap;
}

/// <summary>A contract test class whose store needs a MongoDB server (see <see cref="StoreFactAttribute"/>).</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class RequiresMongoAttribute : Attribute;

/// <summary>A Mongo-only test: skipped when MONGODB_URI is not set, and on the emulator when marked [EmulatorGap].</summary>
[XunitTestCaseDiscoverer("DanVanKheo.Tests.Storage.MongoFactDiscoverer", "DanVanKheo.Tests")]
[AttributeUsage(AttributeTargets.Method)]
public sealed class MongoFactAttribute : FactAttribute;

/// <summary>
/// A contract test declared once in an abstract base. An attribute cannot tell which subclass it
/// is run for, so the discoverer decides: in a [RequiresMongo] class without MONGODB_URI the test
/// is reported as skipped instead of failing on a connection timeout.
/// </summary>
[XunitTestCaseDiscoverer("DanVanKheo.Tests.Storage.StoreFactDiscoverer", "DanVanKheo.Tests")]
[AttributeUsage(AttributeTargets.Method)]
public sealed class StoreFactAttribute : FactAttribute;

/// <summary>The theory form of <see cref="StoreFactAttribute"/>.</summary>
[XunitTestCaseDiscoverer("DanVanKheo.Tests.Storage.StoreTheoryDiscoverer", "DanVanKheo.Tests")]
[AttributeUsage(AttributeTargets.Method)]
public sealed class StoreTheoryAttribute : TheoryAttribute;

internal static class StoreSkip
{
    public static string? Reason(ITestMethod method) =>
        method.TestClass.Class.GetCustomAttributes(typeof(RequiresMongoAttribute).AssemblyQualifiedName!).Any()
            ? MongoReason(method)
            : null;

    /// <summary>Why a test that runs against MongoDB is skipped here, if it is.</summary>
    public static string? MongoReason(ITestMethod method)
    {
        if (MongoTestServer.Uri is null) return MongoTestServer.SkipReason;
        var gap = method.Method.GetCustomAttributes(typeof(EmulatorGapAttribute).AssemblyQualifiedName!).FirstOrDefault();
        return gap is not null && MongoTestServer.IsEmulator
            ? "Emulator gap: " + gap.GetConstructorArguments().Single()
            : null;
    }

    public static IXunitTestCase Skipped(IMessageSink sink, ITestFrameworkDiscoveryOptions options, ITestMethod method, string reason) =>
        new XunitSkippedDataRowTestCase(sink, options.MethodDisplayOrDefault(), options.MethodDisplayOptionsOrDefault(), method, reason);
}

public sealed class StoreFactDiscoverer(IMessageSink diagnosticMessageSink) : FactDiscoverer(diagnosticMessageSink)
{
    public override IEnumerable<IXunitTestCase> Discover(
        ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute) =>
        StoreSkip.Reason(testMethod) is { } reason
            ? [StoreSkip.Skipped(DiagnosticMessageSink, discoveryOptions, testMethod, reason)]
            : base.Discover(discoveryOptions, testMethod, factAttribute);
}

/// <summary>
/// A test through the API factory, whose store is MongoDB when the run sets DVK_TEST_STORE=mongo:
/// there, on the emulator, a test marked [EmulatorGap] is skipped with the gap as its reason.
/// </summary>
[XunitTestCaseDiscoverer("DanVanKheo.Tests.Storage.ApiFactDiscoverer", "DanVanKheo.Tests")]
[AttributeUsage(AttributeTargets.Method)]
public sealed class ApiFactAttribute : FactAttribute;

public sealed class ApiFactDiscoverer(IMessageSink diagnosticMessageSink) : FactDiscoverer(diagnosticMessageSink)
{
    public override IEnumerable<IXunitTestCase> Discover(
        ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute) =>
        Environment.GetEnvironmentVariable(Infrastructure.RegistryApiFactory.StoreVariable) == "mongo" && StoreSkip.MongoReason(testMethod) is { } reason
            ? [StoreSkip.Skipped(DiagnosticMessageSink, discoveryOptions, testMethod, reason)]
            : base.Discover(discoveryOptions, testMethod, factAttribute);
}

public sealed class MongoFactDiscoverer(IMessageSink diagnosticMessageSink) : FactDiscoverer(diagnosticMessageSink)
{
    public override IEnumerable<IXunitTestCase> Discover(
        ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute) =>
        StoreSkip.MongoReason(testMethod) is { } reason
            ? [StoreSkip.Skipped(DiagnosticMessageSink, discoveryOptions, testMethod, reason)]
            : base.Discover(discoveryOptions, testMethod, factAttribute);
}

public sealed class StoreTheoryDiscoverer(IMessageSink diagnosticMessageSink) : TheoryDiscoverer(diagnosticMessageSink)
{
    public override IEnumerable<IXunitTestCase> Discover(
        ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo theoryAttribute) =>
        StoreSkip.Reason(testMethod) is { } reason
            ? [StoreSkip.Skipped(DiagnosticMessageSink, discoveryOptions, testMethod, reason)]
            : base.Discover(discoveryOptions, testMethod, theoryAttribute);
}

/// <summary>A fresh, empty set of stores, thrown away after one test.</summary>
public interface IStoreHarness : IAsyncDisposable
{
    IUnitStore Units { get; }
    IFieldStore Fields { get; }
    IEntryStore Entries { get; }
    IAuditStore Audit { get; }
}

public sealed class LiteDbHarness : IStoreHarness
{
    private readonly string path = Path.Combine(Path.GetTempPath(), $"dvk-test-{Guid.NewGuid():N}.db");
    private readonly LiteDbContext db;

    /// <param name="searchIndex">false: entry searches scan the store, as they do while the index catches up.</param>
    public LiteDbHarness(bool searchIndex = true)
    {
        db = new LiteDbContext(path);
        if (searchIndex) Assert.True(db.EntryIndex.WaitUntilReady(TimeSpan.FromSeconds(30)));
        Units = new LiteDbUnitStore(db);
        Fields = new LiteDbFieldStore(db);
        Entries = new LiteDbEntryStore(db, searchIndex);
        Audit = new LiteDbAuditStore(db);
    }

    public LiteDbContext Context => db;

    public IUnitStore Units { get; }
    public IFieldStore Fields { get; }
    public IEntryStore Entries { get; }
    public IAuditStore Audit { get; }

    public ValueTask DisposeAsync()
    {
        db.Dispose();
        Infrastructure.RegistryApiFactory.DeleteTemporary(path, Path.ChangeExtension(path, null) + "-log.db", LiteDbContext.SearchDirectoryOf(path));
        return ValueTask.CompletedTask;
    }
}

public sealed class MongoHarness : IStoreHarness
{
    private readonly string database = MongoTestServer.NewDatabaseName("dvk_test");
    private readonly MongoContext db;

    private MongoHarness()
    {
        db = new MongoContext(MongoTestServer.Client, database);
        Units = new MongoUnitStore(db);
        Fields = new MongoFieldStore(db);
        Entries = new MongoEntryStore(db);
        Audit = db.Audit;
    }

    public static async Task<MongoHarness> CreateAsync()
    {
        var harness = new MongoHarness();
        await harness.db.EnsureIndexesAsync();
        return harness;
    }

    public IUnitStore Units { get; }
    public IFieldStore Fields { get; }
    public IEntryStore Entries { get; }
    public IAuditStore Audit { get; }

    public MongoContext Context => db;

    public async ValueTask DisposeAsync()
    {
        await MongoTestServer.DropAsync(database);
        db.Dispose();
    }
}

/// <summary>Creates a fresh harness before each test and disposes it after.</summary>
public abstract class StoreContract : IAsyncLifetime
{
    private IStoreHarness? stores;

    protected abstract Task<IStoreHarness> CreateStoresAsync();

    protected IStoreHarness Stores => stores ?? throw new InvalidOperationException("Not initialised.");

    public async Task InitializeAsync() => stores = await CreateStoresAsync();

    public async Task DisposeAsync()
    {
        if (stores is not null) await stores.DisposeAsync();
    }
}

/// <summary>Test data built with the real domain rules.</summary>
public static class TestData
{
    public static readonly DateTime T0 = new(2025, 3, 1, 8, 0, 0, DateTimeKind.Utc);

    public static readonly Field KinhTe = Field.Standard[0];
    public static readonly Field VanHoa = Field.Standard[1];

    public static Unit Unit(string code, string name, Unit? parent = null, UnitKind kind = UnitKind.Commune,
        DateOnly? validFrom = null, DateOnly? validTo = null) =>
        UnitRules.Create(new UnitDraft(code, name, kind, parent?.Id, validFrom, validTo), parent, T0);

    public static EntryContent Content(string title, Field? field = null) => new()
    {
        Title = title,
        Summary = "Vận động nhân dân cùng tham gia, kết quả được ghi nhận.",
        Kind = EntryKind.Model,
        FieldId = (field ?? KinhTe).Id,
        Level = EntryLevel.Commune,
        Novelty = EntryNovelty.New,
    };

    public static Entry Draft(Unit unit, string title, long sequence, int year = 2024, Field? field = null,
        DateTime? now = null, Func<EntryContent, EntryContent>? with = null)
    {
        var content = Content(title, field);
        if (with is not null) content = with(content);
        return EntryRules.CreateDraft(content, unit, field ?? KinhTe, null, year, "nguoi-nhap", now ?? T0);
    }

    /// <summary>What the store does at registration, for entries built outside one: the code <paramref name="sequence"/> of <paramref name="year"/>.</summary>
    public static Entry WithCode(Entry registered, long sequence, int year)
    {
        registered.Year = year;
        EntryRules.AssignCode(registered, sequence);
        return registered;
    }

    public static Entry Registered(Unit unit, string title, long sequence, int year = 2024, Field? field = null,
        DateTime? now = null, Func<EntryContent, EntryContent>? with = null)
    {
        var entry = Draft(unit, title, sequence, year, field, now, with);
        EntryRules.Submit(entry, (now ?? T0).AddMinutes(1));
        return WithCode(entry, sequence, year);
    }

    /// <summary>Stored documents compared field by field, through their JSON form.</summary>
    public static void AssertSame<T>(T expected, T? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(System.Text.Json.JsonSerializer.Serialize(expected), System.Text.Json.JsonSerializer.Serialize(actual));
    }
}
