using DanVanKheo.Api.Audit;
using DanVanKheo.Api.Auth;
using DanVanKheo.Api.Common;
using DanVanKheo.Api.Fields;
using DanVanKheo.Api.GraphQL;
using DanVanKheo.Api.Units;
using GraphQL;
using GraphQL.MicrosoftDI;
using GraphQL.Types;

namespace DanVanKheo.Api.Entries;

public sealed class ExemplarPersonInputGraphType : InputObjectGraphType<ExemplarPerson>
{
    public ExemplarPersonInputGraphType()
    {
        Name = "ExemplarPersonInput";
        Description = "The person behind an individual exemplar.";
        Field(p => p.FullName).Description("Full name, Vietnamese order.");
        Field(p => p.Position, nullable: true).Description("Position or occupation.");
        Field(p => p.Phone, nullable: true).Description("The person's phone number.");
        Field(p => p.Address, nullable: true).Description("The person's postal address.");
        Field(p => p.BirthDate, nullable: true).Description("Date of birth.");
    }
}

public sealed class EntryResultsInputGraphType : InputObjectGraphType<EntryResults>
{
    public EntryResultsInputGraphType()
    {
        Name = "EntryResultsInput";
        Description = "Outcome figures; all optional, none negative.";
        Field(r => r.HouseholdsReached, nullable: true).Description("The number of households reached.");
        Field(r => r.PeopleReached, nullable: true).Description("The number of people reached.");
        Field(r => r.MoneyMobilizedVnd, nullable: true).Description("Money mobilised, in VND.");
        Field(r => r.LandDonatedM2, nullable: true).Description("Land donated, in m².");
        Field(r => r.Workdays, nullable: true).Description("The number of workdays contributed.");
        Field(r => r.Outcomes, nullable: true).Description("Other outcomes, free text.");
    }
}

public sealed class EvidenceLinkInputGraphType : InputObjectGraphType<EvidenceLink>
{
    public EvidenceLinkInputGraphType()
    {
        Name = "EvidenceLinkInput";
        Description = "A link to evidence.";
        Field(l => l.Title).Description("What the link shows.");
        Field(l => l.Url).Description("An http(s) URL.");
    }
}

public abstract class EntryContentInputGraphType<T> : InputObjectGraphType<T> where T : IEntryContentInput
{
    /// <summary>The entry's content; in a partial update the required fields become optional (left out = unchanged).</summary>
    protected void AddContentFields(bool partial = false)
    {
        Required<StringGraphType>("title", partial).Description("The entry's title, 5–500 characters.");
        Field<StringGraphType>("summary").Description("A summary of the model or exemplar; required before submitting.");
        Required<EntryKindGraphType>("kind", partial).Description("Whether the entry is a model or an exemplar.");
        Field<ExemplarTypeGraphType>("exemplarType").Description("The kind of exemplar; required for exemplars, absent for models.");
        Field<ExemplarPersonInputGraphType>("person").Description("The person an individual exemplar is about; individual exemplars only.");
        Required<IdGraphType>("fieldId", partial).Description("The global id of the entry's field of work.");
        Required<EntryLevelGraphType>("level", partial).Description("The level the entry is registered at.");
        Field<DateOnlyGraphType>("startDate").Description("The day the model or exemplar started, if known.");
        Field<EntryNoveltyGraphType>("novelty").Description(partial
            ? "Whether the entry is new or replicated; it cannot be cleared."
            : "Whether the entry is new or replicated; NEW when left out.");
        Field<IdGraphType>("replicatedFromEntryId").Description("For REPLICATED entries: the global id of the other unit's entry it follows.");
        Field<EntryResultsInputGraphType>("results").Description("The outcome figures reported for the entry.");
        Field<ListGraphType<NonNullGraphType<EvidenceLinkInputGraphType>>>("evidence").Description("Links to evidence, at most 50.");
        Field<ListGraphType<NonNullGraphType<StringGraphType>>>("tags").Description("Free tags for finding the entry, at most 30.");
    }

    private global::GraphQL.Builders.FieldBuilder<T, object> Required<TGraphType>(string name, bool partial) where TGraphType : IGraphType =>
        partial ? Field<TGraphType>(name) : Field<NonNullGraphType<TGraphType>>(name);
}

public sealed class CreateEntryInputGraphType : EntryContentInputGraphType<CreateEntryInput>
{
    public CreateEntryInputGraphType()
    {
        Name = "CreateEntryInput";
        Description = "A new DRAFT entry for a unit the caller acts for.";
        Field<NonNullGraphType<IdGraphType>>("unitId").Description("The owning unit.");
        AddContentFields();
    }
}

