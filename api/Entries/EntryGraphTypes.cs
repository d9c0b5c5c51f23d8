using DanVanKheo.Api.Common;
using DanVanKheo.Api.Audit;
using DanVanKheo.Api.Auth;
using DanVanKheo.Api.Fields;
using DanVanKheo.Api.GraphQL;
using DanVanKheo.Api.Units;
using GraphQL;
using GraphQL.DataLoader;
using GraphQL.Types;

namespace DanVanKheo.Api.Entries;

public sealed class EntryKindGraphType : EnumerationGraphType<EntryKind>
{
    public EntryKindGraphType()
    {
        Name = "EntryKind";
        Description = "MODEL (mô hình) or EXEMPLAR (điển hình).";
        this.DescribeValues(
            ("MODEL", "A model (mô hình): a way of working that other units can adopt."),
            ("EXEMPLAR", "An exemplar (điển hình): a collective or a person set as an example."));
    }
}

public sealed class ExemplarTypeGraphType : EnumerationGraphType<ExemplarType>
{
    public ExemplarTypeGraphType()
    {
        Name = "ExemplarType";
        Description = "Whether an exemplar is a collective or an individual.";
        this.DescribeValues(
            ("COLLECTIVE", "A collective exemplar: a group, team or organisation."),
            ("INDIVIDUAL", "An individual exemplar: one person, whose personal data is protected."));
    }
}

public sealed class EntryLevelGraphType : EnumerationGraphType<EntryLevel>
{
    public EntryLevelGraphType()
    {
        Name = "Level";
        Description = "Level (cấp): COMMUNE (cơ sở), DISTRICT (historical), PROVINCE, NATIONAL.";
        this.DescribeValues(
            ("COMMUNE", "The grassroots level (cấp cơ sở): communes and wards."),
            ("DISTRICT", "The district level, historical since 1/7/2025."),
            ("PROVINCE", "The provincial level."),
            ("NATIONAL", "The national level."));
    }
}

public sealed class EntryStatusGraphType : EnumerationGraphType<EntryStatus>
{
    public EntryStatusGraphType()
    {
        Name = "EntryStatus";
        Description = "DRAFT → REGISTERED → RECOGNIZED; DISCONTINUED.";
        this.DescribeValues(
            ("DRAFT", "Being written by its unit; visible only to the unit subtree's editors."),
            ("REGISTERED", "Submitted and public, with its code."),
            ("RECOGNIZED", "Recognised by a published round."),
            ("DISCONTINUED", "No longer carried on; kept for the record."));
    }
}

public sealed class EntryNoveltyGraphType : EnumerationGraphType<EntryNovelty>
{
    public EntryNoveltyGraphType()
    {
        Name = "EntryNovelty";
        Description = "Whether an entry is new, continues an earlier one, or replicates another unit's model.";
        this.DescribeValues(
            ("NEW", "A new model or exemplar of the unit."),
            ("CONTINUING", "Continues an entry of an earlier year."),
            ("REPLICATED", "Replicates another unit's model, named in replicatedFrom."));
    }
}

public sealed class EntryResultsGraphType : ObjectGraphType<EntryResults>
{
    public EntryResultsGraphType()
    {
        Name = "EntryResults";
        Description = "What the model or exemplar achieved.";
        Field(r => r.HouseholdsReached, nullable: true).Description("The number of households reached.");
        Field(r => r.PeopleReached, nullable: true).Description("The number of people reached.");
        Field(r => r.MoneyMobilizedVnd, nullable: true).Description("Money mobilised, in VND.");
        Field(r => r.LandDonatedM2, nullable: true).Description("Land donated, in square metres.");
        Field(r => r.Workdays, nullable: true).Description("The number of workdays contributed.");
        Field(r => r.Outcomes, nullable: true).Description("Other outcomes, free text.");
    }
}

public sealed class EvidenceLinkGraphType : ObjectGraphType<EvidenceLink>
{
    public EvidenceLinkGraphType()
    {
        Name = "EvidenceLink";
        Description = "A link to evidence: a report, article, photo album.";
        Field(l => l.Title).Description("What the link shows.");
        Field(l => l.Url).Description("An http(s) URL.");
    }
}

public sealed class ExemplarPersonGraphType : ObjectGraphType<ExemplarPerson>
{
    public ExemplarPersonGraphType()
    {
        Name = "ExemplarPerson";
        Description = "The person behind an individual exemplar. Visible to the unit's editors, admins and auditors only.";
        Field(p => p.FullName).Description("Full name, Vietnamese order (họ, tên đệm, tên).");
        Field(p => p.Position, nullable: true).Description("Position or occupation.");
        Field(p => p.Phone, nullable: true).Description("The person's phone number.");
        Field(p => p.Address, nullable: true).Description("The person's postal address.");
        Field(p => p.BirthDate, nullable: true).Description("Date of birth.");
    }
}

