using DanVanKheo.Api.Common;
using DanVanKheo.Api.Fields;

namespace DanVanKheo.Api.Entries;

/// <summary>Turns an entry's input into its content, with the field and the replicated entry it names (null when missing, for the rules to refuse).</summary>
public sealed class EntryContentReader(IFieldStore fields, IEntryStore entries)
{
    public async Task<(EntryContent Content, Field? Field, Entry? ReplicatedFrom)> ReadAsync(EntryContentInput input, CancellationToken ct)
    {
        var fieldId = GlobalId.Require(input.FieldId, Field.TypeName, "fieldId");
        var field = (await fields.GetByIdsAsync([fieldId], ct)).FirstOrDefault();
        Entry? replicatedFrom = null;
        string? replicatedFromId = null;
        if (input.ReplicatedFromEntryId is not null)
        {
            replicatedFromId = GlobalId.Require(input.ReplicatedFromEntryId, EntryLookup.TypeName, "replicatedFromEntryId");
            replicatedFrom = (await entries.GetByIdsAsync([replicatedFromId], ct)).FirstOrDefault(e => e.Status != EntryStatus.Draft);
        }
        var content = new EntryContent
        {
            Title = input.Title,
            Summary = input.Summary ?? "",
            Kind = input.Kind,
            ExemplarType = input.ExemplarType,
            Person = input.Person,
            FieldId = fieldId,
            Level = input.Level,
            StartDate = input.StartDate,
            Novelty = input.Novelty ?? EntryNovelty.New,
            ReplicatedFromEntryId = replicatedFromId,
            Results = input.Results ?? new EntryResults(),
            Evidence = input.Evidence ?? [],
            Tags = input.Tags ?? [],
        };
        return (content, field, replicatedFrom);
    }
}
