using System.Globalization;
using DanVanKheo.Api.Entries;
using DanVanKheo.Api.Reports;
using LiteDB;

namespace DanVanKheo.Api.Storage.LiteDb;

/// <summary>
/// The report's aggregation on the embedded store, from a maintained summary: one
/// <see cref="UnitSummary"/> row per (year, unit, lineage, drafts or not).
/// LiteDB cannot group 200,000 entries in time (every document is read and deserialised), so
/// the summary is brought up to date incrementally before each report: entries whose
/// <c>UpdatedKey</c> (ticks|code, set on every entry write) or time-ordered id is past the last
/// watermark are re-read through those indexes, their previous contribution (kept per entry) is
/// taken out and the new one added. See docs/reports.md.
/// </summary>
public sealed class LiteDbReportStore : IReportStore
{
    public const string GroupsCollection = "report_entry_groups";
    public const string FactsCollection = "report_entry_facts";
    private const string StateId = "report-summary";
    /// <summary>How long a write may take between taking its timestamp and committing.</summary>
    public static readonly TimeSpan SafetyWindow = TimeSpan.FromMinutes(2);

    private readonly LiteDbContext _db;

    public LiteDbReportStore(LiteDbContext db)
    {
        _db = db;
        Groups.EnsureIndex("ix_year", "$.Year");
        Groups.EnsureIndex("ix_lineage", "$.UnitLineage[*]");
        Groups.EnsureIndex("ix_unit", "$.UnitId");
    }

    private ILiteCollection<BsonDocument> Groups => _db.Database.GetCollection(GroupsCollection);
    private ILiteCollection<BsonDocument> Facts => _db.Database.GetCollection(FactsCollection);
    private ILiteCollection<BsonDocument> State => _db.Database.GetCollection("report_state");

    public Task<IReadOnlyList<UnitSummary>> SummarizeAsync(ReportScope scope, CancellationToken ct = default)
    {
        Refresh();
        // One indexed read per scope unit (a handful: the unit and, with asOf, its predecessors).
        var rows = new Dictionary<string, UnitSummary>(StringComparer.Ordinal);
        foreach (var unitId in scope.UnitIds.Distinct())
        {
            var where = scope.IncludeSubunits ? Query.EQ("UnitLineage[*] ANY", unitId) : Query.EQ("UnitId", unitId);
            foreach (var doc in Groups.Find(Query.And(where, Query.EQ("Year", scope.Year))))
                rows.TryAdd(doc["_id"].AsString, ToSummary(doc));
        }
        return Task.FromResult(ReportRules.Canonical(rows.Values.Where(u => ReportRules.InScope(u, scope))));
    }

    /// <summary>Brings the summary up to date; returns how many entries were (re)applied.</summary>
    public int Refresh()
    {
        lock (_db.WriteGate)
        {
            var state = State.FindById(StateId);
            var watermark = state?["Watermark"].AsString ?? "";
            var idWatermark = state?["IdWatermark"].AsString ?? "";
            const string projection = "{ _id, Version, UpdatedKey, Year, UnitId, UnitLineage, FieldId, Kind, ExemplarType, Level, Status, Novelty, Results }";
            var entries = _db.Database.GetCollection("entries");
            // Two indexed range reads, never a scan: entries changed since the watermark (UpdatedKey is
            // set from the clock on every write) and entries inserted since (ids are time-ordered
            // UUIDv7, so bulk imports with historical timestamps are caught too).
            var changed = entries.Query()
                .Where(BsonExpression.Create("$.UpdatedKey > @0", new BsonValue(watermark)))
                .Select(projection).ToList();
            if (watermark.Length > 0)
            {
                var seen = changed.Select(d => d["_id"].AsString).ToHashSet(StringComparer.Ordinal);
                changed.AddRange(entries.Query()
                    .Where(BsonExpression.Create("$._id > @0", new BsonValue(idWatermark)))
                    .Select(projection).ToList().Where(d => !seen.Contains(d["_id"].AsString)));
                // Safety net for inserts whose id was minted before the id watermark but committed after
                // it (a long bulk insert): any entry without a fact is read by id. Key-only index scans.
                if (entries.Count() != Facts.Count() + changed.Count(d => Facts.FindById(d["_id"]) is null))
                {
                    var known = Facts.Query().Select("$._id").ToEnumerable().Select(d => d["_id"].AsString).ToHashSet(StringComparer.Ordinal);
                    foreach (var d in changed) known.Add(d["_id"].AsString);
                    var missing = entries.Query().Select("$._id").ToEnumerable().Select(d => d["_id"])
                        .Where(id => !known.Contains(id.AsString)).ToList();
                    if (missing.Count > 0)
                        changed.AddRange(entries.Query().Where(Query.In("_id", new BsonArray(missing))).Select(projection).ToList());
                }
            }
            if (changed.Count == 0 && watermark.Length > 0) return 0;

            var applied = 0;
            _db.Database.BeginTrans();
            try
            {
                var deltas = new Dictionary<string, UnitSummary>(StringComparer.Ordinal);
                var facts = new List<BsonDocument>();
                var newWatermark = watermark;
                var newIdWatermark = idWatermark;
                var fresh = state is null; // first run: no facts to take out yet
                foreach (var doc in changed)
                {
                    var key = doc["UpdatedKey"].AsString;
                    if (string.CompareOrdinal(key, newWatermark) > 0) newWatermark = key;
                    var id = doc["_id"].AsString;
                    if (string.CompareOrdinal(id, newIdWatermark) > 0) newIdWatermark = id;
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
                // Writes take their timestamp before they commit: the watermark never passes "now − window",
                // so a write still in flight is read next time (and skipped by version if seen already).
                var cap = (DateTime.UtcNow - SafetyWindow).Ticks.ToString("D19", CultureInfo.InvariantCulture);
                if (string.CompareOrdinal(newWatermark, cap) > 0) newWatermark = cap;
                State.Upsert(new BsonDocument { ["_id"] = StateId, ["Watermark"] = newWatermark, ["IdWatermark"] = newIdWatermark });
                _db.Database.Commit();
            }
            catch
            {
                _db.Database.Rollback();
                throw;
            }
            return applied;
        }
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
