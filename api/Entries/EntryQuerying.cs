using DanVanKheo.Api.Common;
using static DanVanKheo.Api.Common.QueryCapabilities;

namespace DanVanKheo.Api.Entries;

/// <summary>
/// What the entries lists (<c>entries</c>, <c>Unit.entries</c>) filter and sort by, and which
/// combinations the stores' indexes serve: the Lucene index (LiteDB) serves any, MongoDB the
/// single-field indexes for filters and the indexes named in docs/mongodb.md for orders.
/// </summary>
public static class EntryQuerying
{
    public const string Id = "id", Code = "code", Title = "title", Year = "year", Status = "status", Kind = "kind",
        UnitId = "unitId", SubtreeOf = "subtreeOf", FieldId = "fieldId", UpdatedAt = "updatedAt", Search = "search";

    public static QueryCapabilities Capabilities { get; } = new()
    {
        Connection = "entries",
        Fields = new Dictionary<string, IReadOnlySet<FilterOperator>>
        {
            [Id] = IdMatch,
            [Code] = Ops(FilterOperator.Eq, FilterOperator.Neq, FilterOperator.In, FilterOperator.Nin, FilterOperator.StartsWith, FilterOperator.Contains),
            [Title] = Ops(FilterOperator.StartsWith, FilterOperator.Contains),
            [Year] = Comparable,
            [Status] = Equality,
            [Kind] = Equality,
            [UnitId] = IdMatch,
            [SubtreeOf] = IdMatch,
            [FieldId] = IdMatch,
            [UpdatedAt] = QueryCapabilities.Range,
            [Search] = Ops(FilterOperator.StartsWith),
        },
        Orders =
        [
            ["code"], ["title"], ["updatedAt"], ["startDate"], ["year"],
            ["year", "code"], ["year", "title"], ["year", "updatedAt"],
        ],
    };

    public static EntrySortField SortField(string name) => name switch
    {
        "code" => EntrySortField.Code,
        "title" => EntrySortField.Title,
        "updatedAt" => EntrySortField.UpdatedAt,
        "startDate" => EntrySortField.StartDate,
        "year" => EntrySortField.Year,
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };
}
