using System.Text.RegularExpressions;
using DanVanKheo.Api.Audit;
using DanVanKheo.Api.Entries;
using DanVanKheo.Api.Replications;
using DanVanKheo.Api.Reports;
using DanVanKheo.Api.Storage.Mongo;
using DanVanKheo.Api.Units;
using MongoDB.Bson;
using MongoDB.Driver;

namespace DanVanKheo.Tests.Storage;

/// <summary>The MongoDB report summary's invariants, the seed CLI's preparation of a database, and the query plans.</summary>
public sealed partial class MongoReportSummaryTests
{
    private static string RepoFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "api", "appsettings.json"))) return dir.FullName;
        throw new DirectoryNotFoundException("api/appsettings.json not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex(@"\b(?:Entries|Col)\s*\.\s*(?:InsertOne|InsertMany|ReplaceOne|UpdateOne|UpdateMany|DeleteOne|DeleteMany|FindOneAnd\w+|BulkWrite)\w*\s*\(")]
    private static partial Regex EntryWrite();

    /// <summary>What a file writes to the entries collection outside <see cref="MongoEntryWrites"/>, line by line.</summary>
    public static IReadOnlyList<string> DirectEntryWrites(string fileName, string source)
    {
        if (fileName == "MongoEntryWrites.cs") return [];
        var found = new List<string>();
        foreach (var (line, i) in source.Split('\n').Select((l, i) => (l, i)))
        {
            // 'Col' is the entries collection only in the entry adapter; elsewhere it names the adapter's own collection.
            var write = EntryWrite().Match(line);
            if (write.Success && (write.Value.StartsWith("Entries", StringComparison.Ordinal) || fileName == "MongoEntryStore.cs"))
                found.Add($"{fileName}:{i + 1}: {line.Trim()}");
            if (line.Contains("MongoCollections.Entries", StringComparison.Ordinal) &&
                fileName is not ("MongoContext.cs" or "MongoIndexes.cs" or "MongoCollections.cs"))
                found.Add($"{fileName}:{i + 1}: {line.Trim()}");
        }
        return found;
    }

    /// <summary>
    /// The summary is kept by the write, not by a later refresh: a write to the entries collection
    /// anywhere but <see cref="MongoEntryWrites"/> would change an entry without its summary rows.
    /// </summary>
    [Fact]
    public void Only_the_entry_writes_helper_writes_the_entries_collection()
    {
        var folder = Path.Combine(RepoFolder(), "api", "Storage", "Mongo");
        var files = Directory.GetFiles(folder, "*.cs");
        Assert.Contains(files, f => Path.GetFileName(f) == "MongoEntryWrites.cs");
        var found = files.SelectMany(f => DirectEntryWrites(Path.GetFileName(f), File.ReadAllText(f))).ToList();
        Assert.True(found.Count == 0, "Entry writes that bypass the report summary:\n" + string.Join("\n", found));

        // The scan sees the writes it must refuse.
        Assert.NotEmpty(DirectEntryWrites("MongoRoundStore.cs", "await db.Entries.ReplaceOneAsync(s, filter, after, cancellationToken: token);"));
        Assert.NotEmpty(DirectEntryWrites("MongoEntryStore.cs", "(s, token) => Col.InsertOneAsync(s, entry, cancellationToken: token)"));
        Assert.NotEmpty(DirectEntryWrites("MongoReportStore.cs", "db.Collection<BsonDocument>(MongoCollections.Entries).UpdateManyAsync(f, u);"));
        Assert.Empty(DirectEntryWrites("MongoAuditStore.cs", "await Col.InsertOneAsync(session, e, cancellationToken: ct);"));
    }

    /// <summary>A database filled before the summary existed: the start (or the seed CLI) summarises it once, and only once.</summary>
    [MongoFact]
    public async Task A_missing_summary_is_built_once_from_the_stored_entries_at_start()
    {
        var name = MongoTestServer.NewDatabaseName("dvk_summary");
        using var db = new MongoContext(MongoTestServer.Client, name);
        try
        {
            await db.PrepareAsync();
            var f = new StoreFixtures();
            var province = f.Unit("Tỉnh Sóc Trăng", UnitKind.Province);
            var commune = f.Unit("Xã Đại Ân", UnitKind.Commune, province);
            var entries = Enumerable.Range(0, 12).Select(i => f.Entry(i % 2 == 0 ? commune : province, $"Mô hình {i}",
                status: i % 3 == 0 ? EntryStatus.Draft : EntryStatus.Registered, results: new EntryResults { PeopleReached = i * 10 })).ToList();
            await new MongoEntryStore(db).InsertManyAsync(entries);
            var scope = new ReportScope([province.Id], true, 2024, EntryVisibility.Everything);
            var reports = new MongoReportStore(db);
            var expected = ReplicationStoreContract.Describe(ReportRules.SummarizeInMemory(entries, scope));
            Assert.Equal(expected, ReplicationStoreContract.Describe(await reports.SummarizeAsync(scope)));

            // As an older version left it: entries, no summary, no marker.
            await db.ReportSummary.DeleteManyAsync(FilterDefinition<BsonDocument>.Empty);
            await db.Counters.DeleteManyAsync(Builders<BsonDocument>.Filter.Eq("_id", "report-summary"));
            Assert.Empty(await reports.SummarizeAsync(scope));

            Assert.True(await MongoReportSummary.BuildIfMissingAsync(db));
            Assert.Equal(expected, ReplicationStoreContract.Describe(await reports.SummarizeAsync(scope)));
            // A second start (or instance) finds it built and counts nothing twice.
            Assert.False(await MongoReportSummary.BuildIfMissingAsync(db));
            await db.PrepareAsync();
            Assert.Equal(expected, ReplicationStoreContract.Describe(await reports.SummarizeAsync(scope)));
        }
        finally
        {
            await MongoTestServer.DropAsync(name);
        }
    }

    /// <summary>Every index name inside the winning plan of an explain answer, wherever the server version nests it.</summary>
    private static HashSet<string> WinningIndexes(BsonValue explain, bool inWinning = false)
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        if (explain is BsonDocument d)
        {
            foreach (var e in d)
            {
                if (inWinning && e.Name == "indexName" && e.Value.IsString) found.Add(e.Value.AsString);
                if (e.Name == "rejectedPlans") continue;
                found.UnionWith(WinningIndexes(e.Value, inWinning || e.Name == "winningPlan"));
            }
        }
        else if (explain is BsonArray a)
            foreach (var v in a) found.UnionWith(WinningIndexes(v, inWinning));
        return found;
    }

    private static async Task<HashSet<string>> ExplainFindAsync(IMongoDatabase db, string collection, BsonDocument filter, BsonDocument? sort = null)
    {
        var find = new BsonDocument { ["find"] = collection, ["filter"] = filter };
        if (sort is not null) find["sort"] = sort;
        var answer = await db.RunCommandAsync<BsonDocument>(new BsonDocument { ["explain"] = find, ["verbosity"] = "queryPlanner" });
        return WinningIndexes(answer);
    }

    /// <summary>
    /// docs/mongodb.md names the index each query uses; the server's own plan must agree. Runs
    /// on MongoDB (Testcontainers or MONGODB_URI); the emulator has no explain.
    /// </summary>
    [MongoFact]
    [EmulatorGap("explain")]
    public async Task The_server_plans_each_named_query_on_the_index_docs_mongodb_md_names()
    {
        var name = MongoTestServer.NewDatabaseName("dvk_explain");
        using var db = new MongoContext(MongoTestServer.Client, name);
        try
        {
            await db.PrepareAsync();
            // Enough documents that the planner compares plans on data, not on empty collections.
            var f = new StoreFixtures();
            var province = f.Unit("Tỉnh Bến Tre", UnitKind.Province);
            var communes = Enumerable.Range(0, 10).Select(i => f.Unit($"Xã Bến {i}", UnitKind.Commune, province)).ToList();
            await new MongoUnitStore(db).InsertManyAsync([province, .. communes]);
            var entries = Enumerable.Range(0, 200).Select(i => f.Entry(communes[i % 10], $"Mô hình Bến Tre {i}", year: 2020 + i % 5)).ToList();
            await new MongoEntryStore(db).InsertManyAsync(entries);
            var reps = Enumerable.Range(0, 100).Select(i => StoreFixtures.Replicate(entries[i], communes[(i + 1) % 10],
                plannedOn: new DateOnly(2020 + i % 5, 3, 1))).ToList();
            await new MongoReplicationStore(db).InsertManyAsync(reps);
            for (var i = 0; i < 50; i++)
                await db.Audit.AppendAsync(new AuditEvent { Kind = AuditKind.Security, Stream = $"security-{i % 5}", Timestamp = StoreFixtures.Now.AddMinutes(i),
                    ActorId = $"actor-{i % 7}", Action = "createUnit", UnitId = communes[i % 10].Id, TargetIds = [communes[i % 10].Id], TargetType = "Unit" });

            var d = db.Database;
            var lineage = new BsonDocument("$in", new BsonArray { province.Id });
            Assert.Contains("ix_year_lineage", await ExplainFindAsync(d, MongoCollections.ReportSummary, new BsonDocument { ["Year"] = 2024, ["UnitLineage"] = lineage }));
            Assert.Contains("ix_year_unit", await ExplainFindAsync(d, MongoCollections.ReportSummary,
                new BsonDocument { ["Year"] = 2024, ["UnitId"] = new BsonDocument("$in", new BsonArray { communes[0].Id }) }));
            Assert.Contains("ix_adopting_lineage_id", await ExplainFindAsync(d, MongoCollections.Replications,
                new BsonDocument { ["AdoptingUnitLineage"] = lineage, ["_id"] = new BsonDocument("$gt", "") }, new BsonDocument("_id", 1)));
            Assert.Contains("ix_ancestors", await ExplainFindAsync(d, MongoCollections.Units, new BsonDocument("AncestorIds", province.Id), new BsonDocument("Code", 1)));
            Assert.Contains("ix_lineage", await ExplainFindAsync(d, MongoCollections.Entries, new BsonDocument("UnitLineage", communes[3].Id), new BsonDocument("Code", 1)));
            Assert.Contains("ix_targets_order", await ExplainFindAsync(d, MongoCollections.Audit, new BsonDocument("TargetIds", communes[2].Id), new BsonDocument("OrderKey", -1)));
            Assert.Contains("ix_actor_order", await ExplainFindAsync(d, MongoCollections.Audit, new BsonDocument("ActorId", "actor-3"), new BsonDocument("OrderKey", -1)));
            Assert.Contains("ux_stream_seq", await ExplainFindAsync(d, MongoCollections.Audit,
                new BsonDocument { ["Stream"] = "security-2", ["Sequence"] = new BsonDocument("$gte", 3) }, new BsonDocument("Sequence", 1)));
            Assert.Contains("ix_stream_heads", await ExplainFindAsync(d, MongoCollections.Audit,
                new BsonDocument { ["Sequence"] = 1, ["Stream"] = new BsonDocument("$gt", "security-1") }, new BsonDocument("Stream", 1)));

            foreach (var (filter, index) in new[]
                     {
                         (new LeaderboardFilter { SourceUnitSubtree = province.Id, Year = 2022 }, "ix_source_lineage_year"),
                         (new LeaderboardFilter { Year = 2022 }, "ix_year_source"),
                     })
            {
                var answer = await d.RunCommandAsync<BsonDocument>(new BsonDocument
                {
                    ["explain"] = new BsonDocument
                    {
                        ["aggregate"] = MongoCollections.Replications,
                        ["pipeline"] = new BsonArray(MongoReplicationStore.LeaderboardPipeline(filter, 10)),
                        ["cursor"] = new BsonDocument(),
                    },
                    ["verbosity"] = "queryPlanner",
                });
                Assert.Contains(index, WinningIndexes(answer));
            }
        }
        finally
        {
            await MongoTestServer.DropAsync(name);
        }
    }
}
