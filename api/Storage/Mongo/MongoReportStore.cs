using DanVanKheo.Api.Entries;
using DanVanKheo.Api.Reports;
using MongoDB.Bson;
using MongoDB.Driver;

namespace DanVanKheo.Api.Storage.Mongo;

/// <summary>
/// The report's aggregation on MongoDB: one pipeline over the entries collection ($match on year,
/// lineage and visibility, then $group by every report dimension). Assumes the entries adapter
/// stores C# property names as element names and enums as strings (as the embedded store does).
/// </summary>
public sealed class MongoReportStore(MongoContext db) : IReportStore
{

    public static BsonDocument[] Pipeline(ReportScope scope)
    {
        var ids = new BsonArray(scope.UnitIds.Distinct());
        var match = new BsonDocument
        {
            ["Year"] = scope.Year,
            [scope.IncludeSubunits ? "UnitLineage" : "UnitId"] = new BsonDocument("$in", ids),
        };
        var notDraft = new BsonDocument("Status", new BsonDocument("$ne", nameof(EntryStatus.Draft)));
        if (!scope.Visibility.AllDrafts)
        {
            if (scope.Visibility.DraftUnitScope is { } s)
                match["$or"] = new BsonArray { notDraft, new BsonDocument("UnitLineage", s) };
            else
                match.AddRange(notDraft);
        }
        return
        [
            new("$match", match),
            new("$group", new BsonDocument
            {
                ["_id"] = new BsonDocument
                {
                    ["Year"] = "$Year",
                    ["UnitId"] = "$UnitId",
                    ["UnitLineage"] = "$UnitLineage",
                    ["FieldId"] = "$FieldId",
                    ["Kind"] = "$Kind",
                    ["ExemplarType"] = new BsonDocument("$ifNull", new BsonArray { "$ExemplarType", BsonNull.Value }),
                    ["Level"] = "$Level",
                    ["Status"] = "$Status",
                    ["Novelty"] = "$Novelty",
                },
                ["Count"] = new BsonDocument("$sum", 1),
                ["HouseholdsReached"] = new BsonDocument("$sum", "$Results.HouseholdsReached"),
                ["PeopleReached"] = new BsonDocument("$sum", "$Results.PeopleReached"),
                ["MoneyMobilizedVnd"] = new BsonDocument("$sum", "$Results.MoneyMobilizedVnd"),
                ["LandDonatedM2"] = new BsonDocument("$sum", new BsonDocument("$toDouble", new BsonDocument("$ifNull", new BsonArray { "$Results.LandDonatedM2", 0 }))),
                ["Workdays"] = new BsonDocument("$sum", "$Results.Workdays"),
            }),
        ];
    }

    public async Task<IReadOnlyList<UnitSummary>> SummarizeAsync(ReportScope scope, CancellationToken ct = default)
    {
        if (scope.UnitIds.Count == 0) return [];
        var rows = await db.Collection<BsonDocument>(MongoCollections.Entries)
            .Aggregate<BsonDocument>(Pipeline(scope), cancellationToken: ct).ToListAsync(ct);
        // The server groups entries by every dimension; folding those rows into per-unit tallies is arithmetic.
        return ReportRules.Summarize(rows.Select(ToGroup));
    }

    public static EntryGroup ToGroup(BsonDocument d)
    {
        var k = d["_id"].AsBsonDocument;
        return new EntryGroup
        {
            Year = k["Year"].ToInt32(),
            UnitId = k["UnitId"].AsString,
            UnitLineage = k["UnitLineage"].AsBsonArray.Select(v => v.AsString).ToList(),
            FieldId = k["FieldId"].AsString,
            Kind = Enum.Parse<EntryKind>(k["Kind"].AsString),
            ExemplarType = k.GetValue("ExemplarType", BsonNull.Value).IsString ? Enum.Parse<ExemplarType>(k["ExemplarType"].AsString) : null,
            Level = Enum.Parse<EntryLevel>(k["Level"].AsString),
            Status = Enum.Parse<EntryStatus>(k["Status"].AsString),
            Novelty = Enum.Parse<EntryNovelty>(k["Novelty"].AsString),
            Count = d["Count"].ToInt64(),
            HouseholdsReached = d["HouseholdsReached"].ToInt64(),
            PeopleReached = d["PeopleReached"].ToInt64(),
            MoneyMobilizedVnd = d["MoneyMobilizedVnd"].ToInt64(),
            LandDonatedM2 = d["LandDonatedM2"].ToDouble(),
            Workdays = d["Workdays"].ToInt64(),
        };
    }
}
