using DanVanKheo.Api.Audit;
using DanVanKheo.Api.Auth;
using DanVanKheo.Api.Common;
using DanVanKheo.Api.Entries;
using DanVanKheo.Api.GraphQL;
using DanVanKheo.Api.Units;
using GraphQL;
using GraphQL.Types;

namespace DanVanKheo.Api.Replications;

public sealed class RecordReplicationInput
{
    public string SourceEntryId { get; set; } = "";
    public string AdoptingUnitId { get; set; } = "";
    public string? DerivedEntryId { get; set; }
    public DateOnly? PlannedOn { get; set; }
    public string? AdaptationNotes { get; set; }
    public ReplicationOutcome? Outcome { get; set; }
}

public sealed class UpdateReplicationInput
{
    public string Id { get; set; } = "";
    public int Version { get; set; }
    public string? DerivedEntryId { get; set; }
    public string? AdaptationNotes { get; set; }
    public ReplicationOutcome? Outcome { get; set; }
}

public sealed class ChangeReplicationStatusInput
{
    public string Id { get; set; } = "";
    public int Version { get; set; }
    public ReplicationStatus Status { get; set; }
    public DateOnly? On { get; set; }
    public string? Reason { get; set; }
}

public sealed class ReplicationOutcomeInputGraphType : InputObjectGraphType<ReplicationOutcome>
{
    public ReplicationOutcomeInputGraphType()
    {
        Name = "ReplicationOutcomeInput";
        Description = "Outcome figures; all optional, none negative.";
        Field(o => o.PeopleReached, nullable: true).Description("People reached.");
        Field(o => o.HouseholdsReached, nullable: true).Description("Households reached.");
        Field(o => o.MoneyMobilizedVnd, nullable: true).Description("Money mobilised, in VND.");
        Field(o => o.OtherResults, nullable: true).Description("Other results, free text.");
    }
}

public sealed class RecordReplicationInputGraphType : InputObjectGraphType<RecordReplicationInput>
{
    public RecordReplicationInputGraphType()
    {
        Name = "RecordReplicationInput";
        Description = "A unit the caller acts for adopts another unit's REGISTERED or RECOGNIZED entry. Starts PLANNED.";
        Field<NonNullGraphType<IdGraphType>>("sourceEntryId").Description("The model adopted (another unit's entry).");
        Field<NonNullGraphType<IdGraphType>>("adoptingUnitId").Description("The adopting unit.");
        Field<IdGraphType>("derivedEntryId").Description("The adopting unit's own entry for the model; it will show \"replicated from\" the source.");
        Field<DateOnlyGraphType>("plannedOn").Description("When the adoption was planned; default today.");
        Field<StringGraphType>("adaptationNotes").Description("How the model is adapted, up to 10,000 characters.");
        Field<ReplicationOutcomeInputGraphType>("outcome").Description("Outcome figures so far.");
    }
}

public sealed class UpdateReplicationInputGraphType : InputObjectGraphType<UpdateReplicationInput>
{
    public UpdateReplicationInputGraphType()
    {
        Name = "UpdateReplicationInput";
        Description = "New notes and outcome (fields left out are cleared); may link a derived entry once.";
        Field<NonNullGraphType<IdGraphType>>("id").Description("The replication.");
        Field<NonNullGraphType<IntGraphType>>("version").Description("The version the caller read.");
        Field<IdGraphType>("derivedEntryId").Description("Links the derived entry if none is linked yet; omit to keep the current link. A linked entry cannot be changed.");
        Field<StringGraphType>("adaptationNotes").Description("How the model is adapted.");
        Field<ReplicationOutcomeInputGraphType>("outcome").Description("Outcome figures.");
    }
}

public sealed class ChangeReplicationStatusInputGraphType : InputObjectGraphType<ChangeReplicationStatusInput>
{
    public ChangeReplicationStatusInputGraphType()
    {
        Name = "ChangeReplicationStatusInput";
        Description = "Moves a replication on: PLANNED → IMPLEMENTING → SUSTAINED, or to DISCONTINUED.";
        Field<NonNullGraphType<IdGraphType>>("id").Description("The replication.");
        Field<NonNullGraphType<IntGraphType>>("version").Description("The version the caller read.");
        Field<NonNullGraphType<ReplicationStatusGraphType>>("status").Description("The new status.");
        Field<DateOnlyGraphType>("on").Description("The day it happened; default today. Never before the previous step.");
        Field<StringGraphType>("reason").Description("For DISCONTINUED: why, up to 2000 characters.");
    }
}

public sealed record ReplicationPayload(Replication? Replication, IReadOnlyList<UserError> Errors);