public sealed class EntryGraphType : ObjectGraphType<Entry>
{
    public const string TypeName = EntryLookup.TypeName;

    public EntryGraphType()
    {
        Name = TypeName;
        Description = "A registered model (mô hình) or exemplar (điển hình) of one unit.";
        Interface<NodeInterface>();
        IsTypeOf = o => o is Entry;
        Field<NonNullGraphType<IdGraphType>>("id").Description("The global id, accepted by node(id:) and by mutation inputs.").Resolve(c => GlobalId.Encode(TypeName, c.Source.Id));
        Field(e => e.Code)
            .Description("Registry code DVK-<year>-<6 digits>, assigned when the entry is submitted (registered), in registration order " +
                         "and contiguous within each year, and never reused. Before that the entry has no registry code: a DRAFT " +
                         "(and a draft discontinued without being registered) shows its private draft reference NHÁP-<32 characters> " +
                         "instead, which says nothing about other drafts and is replaced by the registry code at submission.");
        Field(e => e.Year).Description("The year the entry was registered, in Vietnam (the year in its code); for a DRAFT, the year it was created.");
        Field(e => e.Title).Description("Title in Vietnamese.");
        Field(e => e.Summary).Description("What the model or exemplar is and does.");
        Field<NonNullGraphType<EntryKindGraphType>>("kind").Description("Model or exemplar.").Resolve(c => c.Source.Kind);
        Field<ExemplarTypeGraphType>("exemplarType").Description("For exemplars: collective or individual.").Resolve(c => c.Source.ExemplarType);
        Field<ExemplarPersonGraphType>("person")
            .Description("For individual exemplars: the person. Null for callers who may not see personal data.")
            .RequirePolicy(Policies.PersonalDataOfTarget)
            .Resolve(c => c.Source.Person);
        Field<NonNullGraphType<FieldGraphType>>("field").Description("Field of work.").Resolve(c => c.LoadField(c.Source.FieldId));
        Field<NonNullGraphType<UnitGraphType>>("unit").Description("The owning unit.").Resolve(c => c.LoadUnit(c.Source.UnitId));
        Field(e => e.UnitNameAtRegistration).Description("The owning unit's name when the entry was registered.");
        Field<NonNullGraphType<EntryLevelGraphType>>("level").Description("The level the entry is registered at.").Resolve(c => c.Source.Level);
        Field(e => e.StartDate, nullable: true).Description("When the model or exemplar started.");
        Field<NonNullGraphType<EntryStatusGraphType>>("status").Description("The current status in its lifecycle.").Resolve(c => c.Source.Status);
        Field<NonNullGraphType<EntryNoveltyGraphType>>("novelty").Description("New, continuing or replicated.").Resolve(c => c.Source.Novelty);
        Field<EntryGraphType>("replicatedFrom").Description("The other unit's entry this one replicates, if any.")
            .Resolve(c => c.Source.ReplicatedFromEntryId is null ? null : c.LoadEntry(c.Source.ReplicatedFromEntryId));
        Field<NonNullGraphType<EntryResultsGraphType>>("results").Description("The outcome figures as reported.").Resolve(c => c.Source.Results);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<EvidenceLinkGraphType>>>>("evidence").Description("Links to evidence of the entry's results.").Resolve(c => c.Source.Evidence);
        Field(e => e.Tags).Description("Free tags for finding the entry.");
        Field(e => e.DiscontinuedReason, nullable: true).Description("Why the entry was discontinued.");
        Field(e => e.Version).Description("Optimistic concurrency version: send it back with changes.");
        Field(e => e.CreatedAt).Description("When the entry was created (UTC).");
        Field(e => e.UpdatedAt).Description("When the entry last changed (UTC).");
        Field(e => e.SubmittedAt, nullable: true).Description("When the entry was submitted (UTC).");
        Field(e => e.DiscontinuedAt, nullable: true).Description("When the entry was discontinued (UTC).");
        Rounds.RoundFields.ExtendEntry(this);
        AuditQueries.AddHistory(this, e => e.Id);
    }
}

public static class EntryLoaders
{
    /// <summary>Loads an entry by id for this caller: drafts they may not see come back as null.</summary>
    public static IDataLoaderResult<Entry?> LoadEntry(this IResolveFieldContext context, string id) => context.Loaders().Entries.Load(id);
}
