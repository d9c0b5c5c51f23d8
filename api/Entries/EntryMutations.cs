using DanVanKheo.Api.Audit;
using DanVanKheo.Api.Auth;
using DanVanKheo.Api.Common;
using DanVanKheo.Api.Fields;
using DanVanKheo.Api.GraphQL;
using DanVanKheo.Api.Units;
using GraphQL;
using GraphQL.Types;

namespace DanVanKheo.Api.Entries;

public class EntryContentInput
{
    public string Title { get; set; } = "";
    public string? Summary { get; set; }
    public EntryKind Kind { get; set; }
    public ExemplarType? ExemplarType { get; set; }
    public ExemplarPerson? Person { get; set; }
    public string FieldId { get; set; } = "";
    public EntryLevel Level { get; set; }
    public DateOnly? StartDate { get; set; }
    public EntryNovelty? Novelty { get; set; }
    public string? ReplicatedFromEntryId { get; set; }
    public EntryResults? Results { get; set; }
    public List<EvidenceLink>? Evidence { get; set; }
    public List<string>? Tags { get; set; }
}

public sealed class CreateEntryInput : EntryContentInput
{
    public string UnitId { get; set; } = "";
}

public sealed class UpdateEntryInput : EntryContentInput
{
    public string Id { get; set; } = "";
    public int Version { get; set; }
}

public sealed class EntryVersionInput
{
    public string Id { get; set; } = "";
    public int Version { get; set; }
    public string? Reason { get; set; }
}

public sealed class ExemplarPersonInputGraphType : InputObjectGraphType<ExemplarPerson>
{
    public ExemplarPersonInputGraphType()
    {
        Name = "ExemplarPersonInput";
        Description = "The person behind an individual exemplar.";
        Field(p => p.FullName).Description("Full name, Vietnamese order.");
        Field(p => p.Position, nullable: true).Description("Position or occupation.");
        Field(p => p.Phone, nullable: true).Description("Phone number.");
        Field(p => p.Address, nullable: true).Description("Address.");
        Field(p => p.BirthDate, nullable: true).Description("Date of birth.");
    }
}

public sealed class EntryResultsInputGraphType : InputObjectGraphType<EntryResults>
{
    public EntryResultsInputGraphType()
    {
        Name = "EntryResultsInput";
        Description = "Outcome figures; all optional, none negative.";
        Field(r => r.HouseholdsReached, nullable: true).Description("Households reached.");
        Field(r => r.PeopleReached, nullable: true).Description("People reached.");
        Field(r => r.MoneyMobilizedVnd, nullable: true).Description("Money mobilised, in VND.");
        Field(r => r.LandDonatedM2, nullable: true).Description("Land donated, in m².");
        Field(r => r.Workdays, nullable: true).Description("Workdays contributed.");
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

public abstract class EntryContentInputGraphType<T> : InputObjectGraphType<T> where T : EntryContentInput
{
    protected void AddContentFields()
    {
        Field<NonNullGraphType<StringGraphType>>("title").Description("5–500 characters.");
        Field<StringGraphType>("summary").Description("Required before submitting.");
        Field<NonNullGraphType<EntryKindGraphType>>("kind").Description("Model or exemplar.");
        Field<ExemplarTypeGraphType>("exemplarType").Description("Required for exemplars, absent for models.");
        Field<ExemplarPersonInputGraphType>("person").Description("Individual exemplars only.");
        Field<NonNullGraphType<IdGraphType>>("fieldId").Description("Field of work.");
        Field<NonNullGraphType<EntryLevelGraphType>>("level").Description("Registration level.");
        Field<DateOnlyGraphType>("startDate").Description("When it started.");
        Field<EntryNoveltyGraphType>("novelty").Description("Default NEW.");
        Field<IdGraphType>("replicatedFromEntryId").Description("For REPLICATED entries: the other unit's entry.");
        Field<EntryResultsInputGraphType>("results").Description("Outcome figures.");
        Field<ListGraphType<NonNullGraphType<EvidenceLinkInputGraphType>>>("evidence").Description("At most 50 links.");
        Field<ListGraphType<NonNullGraphType<StringGraphType>>>("tags").Description("At most 30 tags.");
    }
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
        Description = "The full new content of a DRAFT entry (fields left out are cleared), with the version it was read at.";
        Field<NonNullGraphType<IdGraphType>>("id").Description("The entry to change.");
        Field<NonNullGraphType<IntGraphType>>("version").Description("The version the caller read.");
        AddContentFields();
    }
}

public sealed class SubmitEntryInputGraphType : InputObjectGraphType<EntryVersionInput>
{
    public SubmitEntryInputGraphType()
    {
        Name = "SubmitEntryInput";
        Description = "Submits a DRAFT: it becomes REGISTERED and public.";
        Field<NonNullGraphType<IdGraphType>>("id").Description("The entry.");
        Field<NonNullGraphType<IntGraphType>>("version").Description("The version the caller read.");
    }
}

public sealed class DiscontinueEntryInputGraphType : InputObjectGraphType<EntryVersionInput>
{
    public DiscontinueEntryInputGraphType()
    {
        Name = "DiscontinueEntryInput";
        Description = "Marks an entry DISCONTINUED.";
        Field<NonNullGraphType<IdGraphType>>("id").Description("The entry.");
        Field<NonNullGraphType<IntGraphType>>("version").Description("The version the caller read.");
        Field<StringGraphType>("reason").Description("Why, up to 2000 characters.");
    }
}

public sealed record EntryPayload(Entry? Entry, IReadOnlyList<UserError> Errors);

public abstract class EntryPayloadGraphType : ObjectGraphType<EntryPayload>
{
    protected EntryPayloadGraphType(string name)
    {
        Name = name;
        Description = "The entry after the change, or errors explaining why nothing changed.";
        Field<EntryGraphType>("entry").Description("The entry as stored; null when refused.").Resolve(c => c.Source.Entry);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<UserErrorGraphType>>>>("errors")
            .Description("Why the mutation was refused; empty on success.").Resolve(c => c.Source.Errors);
    }
}

public sealed class CreateEntryPayloadGraphType() : EntryPayloadGraphType("CreateEntryPayload");
public sealed class UpdateEntryPayloadGraphType() : EntryPayloadGraphType("UpdateEntryPayload");
public sealed class SubmitEntryPayloadGraphType() : EntryPayloadGraphType("SubmitEntryPayload");
public sealed class DiscontinueEntryPayloadGraphType() : EntryPayloadGraphType("DiscontinueEntryPayload");

/// <summary>Registration workflow: editors of a unit (or admins) create, edit, submit and discontinue its entries.</summary>
public static class EntryMutations
{
    /// <summary>Vietnam has no daylight saving: the registration year turns at midnight UTC+7.</summary>
    private static readonly TimeSpan VietnamOffset = TimeSpan.FromHours(7);