public abstract class ReplicationPayloadGraphType : ObjectGraphType<ReplicationPayload>
{
    protected ReplicationPayloadGraphType(string name)
    {
        Name = name;
        Description = "The replication after the change, or errors explaining why nothing changed.";
        Field<ReplicationGraphType>("replication").Description("The replication as stored; null when refused.").Resolve(c => c.Source.Replication);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<UserErrorGraphType>>>>("errors")
            .Description("Why the mutation was refused; empty on success.").Resolve(c => c.Source.Errors);
    }
}

public sealed class RecordReplicationPayloadGraphType() : ReplicationPayloadGraphType("RecordReplicationPayload");
public sealed class UpdateReplicationPayloadGraphType() : ReplicationPayloadGraphType("UpdateReplicationPayload");
public sealed class ChangeReplicationStatusPayloadGraphType() : ReplicationPayloadGraphType("ChangeReplicationStatusPayload");

/// <summary>Replication workflow: editors of the adopting unit (or admins) record and follow adoptions.</summary>
public static class ReplicationMutations
{
    private static readonly TimeSpan VietnamOffset = TimeSpan.FromHours(7);

    public static void Register(ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<RecordReplicationPayloadGraphType>>("recordReplication")
            .RequirePolicy(Policies.UnitEditorOfTarget).Audited()
            .Description("Records that a unit adopts another unit's model (PLANNED). Requires Unit.Editor of the adopting unit (or its ancestors) or Registry.Admin.")
            .Argument<NonNullGraphType<RecordReplicationInputGraphType>>("input", "The adoption.")
            .ResolveAsync(async c => await RecordAsync(c, c.GetArgument<RecordReplicationInput>("input")));
        mutation.Field<NonNullGraphType<UpdateReplicationPayloadGraphType>>("updateReplication")
            .RequirePolicy(Policies.UnitEditorOfTarget).Audited()
            .Description("Replaces notes and outcome; may link the derived entry. Refused with STALE_VERSION if it changed since it was read.")
            .Argument<NonNullGraphType<UpdateReplicationInputGraphType>>("input", "The new content.")
            .ResolveAsync(async c => await UpdateAsync(c, c.GetArgument<UpdateReplicationInput>("input")));
        mutation.Field<NonNullGraphType<ChangeReplicationStatusPayloadGraphType>>("changeReplicationStatus")
            .RequirePolicy(Policies.UnitEditorOfTarget).Audited()
            .Description("Moves a replication to its next status with the day it happened.")
            .Argument<NonNullGraphType<ChangeReplicationStatusInputGraphType>>("input", "The replication, version and new status.")
            .ResolveAsync(async c => await ChangeStatusAsync(c, c.GetArgument<ChangeReplicationStatusInput>("input")));
    }

    private static async Task<ReplicationPayload> RecordAsync(IResolveFieldContext c, RecordReplicationInput input)
    {
        var ct = c.CancellationToken;
        var store = c.Service<IReplicationStore>();
        var caller = c.Caller();
        Unit unit;
        try
        {
            unit = await UnitMutations.LoadAsync(c.Service<IUnitStore>(), input.AdoptingUnitId, "adoptingUnitId", ct);
        }
        catch (DomainException e)
        {
            return new ReplicationPayload(null, [UserError.From(e)]);
        }
        c.RequireTarget(Policies.UnitEditorOfTarget, unit.Lineage(), $"You may not record replications for {unit.Name}.");
        try
        {
            var now = c.Service<TimeProvider>().UtcNowMs();
            var source = await c.LoadVisibleEntryAsync(input.SourceEntryId, "sourceEntryId");
            var derived = input.DerivedEntryId is null ? null : await c.LoadVisibleEntryAsync(input.DerivedEntryId, "derivedEntryId");
            var parent = (await store.GetByDerivedEntryIdsAsync([source.Id], ct)).FirstOrDefault();
            var replication = ReplicationRules.Record(source, unit, derived, parent, Content(input.AdaptationNotes, input.Outcome),
                input.PlannedOn ?? DateOnly.FromDateTime(now + VietnamOffset), caller.Id!, now);
            try
            {
                // The derived entry shows "replicated from": changed in the same write (and audit event) as the replication.
                await store.InsertAsync(replication, derived is null ? null : LinkOf(replication, derived, now), ct);
            }
            catch (DuplicateKeyException)
            {
                throw await DuplicateAsync(store, replication, ct);
            }
            return new ReplicationPayload(replication, []);
        }
        catch (DomainException e)
        {
            return new ReplicationPayload(null, [UserError.From(e)]);
        }
    }

