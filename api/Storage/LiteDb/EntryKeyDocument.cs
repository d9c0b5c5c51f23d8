using DanVanKheo.Api.Entries;
using LiteDB;

namespace DanVanKheo.Api.Storage.LiteDb;

/// <summary>
/// The slim copy of an entry that the embedded store's search index is built from (reading it
/// is an order of magnitude faster than reading whole entries); written in the same transaction
/// as the entry, with the change sequence (<c>Q</c>) the search index catches up from.
/// Short names keep it small.
/// </summary>
internal static class EntryKeyDocument
{
    public static BsonDocument From(Entry e, long changeSequence) => new()
    {
        ["_id"] = e.Id,
        ["Q"] = changeSequence,
        ["C"] = e.Code,
        ["T"] = new BsonArray(e.SearchTokens.Select(t => new BsonValue(t))),
        ["S"] = e.Status.ToString(),
        ["L"] = new BsonArray(e.UnitLineage.Select(u => new BsonValue(u))),
        ["U"] = e.UnitId,
        ["F"] = e.FieldId,
        ["K"] = e.Kind.ToString(),
        ["Y"] = e.Year,
        ["TK"] = e.TitleKey,
        ["UK"] = e.UpdatedKey,
        ["SK"] = e.StartKey,
    };
}
