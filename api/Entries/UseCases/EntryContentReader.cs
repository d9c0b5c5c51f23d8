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

    /// <summary>The content after a partial update: what the input sent over what <paramref name="current"/> holds.</summary>
    public async Task<(EntryContent Content, Field? Field, Entry? ReplicatedFrom)> ReadAsync(UpdateEntryInput input, Entry current, CancellationToken ct)
    {
        var fieldId = input.Sent("fieldId")
            ? GlobalId.Require(input.Keep("fieldId", input.FieldId, ""), Field.TypeName, "fieldId")
            : current.FieldId;
        var field = (await fields.GetByIdsAsync([fieldId], ct)).FirstOrDefault();
        var replicatedFromId = input.Sent("replicatedFromEntryId")
            ? input.ReplicatedFromEntryId is null ? null : GlobalId.Require(input.ReplicatedFromEntryId, EntryLookup.TypeName, "replicatedFromEntryId")
            : current.ReplicatedFromEntryId;
        var replicatedFrom = replicatedFromId is null ? null
            : (await entries.GetByIdsAsync([replicatedFromId], ct)).FirstOrDefault(e => e.Status != EntryStatus.Draft);
        var content = new EntryContent
        {
            Title = input.Keep("title", input.Title, current.Title),
            Summary = input.KeepOrClear("summary", input.Summary, current.Summary) ?? "",
            Kind = input.Keep("kind", input.Kind, current.Kind),
            ExemplarType = input.KeepOrClear("exemplarType", input.ExemplarType, current.ExemplarType),
            Person = input.KeepOrClear("person", input.Person, current.Person),
            FieldId = fieldId,
            Level = input.Keep("level", input.Level, current.Level),
            StartDate = input.KeepOrClear("startDate", input.StartDate, current.StartDate),
            Novelty = input.Keep<EntryNovelty?>("novelty", input.Novelty, current.Novelty) ?? current.Novelty,
            ReplicatedFromEntryId = replicatedFromId,
            Results = input.KeepOrClear("results", input.Results, current.Results) ?? new EntryResults(),
            Evidence = input.KeepOrClear("evidence", input.Evidence, current.Evidence) ?? [],
            Tags = input.KeepOrClear("tags", input.Tags, current.Tags) ?? [],
        };
        return (content, field, replicatedFrom);
    }
}