    private static async Task<ReplicationPayload> UpdateAsync(IResolveFieldContext c, UpdateReplicationInput input)
    {
        var ct = c.CancellationToken;
        var store = c.Service<IReplicationStore>();
        try
        {
            var r = await LoadForChangeAsync(c, input.Id, input.Version);
            var now = c.Service<TimeProvider>().UtcNowMs();
            var derived = input.DerivedEntryId is null ? null : await c.LoadVisibleEntryAsync(input.DerivedEntryId, "derivedEntryId");
            var source = (await c.Service<IEntryStore>().GetByIdsAsync([r.SourceEntryId], ct)).Single();
            var unit = (await c.Service<IUnitStore>().GetByIdsAsync([r.AdoptingUnitId], ct)).Single();
            var linked = ReplicationRules.Update(r, Content(input.AdaptationNotes, input.Outcome), derived, source, unit, now);
            var changed = new List<Replication> { r };
            if (linked)
                changed.AddRange(ReplicationRules.Repath(r, await store.GetDescendantsAsync(r.DerivedEntryId!, ct), now));
            bool saved;
            try
            {
                saved = await store.ReplaceAllAsync(changed, linked ? LinkOf(r, derived!, now) : null, ct);
            }
            catch (DuplicateKeyException)
            {
                throw await DuplicateAsync(store, r, ct);
            }
            if (!saved)
                throw new ConcurrencyConflictException("The replication or one below it changed meanwhile. Reload and retry.");
            return new ReplicationPayload(r, []);
        }
        catch (DomainException e) when (e.Code != ErrorCodes.Forbidden)
        {
            return new ReplicationPayload(null, [UserError.From(e)]);
        }
    }

    private static async Task<ReplicationPayload> ChangeStatusAsync(IResolveFieldContext c, ChangeReplicationStatusInput input)
    {
        var store = c.Service<IReplicationStore>();
        try
        {
            var r = await LoadForChangeAsync(c, input.Id, input.Version);
            var now = c.Service<TimeProvider>().UtcNowMs();
            ReplicationRules.ChangeStatus(r, input.Status, input.On ?? DateOnly.FromDateTime(now + VietnamOffset), input.Reason, now);
            if (!await store.ReplaceAllAsync([r], c.CancellationToken))
                throw new ConcurrencyConflictException($"The replication changed since version {input.Version}. Reload it and retry.");
            return new ReplicationPayload(r, []);
        }
        catch (DomainException e) when (e.Code != ErrorCodes.Forbidden)
        {
            return new ReplicationPayload(null, [UserError.From(e)]);
        }
    }

    private static ReplicationContent Content(string? notes, ReplicationOutcome? outcome) =>
        new() { AdaptationNotes = notes ?? "", Outcome = outcome ?? new ReplicationOutcome() };

    /// <summary>Which unique key the store refused: the pair, or the derived entry.</summary>
    private static async Task<DomainException> DuplicateAsync(IReplicationStore store, Replication r, CancellationToken ct)
    {
        if (r.DerivedEntryId is not null &&
            (await store.GetByDerivedEntryIdsAsync([r.DerivedEntryId], ct)).Any(x => x.Id != r.Id))
            return new DomainException(ReplicationErrorCodes.DerivedEntryInUse,
                "The derived entry is already linked to another replication.", "derivedEntryId");
        return new DomainException(ReplicationErrorCodes.DuplicateReplication,
            "This unit already has an active replication of this entry.", "sourceEntryId");
    }

    /// <summary>The derived entry shows "replicated from": the store applies it to the entry as stored, in the replication's write.</summary>
    private static LinkedEntryChange LinkOf(Replication r, Entry derived, DateTime now) =>
        new(derived.Id, e => ReplicationRules.MarkDerived(e, r.SourceEntryId, now));

    private static async Task<Replication> LoadForChangeAsync(IResolveFieldContext c, string globalId, int version)
    {
        var id = GlobalId.LocalIdOf(globalId, ReplicationGraphType.TypeName)
                 ?? throw new DomainException(ErrorCodes.NotFound, $"'{globalId}' is not a Replication id.", "id");
        var r = (await c.Service<IReplicationStore>().GetByIdsAsync([id], c.CancellationToken)).FirstOrDefault()
                ?? throw new DomainException(ErrorCodes.NotFound, $"Replication '{globalId}' was not found.", "id");
        c.RequireTarget(Policies.UnitEditorOfTarget, r.AdoptingUnitLineage, "You may not change replications of this unit.");
        if (r.Version != version)
            throw new ConcurrencyConflictException($"The replication is at version {r.Version}; you sent {version}. Reload it and retry.");
        return r;
    }
}