    public static void Register(ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<CreateEntryPayloadGraphType>>("createEntry")
            .RequirePolicy(Policies.UnitEditorOfTarget).Audited()
            .Description("Creates a DRAFT entry with a new code. Requires Unit.Editor of the unit (or its ancestors) or Registry.Admin.")
            .Argument<NonNullGraphType<CreateEntryInputGraphType>>("input", "The new entry.")
            .ResolveAsync(async c => await CreateAsync(c, c.GetArgument<CreateEntryInput>("input")));
        mutation.Field<NonNullGraphType<UpdateEntryPayloadGraphType>>("updateEntry")
            .RequirePolicy(Policies.UnitEditorOfTarget).Audited()
            .Description("Replaces a DRAFT entry's content. Refused with STALE_VERSION if it changed since it was read.")
            .Argument<NonNullGraphType<UpdateEntryInputGraphType>>("input", "The new content.")
            .ResolveAsync(async c => await UpdateAsync(c, c.GetArgument<UpdateEntryInput>("input")));
        mutation.Field<NonNullGraphType<SubmitEntryPayloadGraphType>>("submitEntry")
            .RequirePolicy(Policies.UnitEditorOfTarget).Audited()
            .Description("Submits a DRAFT: it becomes REGISTERED.")
            .Argument<NonNullGraphType<SubmitEntryInputGraphType>>("input", "The entry and version.")
            .ResolveAsync(async c => await ChangeAsync(c, c.GetArgument<EntryVersionInput>("input"), (e, now) => EntryRules.Submit(e, now)));
        mutation.Field<NonNullGraphType<DiscontinueEntryPayloadGraphType>>("discontinueEntry")
            .RequirePolicy(Policies.UnitEditorOfTarget).Audited()
            .Description("Marks an entry DISCONTINUED.")
            .Argument<NonNullGraphType<DiscontinueEntryInputGraphType>>("input", "The entry, version and reason.")
            .ResolveAsync(async c =>
            {
                var input = c.GetArgument<EntryVersionInput>("input");
                return await ChangeAsync(c, input, (e, now) => EntryRules.Discontinue(e, input.Reason, now));
            });
    }

