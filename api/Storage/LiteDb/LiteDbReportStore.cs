using System.Globalization;
using DanVanKheo.Api.Entries;
using DanVanKheo.Api.Reports;
using LiteDB;

namespace DanVanKheo.Api.Storage.LiteDb;

/// <summary>
/// The report's aggregation on the embedded store, from a maintained summary: one
/// <see cref="UnitSummary"/> row per (year, unit, lineage, drafts or not), plus each entry's last
/// contribution (a fact) so a change can be taken out. It follows the entry change sequence
/// (<c>entry_keys.Q</c>, written in every entry write's transaction): before each report the
/// entries changed since the summary's sequence are re-read and applied. The first build reads
/// every entry in chunks, in the background at start; it never takes the store's write gate,
/// and reports asked meanwhile are aggregated from the entries directly. See docs/reports.md.
/// </summary>
public sealed class LiteDbReportStore : IReportStore, IDisposable
{
    public const string GroupsCollection = "report_entry_groups";
    public const string FactsCollection = "report_entry_facts";
    private const string StateId = "report-summary";
    private const int ChunkSize = 5000;
    private const string Projection = "{ _id, Version, Year, UnitId, UnitLineage, FieldId, Kind, ExemplarType, Level, Status, Novelty, Results }";

    private readonly LiteDbContext _db;
    /// <summary>Serialises refreshes (the summary's only writers); entry writes never wait on it.</summary>
    private readonly Lock _refreshLock = new();
    /// <summary>True once the summary holds every entry up to its stored sequence.</summary>
    private volatile bool _built;
    /// <summary>Set on shutdown: a build stops at the next chunk (it resumes at the next start, version-checked).</summary>
    private volatile bool _stopping;

    public LiteDbReportStore(LiteDbContext db)
    {
        // Stores are built lazily, possibly on two threads at once: LiteDB's mapper and collection list
        // are not safe to change concurrently, so building one takes the write gate.
        lock (db.WriteGate)
        {
            _db = db;
            Groups.EnsureIndex("ix_year", "$.Year");
            Groups.EnsureIndex("ix_lineage", "$.UnitLineage[*]");
            Groups.EnsureIndex("ix_unit", "$.UnitId");
            _built = StoredSequence() is not null;
        }
    }

    private ILiteCollection<BsonDocument> Groups => _db.Database.GetCollection(GroupsCollection);
    private ILiteCollection<BsonDocument> Facts => _db.Database.GetCollection(FactsCollection);
    private ILiteCollection<BsonDocument> State => _db.Database.GetCollection("report_state");
    private ILiteCollection<BsonDocument> Entries => _db.Database.GetCollection("entries");

    private long? StoredSequence() => State.FindById(StateId) is { } state && state["Sequence"].IsNumber ? state["Sequence"].AsInt64 : null;

    /// <summary>True once the summary has been built (reports then read it instead of the entries).</summary>
    public bool IsBuilt => _built;

    public Task<IReadOnlyList<UnitSummary>> SummarizeAsync(ReportScope scope, CancellationToken ct = default)
    {
        if (!_built) return Task.FromResult(FromEntries(scope));
        Refresh();
        // One indexed read per scope unit (a handful: the unit and, with asOf, its predecessors).
        var rows = new Dictionary<string, UnitSummary>(StringComparer.Ordinal);
        foreach (var unitId in scope.UnitIds.Distinct())
        {
            var where = scope.IncludeSubunits ? LiteDbQuery.Eq("UnitLineage[*] ANY", unitId) : LiteDbQuery.Eq("UnitId", unitId);
            foreach (var doc in Groups.Query().Where(where).Where(LiteDbQuery.Eq("Year", scope.Year)).ToEnumerable())
                rows.TryAdd(doc["_id"].AsString, ToSummary(doc));
        }
        return Task.FromResult(ReportRules.Canonical(rows.Values.Where(u => ReportRules.InScope(u, scope))));
    }

    /// <summary>The same rows aggregated from the entries themselves: slow, used only until the summary is built.</summary>
    private IReadOnlyList<UnitSummary> FromEntries(ReportScope scope)
    {
        var rows = new Dictionary<string, UnitSummary>(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var unitId in scope.UnitIds.Distinct())
        {
            var where = scope.IncludeSubunits ? LiteDbQuery.Eq("UnitLineage[*] ANY", unitId) : LiteDbQuery.Eq("UnitId", unitId);
            foreach (var doc in Entries.Query().Where(where).Where(LiteDbQuery.Eq("Year", scope.Year)).Select(Projection).ToEnumerable())
                if (seen.Add(doc["_id"].AsString)) Accumulate(rows, FromEntry(doc), 1);
        }
        return ReportRules.Canonical(rows.Values.Where(u => u.Count > 0 && ReportRules.InScope(u, scope)));
    }

