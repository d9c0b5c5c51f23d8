using System.Globalization;
using DanVanKheo.Seed.Generation;

namespace DanVanKheo.Seed;

public enum StoreKind
{
    LiteDb,
    Mongo,
}

/// <summary>Where the seed writes: a LiteDB file or a MongoDB database.</summary>
public sealed record StoreTarget(StoreKind Kind, string Location, string Database)
{
    /// <summary>The API's default store (<see cref="Api.Storage.StorageOptions.DefaultLiteDbPath"/>): seeding without --store fills the file the API opens.</summary>
    public static string DefaultLiteDbPath => Api.Storage.StorageOptions.DefaultLiteDbPath;
    public const string DefaultMongoDatabase = "danvankheo";

    public static StoreTarget Default => new(StoreKind.LiteDb, DefaultLiteDbPath, DefaultMongoDatabase);

    public static StoreTarget Parse(string value, string? database)
    {
        if (value.StartsWith("mongodb://", StringComparison.Ordinal) || value.StartsWith("mongodb+srv://", StringComparison.Ordinal))
        {
            var fromUri = MongoDB.Driver.MongoUrl.Create(value).DatabaseName;
            return new StoreTarget(StoreKind.Mongo, value, database ?? fromUri ?? DefaultMongoDatabase);
        }
        if (value.StartsWith("litedb:", StringComparison.Ordinal))
        {
            var path = value["litedb:".Length..];
            if (path.Length == 0) throw new ArgumentException("--store litedb: needs a file path, e.g. litedb:data/danvankheo.db.");
            return new StoreTarget(StoreKind.LiteDb, path, DefaultMongoDatabase);
        }
        throw new ArgumentException($"--store must be litedb:PATH or a mongodb:// URI, not '{value}'.");
    }

    /// <summary>For messages: never shows MongoDB credentials.</summary>
    public override string ToString() => Kind == StoreKind.LiteDb
        ? "LiteDB file " + Path.GetFullPath(Location)
        : $"MongoDB database {Database} on {string.Join(',', MongoDB.Driver.MongoUrl.Create(Location).Servers)}";
}

public sealed record SeedCommand
{
    public StoreTarget Store { get; init; } = StoreTarget.Default;
    public SeedOptions Options { get; init; } = new() { Entries = SeedOptions.DefaultEntries(SeedScale.Province) };
    public bool Append { get; init; }
    public bool Reset { get; init; }
    public bool Yes { get; init; }
    public bool Help { get; init; }

    /// <summary>The help, with the default store's path filled in.</summary>
    public static string HelpText => string.Format(CultureInfo.InvariantCulture, HelpTemplate, StoreTarget.DefaultLiteDbPath);

    private const string HelpTemplate = """
        Seeds a DanVanKheo store with a realistic, deterministic dataset (units, fields, entries).

        Usage: dotnet run --project seed -- [options]

        Options:
          --store <target>      litedb:PATH or mongodb://… URI (default: the API's default
                                store, litedb:{0})
          --database <name>     MongoDB database when the URI names none (default: danvankheo)
          --seed <n>            random seed; the same seed gives the same data (default: 42)
          --entries <n>         entries to generate (default: 200000 for province, 1000000 for national)
          --units <scale>       province: Kiên Giang and its 2025 successor An Giang;
                                national: all 34 provinces, ~3,300 communes (default: province)
          --batch <n>           entries per bulk insert (default: 5000)
          --append              add to a store that already holds data
          --reset               empty the store first (deletes the LiteDB file / drops the MongoDB database)
          --yes                 do not ask before --reset
          -h, --help            show this help

        Exit codes: 0 done, 1 refused or failed, 2 bad arguments, 130 cancelled.
        """;

    /// <exception cref="ArgumentException">the arguments are not valid; the message says why.</exception>
    public static SeedCommand Parse(IReadOnlyList<string> args)
    {
        string? store = null, database = null;
        int? seed = null, entries = null, batch = null;
        var scale = SeedScale.Province;
        bool append = false, reset = false, yes = false;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            string Value() => i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal)
                ? args[++i] : throw new ArgumentException($"{arg} needs a value.");
            int Int(int min, int max)
            {
                var text = Value().Replace("_", "", StringComparison.Ordinal);
                return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max
                    ? n : throw new ArgumentException($"{arg} must be a whole number from {min:N0} to {max:N0}, not '{text}'.");
            }
            switch (arg)
            {
                case "-h" or "--help" or "-?": return new SeedCommand { Help = true };
                case "--store": store = Value(); break;
                case "--database": database = Value(); break;
                case "--seed": seed = Int(int.MinValue, int.MaxValue); break;
                case "--entries": entries = Int(0, SeedOptions.MaxEntries); break;
                case "--batch": batch = Int(1, 50_000); break;
                case "--units":
                    scale = Value().ToLowerInvariant() switch
                    {
                        "province" => SeedScale.Province,
                        "national" => SeedScale.National,
                        var other => throw new ArgumentException($"--units must be province or national, not '{other}'."),
                    };
                    break;
                case "--append": append = true; break;
                case "--reset": reset = true; break;
                case "--yes" or "-y": yes = true; break;
                default: throw new ArgumentException($"Unknown option '{arg}'. See --help.");
            }
        }
        if (append && reset) throw new ArgumentException("--append and --reset contradict each other: choose one.");
        var defaults = new SeedOptions();
        return new SeedCommand
        {
            Store = store is null ? StoreTarget.Default with { Database = database ?? StoreTarget.DefaultMongoDatabase } : StoreTarget.Parse(store, database),
            Options = new SeedOptions
            {
                Seed = seed ?? defaults.Seed,
                Entries = entries ?? SeedOptions.DefaultEntries(scale),
                Scale = scale,
                BatchSize = batch ?? defaults.BatchSize,
            },
            Append = append,
            Reset = reset,
            Yes = yes,
        };
    }
}

public enum WriteDecision
{
    /// <summary>Write: the store is empty, or the caller asked to append.</summary>
    Write,
    /// <summary>Empty the store, then write.</summary>
    ResetThenWrite,
    /// <summary>Ask the operator before resetting.</summary>
    Confirm,
    /// <summary>The store holds data and neither --append nor --reset was given.</summary>
    RefuseNonEmpty,
}

public static class WritePolicy
{
    /// <summary>Whether the seed may write into the store as it finds it.</summary>
    public static WriteDecision Decide(bool storeHasData, bool append, bool reset, bool confirmed)
    {
        if (append && reset) throw new ArgumentException("--append and --reset contradict each other.");
        if (!storeHasData) return WriteDecision.Write;
        if (reset) return confirmed ? WriteDecision.ResetThenWrite : WriteDecision.Confirm;
        return append ? WriteDecision.Write : WriteDecision.RefuseNonEmpty;
    }
}
