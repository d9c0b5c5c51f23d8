using DanVanKheo.Api.Reports;

namespace DanVanKheo.Api.Storage.Mongo;

/// <summary>
/// The report's aggregation on MongoDB, read from the summary every entry write keeps in its own
/// transaction (<see cref="MongoReportSummary"/>): a few indexed documents per report instead of
/// a pipeline over the year's entries. docs/mongodb.md says why it is kept this way.
/// </summary>
public sealed class MongoReportStore(MongoContext db) : IReportStore
{
    public Task<IReadOnlyList<UnitSummary>> SummarizeAsync(ReportScope scope, CancellationToken ct = default) =>
        scope.UnitIds.Count == 0 ? Task.FromResult<IReadOnlyList<UnitSummary>>([]) : MongoReportSummary.ReadAsync(db, scope, ct);
}