    /// <summary>Brings the summary up to date; returns how many entries were (re)applied.</summary>
    public int Refresh()
    {
        lock (_refreshLock)
        {
            var applied = 0;
            var sequence = StoredSequence();
            if (sequence is null)
            {
                // First build (or a summary kept by the older clock watermarks): every entry once, in id
                // order. Writes go on; whatever they change has a sequence above this one and is read again below.
                var from = _db.CommittedChangeSequence;
                var fresh = Facts.LongCount() == 0;
                var lastId = "";
                while (true)
                {
                    if (_stopping) return applied;
                    var chunk = Entries.Query().Where(LiteDbQuery.Gt("_id", lastId)).Select(Projection).Limit(ChunkSize).ToList();
                    if (chunk.Count == 0) break;
                    applied += Apply(chunk, null, fresh);
                    lastId = chunk[^1]["_id"].AsString;
                }
                sequence = from;
                Apply([], from, false);
            }
            while (!_stopping)
            {
                var keys = _db.EntryKeys.Query().Where(LiteDbQuery.Gt("Q", sequence.Value)).OrderBy("$.Q").Select("{ _id, Q }").Limit(ChunkSize).ToList();
                if (keys.Count == 0) break;
                var changed = Entries.Query().Where(LiteDbQuery.In("_id", keys.Select(k => k["_id"]).Distinct())).Select(Projection).ToList();
                sequence = keys[^1]["Q"].AsInt64;
                applied += Apply(changed, sequence, false);
            }
            _built = !_stopping;
            return applied;
        }
    }

    /// <summary>Stops a running build at its next chunk and waits for it, so the file is not closed under it.</summary>
    public void Dispose()
    {
        _stopping = true;
        lock (_refreshLock)
        {
            // Waits for the chunk in progress.
        }
    }

    /// <summary>Applies entries' current state in one transaction (version-checked, so re-reading is harmless).</summary>
    private int Apply(List<BsonDocument> changed, long? sequence, bool fresh)
    {
        var applied = 0;
        _db.Database.BeginTrans();
        try
        {
            var deltas = new Dictionary<string, UnitSummary>(StringComparer.Ordinal);
            var facts = new List<BsonDocument>();
            foreach (var doc in changed)
            {
                var id = doc["_id"].AsString;
                var version = doc["Version"].AsInt32;
                var fact = fresh ? null : Facts.FindById(id);
                if (fact is not null && fact["Version"].AsInt32 == version) continue;
                if (fact is not null) Accumulate(deltas, FromFact(fact), -1);
                var group = FromEntry(doc);
                Accumulate(deltas, group, 1);
                facts.Add(ToFact(id, version, group));
                applied++;
            }
            if (fresh) Facts.InsertBulk(facts);
            else Facts.Upsert(facts);
            foreach (var (key, delta) in deltas)
            {
                var stored = Groups.FindById(key);
                var total = delta;
                if (stored is not null)
                {
                    total = ToSummary(stored);
                    total.Add(delta);
                }
                if (total.Count <= 0) Groups.Delete(key);
                else Groups.Upsert(ToDocument(total));
            }
            if (sequence is { } q) State.Upsert(new BsonDocument { ["_id"] = StateId, ["Sequence"] = q });
            _db.Database.Commit();
        }
        catch
        {
            _db.Database.Rollback();
            throw;
        }
        return applied;
    }

    private static void Accumulate(Dictionary<string, UnitSummary> deltas, EntryGroup g, int sign)
    {
        var empty = UnitSummary.EmptyFor(g);
        if (!deltas.TryGetValue(empty.Key, out var delta)) deltas[empty.Key] = delta = empty;
        delta.Add(g, sign);
    }

    /// <summary>An entry's contribution: its dimensions, count 1, figures from its Results (missing ones count 0).</summary>
    private static EntryGroup FromEntry(BsonDocument d) =>
        ToGroup(d, d["Results"].IsDocument ? d["Results"].AsDocument : new BsonDocument(), 1);

    /// <summary>A stored fact: the same dimensions, figures at the top level.</summary>
    private static EntryGroup FromFact(BsonDocument d) => ToGroup(d, d, d["Count"].AsInt64);