    private static async Task<EntryPayload> CreateAsync(IResolveFieldContext c, CreateEntryInput input)
    {
        var ct = c.CancellationToken;
        var entries = c.Service<IEntryStore>();
        var caller = c.Caller();
        Unit unit;
        try
        {
            unit = await UnitMutations.LoadAsync(c.Service<IUnitStore>(), input.UnitId, "unitId", ct);
        }
        catch (DomainException e)
        {
            return new EntryPayload(null, [UserError.From(e)]);
        }
        c.RequireTarget(Policies.UnitEditorOfTarget, unit.Lineage(), $"You may not register entries for {unit.Name}.");
        try
        {
            var now = c.Service<TimeProvider>().UtcNowMs();
            if (!unit.IsValidOn(DateOnly.FromDateTime(now + VietnamOffset)))
                throw new DomainException("UNIT_NOT_ACTIVE", $"{unit.Name} does not exist today; register under its successor.", "unitId");
            var (content, field, replicatedFrom) = await ResolveContentAsync(c, input);
            EntryRules.Validate(content, field, replicatedFrom, unit.Id, today: EntryRules.VietnamDay(now));
            var year = (now + VietnamOffset).Year;
            var sequence = await entries.ReserveSequenceAsync(year, 1, ct);
            var entry = EntryRules.CreateDraft(content, unit, field, replicatedFrom, year, sequence, caller.Id!, now);
            await entries.InsertAsync(entry, ct);
            return new EntryPayload(entry, []);
        }
        catch (DomainException e)
        {
            return new EntryPayload(null, [UserError.From(e)]);
        }
    }

    private static async Task<EntryPayload> UpdateAsync(IResolveFieldContext c, UpdateEntryInput input)
    {
        try
        {
            var entry = await LoadForChangeAsync(c, input.Id, input.Version);
            var (content, field, replicatedFrom) = await ResolveContentAsync(c, input);
            EntryRules.Update(entry, content, field, replicatedFrom, c.Service<TimeProvider>().UtcNowMs());
            return await SaveAsync(c, entry, input.Version);
        }
        catch (DomainException e) when (e.Code != ErrorCodes.Forbidden)
        {
            return new EntryPayload(null, [UserError.From(e)]);
        }
    }

    private static async Task<EntryPayload> ChangeAsync(IResolveFieldContext c, EntryVersionInput input, Action<Entry, DateTime> change)
    {
        try
        {
            var entry = await LoadForChangeAsync(c, input.Id, input.Version);
            change(entry, c.Service<TimeProvider>().UtcNowMs());
            return await SaveAsync(c, entry, input.Version);
        }
        catch (DomainException e) when (e.Code != ErrorCodes.Forbidden)
        {
            return new EntryPayload(null, [UserError.From(e)]);
        }
    }

    private static async Task<EntryPayload> SaveAsync(IResolveFieldContext c, Entry entry, int expectedVersion)
    {
        if (!await c.Service<IEntryStore>().ReplaceAsync(entry, expectedVersion, c.CancellationToken))
            throw new ConcurrencyConflictException($"Entry {entry.Code} changed since version {expectedVersion}. Reload it and retry.");
        return new EntryPayload(entry, []);
    }

    /// <summary>Loads the entry, checks the caller may change it and that the version is current.</summary>
    private static async Task<Entry> LoadForChangeAsync(IResolveFieldContext c, string globalId, int version)
    {
        var entry = await c.LoadVisibleEntryAsync(globalId, "id");
        c.RequireTarget(Policies.UnitEditorOfTarget, entry.UnitLineage, $"You may not change entry {entry.Code}.");
        if (entry.Version != version)
            throw new ConcurrencyConflictException($"Entry {entry.Code} is at version {entry.Version}; you sent {version}. Reload it and retry.");
        return entry;
    }

    private static async Task<(EntryContent, Field?, Entry?)> ResolveContentAsync(IResolveFieldContext c, EntryContentInput input)
    {
        var fieldId = GlobalId.LocalIdOf(input.FieldId, FieldGraphType.TypeName)
                      ?? throw new DomainException(ErrorCodes.NotFound, $"'{input.FieldId}' is not a Field id.", "fieldId");
        var field = (await c.Service<IFieldStore>().GetByIdsAsync([fieldId], c.CancellationToken)).FirstOrDefault();
        Entry? replicatedFrom = null;
        string? replicatedFromId = null;
        if (input.ReplicatedFromEntryId is not null)
        {
            replicatedFromId = GlobalId.LocalIdOf(input.ReplicatedFromEntryId, EntryGraphType.TypeName)
                               ?? throw new DomainException(ErrorCodes.NotFound, "'replicatedFromEntryId' is not an Entry id.", "replicatedFromEntryId");
            replicatedFrom = (await c.Service<IEntryStore>().GetByIdsAsync([replicatedFromId], c.CancellationToken))
                .FirstOrDefault(e => e.Status != EntryStatus.Draft);
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