public sealed class UpdateEntryInputGraphType : EntryContentInputGraphType<UpdateEntryInput>
{
    public UpdateEntryInputGraphType()
    {
        Name = "UpdateEntryInput";
        Description = "Changes to a DRAFT entry, with the version it was read at. " + PartialInputs.Semantics;
        Field<NonNullGraphType<IdGraphType>>("id").Description("The global id of the entry to change.");
        Field<NonNullGraphType<IntGraphType>>("version").Description("The version of the entry the caller read.");
        AddContentFields(partial: true);
    }

    public override object ParseDictionary(IDictionary<string, object?> value) => PartialInputs.Parse(value, base.ParseDictionary);
}

public sealed class SubmitEntryInputGraphType : InputObjectGraphType<EntryVersionInput>
{
    public SubmitEntryInputGraphType()
    {
        Name = "SubmitEntryInput";
        Description = "Submits a DRAFT: it becomes REGISTERED and public.";
        Field<NonNullGraphType<IdGraphType>>("id").Description("The global id of the entry.");
        Field<NonNullGraphType<IntGraphType>>("version").Description("The version the caller read.");
    }
}

public sealed class DiscontinueEntryInputGraphType : InputObjectGraphType<EntryVersionInput>
{
    public DiscontinueEntryInputGraphType()
    {
        Name = "DiscontinueEntryInput";
        Description = "Marks an entry DISCONTINUED.";
        Field<NonNullGraphType<IdGraphType>>("id").Description("The global id of the entry.");
        Field<NonNullGraphType<IntGraphType>>("version").Description("The version the caller read.");
        Field<StringGraphType>("reason").Description("Why, up to 2000 characters.");
    }
}

public sealed class CreateEntryPayloadGraphType() : PayloadGraphType<EntryGraphType>("CreateEntryPayload", EntryPayload.Description, "entry", EntryPayload.FieldDescription);
public sealed class UpdateEntryPayloadGraphType() : PayloadGraphType<EntryGraphType>("UpdateEntryPayload", EntryPayload.Description, "entry", EntryPayload.FieldDescription);
public sealed class SubmitEntryPayloadGraphType() : PayloadGraphType<EntryGraphType>("SubmitEntryPayload", EntryPayload.Description, "entry", EntryPayload.FieldDescription);
public sealed class DiscontinueEntryPayloadGraphType() : PayloadGraphType<EntryGraphType>("DiscontinueEntryPayload", EntryPayload.Description, "entry", EntryPayload.FieldDescription);

internal static class EntryPayload
{
    public const string Description = "The entry after the change, or errors explaining why nothing changed.";
    public const string FieldDescription = "The entry as stored; null when refused.";
}

/// <summary>Registration workflow: editors of a unit (or admins) create, edit, submit and discontinue its entries.</summary>
public static class EntryMutations
{
    public static void Register(ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<CreateEntryPayloadGraphType>>("createEntry")
            .RequirePolicy(CreateEntry.Policy).Audited()
            .Description("Creates a DRAFT entry with a new code. Requires Unit.Editor of the unit (or its ancestors) or Registry.Admin.")
            .Argument<NonNullGraphType<CreateEntryInputGraphType>>("input", "The new entry.")
            .Resolve().WithService<CreateEntry>().ResolveAsync(async (c, useCase) => await useCase.ExecuteAsync(c.GetArgument<CreateEntryInput>("input"), c.CancellationToken));
        mutation.Field<NonNullGraphType<UpdateEntryPayloadGraphType>>("updateEntry")
            .RequirePolicy(ChangeEntry.Policy).Audited()
            .Description("Replaces a DRAFT entry's content. Refused with STALE_VERSION if it changed since it was read.")
            .Argument<NonNullGraphType<UpdateEntryInputGraphType>>("input", "The new content.")
            .Resolve().WithService<ChangeEntry>().ResolveAsync(async (c, useCase) => await useCase.UpdateAsync(c.GetArgument<UpdateEntryInput>("input"), c.CancellationToken));
        mutation.Field<NonNullGraphType<SubmitEntryPayloadGraphType>>("submitEntry")
            .RequirePolicy(ChangeEntry.Policy).Audited()
            .Description("Submits a DRAFT: it becomes REGISTERED.")
            .Argument<NonNullGraphType<SubmitEntryInputGraphType>>("input", "The entry and version.")
            .Resolve().WithService<ChangeEntry>().ResolveAsync(async (c, useCase) => await useCase.SubmitAsync(c.GetArgument<EntryVersionInput>("input"), c.CancellationToken));
        mutation.Field<NonNullGraphType<DiscontinueEntryPayloadGraphType>>("discontinueEntry")
            .RequirePolicy(ChangeEntry.Policy).Audited()
            .Description("Marks an entry DISCONTINUED.")
            .Argument<NonNullGraphType<DiscontinueEntryInputGraphType>>("input", "The entry, version and reason.")
            .Resolve().WithService<ChangeEntry>().ResolveAsync(async (c, useCase) => await useCase.DiscontinueAsync(c.GetArgument<EntryVersionInput>("input"), c.CancellationToken));
    }
}