    private static EntryGroup ToGroup(BsonDocument d, BsonDocument figures, long count) => new()
    {
        Year = d["Year"].AsInt32,
        UnitId = d["UnitId"].AsString,
        UnitLineage = d["UnitLineage"].AsArray.Select(v => v.AsString).ToList(),
        FieldId = d["FieldId"].AsString,
        Kind = Enum.Parse<EntryKind>(d["Kind"].AsString),
        ExemplarType = d["ExemplarType"].IsString ? Enum.Parse<ExemplarType>(d["ExemplarType"].AsString) : null,
        Level = Enum.Parse<EntryLevel>(d["Level"].AsString),
        Status = Enum.Parse<EntryStatus>(d["Status"].AsString),
        Novelty = Enum.Parse<EntryNovelty>(d["Novelty"].AsString),
        Count = count,
        HouseholdsReached = Long(figures["HouseholdsReached"]),
        PeopleReached = Long(figures["PeopleReached"]),
        MoneyMobilizedVnd = Long(figures["MoneyMobilizedVnd"]),
        LandDonatedM2 = figures["LandDonatedM2"].IsNumber ? figures["LandDonatedM2"].AsDouble : 0,
        Workdays = Long(figures["Workdays"]),
    };

    private static long Long(BsonValue v) => v.IsNumber ? v.AsInt64 : 0;

    private static BsonDocument ToFact(string id, int version, EntryGroup g) => new()
    {
        ["_id"] = id,
        ["Version"] = version,
        ["Year"] = g.Year,
        ["UnitId"] = g.UnitId,
        ["UnitLineage"] = new BsonArray(g.UnitLineage.Select(x => new BsonValue(x))),
        ["FieldId"] = g.FieldId,
        ["Kind"] = g.Kind.ToString(),
        ["ExemplarType"] = g.ExemplarType?.ToString() ?? BsonValue.Null,
        ["Level"] = g.Level.ToString(),
        ["Status"] = g.Status.ToString(),
        ["Novelty"] = g.Novelty.ToString(),
        ["Count"] = g.Count,
        ["HouseholdsReached"] = g.HouseholdsReached,
        ["PeopleReached"] = g.PeopleReached,
        ["MoneyMobilizedVnd"] = g.MoneyMobilizedVnd,
        ["LandDonatedM2"] = g.LandDonatedM2,
        ["Workdays"] = g.Workdays,
    };

    private static BsonDocument ToDocument(UnitSummary u)
    {
        static BsonDocument T(SortedDictionary<string, long> d)
        {
            var doc = new BsonDocument();
            foreach (var (k, v) in d) doc[k] = v;
            return doc;
        }
        return new BsonDocument
        {
            ["_id"] = u.Key,
            ["Year"] = u.Year,
            ["UnitId"] = u.UnitId,
            ["UnitLineage"] = new BsonArray(u.UnitLineage.Select(x => new BsonValue(x))),
            ["Drafts"] = u.Drafts,
            ["Count"] = u.Count,
            ["HouseholdsReached"] = u.HouseholdsReached,
            ["PeopleReached"] = u.PeopleReached,
            ["MoneyMobilizedVnd"] = u.MoneyMobilizedVnd,
            ["LandDonatedM2"] = u.LandDonatedM2,
            ["Workdays"] = u.Workdays,
            ["ByField"] = T(u.ByField),
            ["ByKind"] = T(u.ByKind),
            ["ByLevel"] = T(u.ByLevel),
            ["ByStatus"] = T(u.ByStatus),
            ["ByNovelty"] = T(u.ByNovelty),
            ["RecognizedByLevel"] = T(u.RecognizedByLevel),
        };
    }

    private static UnitSummary ToSummary(BsonDocument d)
    {
        static SortedDictionary<string, long> T(BsonValue v)
        {
            var tally = new SortedDictionary<string, long>(StringComparer.Ordinal);
            if (v.IsDocument) foreach (var (k, n) in v.AsDocument) tally[k] = n.AsInt64;
            return tally;
        }
        return new UnitSummary
        {
            Year = d["Year"].AsInt32,
            UnitId = d["UnitId"].AsString,
            UnitLineage = d["UnitLineage"].AsArray.Select(v => v.AsString).ToList(),
            Drafts = d["Drafts"].AsBoolean,
            Count = d["Count"].AsInt64,
            HouseholdsReached = d["HouseholdsReached"].AsInt64,
            PeopleReached = d["PeopleReached"].AsInt64,
            MoneyMobilizedVnd = d["MoneyMobilizedVnd"].AsInt64,
            LandDonatedM2 = d["LandDonatedM2"].AsDouble,
            Workdays = d["Workdays"].AsInt64,
            ByField = T(d["ByField"]),
            ByKind = T(d["ByKind"]),
            ByLevel = T(d["ByLevel"]),
            ByStatus = T(d["ByStatus"]),
            ByNovelty = T(d["ByNovelty"]),
            RecognizedByLevel = T(d["RecognizedByLevel"]),
        };
    }
}
