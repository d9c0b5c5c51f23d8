using DanVanKheo.Api.Audit;
using DanVanKheo.Api.Auth;
using DanVanKheo.Api.Common;
using DanVanKheo.Api.Entries;
using DanVanKheo.Api.GraphQL;
using DanVanKheo.Api.Units;
using GraphQL;
using GraphQL.MicrosoftDI;
using GraphQL.Types;

namespace DanVanKheo.Api.Replications;



public sealed class ReplicationOutcomeInputGraphType : InputObjectGraphType<ReplicationOutcome>
{
    public ReplicationOutcomeInputGraphType()
    {
        Name = "ReplicationOutcomeInput";
        Description = "Outcome figures; all optional, none negative.";
        Field(o => o.PeopleReached, nullable: true).Description("The number of people reached.");
        Field(o => o.HouseholdsReached, nullable: true).Description("The number of households reached.");
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
        Description = "Changes to a replication's notes and outcome, with the version it was read at; may link a derived entry once. " + PartialInputs.Semantics;
        Field<NonNullGraphType<IdGraphType>>("id").Description("The global id of the replication to change.");
        Field<NonNullGraphType<IntGraphType>>("version").Description("The version of the replication the caller read.");
        Field<IdGraphType>("derivedEntryId").Description("Links the adopting unit's derived entry if none is linked yet; a linked entry can be neither changed nor removed (null is refused then).");
        Field<StringGraphType>("adaptationNotes").Description("How the adopting unit adapts the model; null clears the notes.");
        Field<ReplicationOutcomeInputGraphType>("outcome").Description("The outcome figures of the replication; null clears them.");
    }

    public override object ParseDictionary(IDictionary<string, object?> value) => PartialInputs.Parse(value, base.ParseDictionary);
}

public sealed class ChangeReplicationStatusInputGraphType : InputObjectGraphType<ChangeReplicationStatusInput>
{
    public ChangeReplicationStatusInputGraphType()
    {
        Name = "ChangeReplicationStatusInput";
        Description = "Moves a replication on: PLANNED → IMPLEMENTING → SUSTAINED, or to DISCONTINUED.";
        Field<NonNullGraphType<IdGraphType>>("id").Description("The global id of the replication.");
        Field<NonNullGraphType<IntGraphType>>("version").Description("The version the caller read.");
        Field<NonNullGraphType<ReplicationStatusGraphType>>("status").Description("The new status.");
        Field<DateOnlyGraphType>("on").Description("The day it happened; default today. Never before the previous step.");
        Field<StringGraphType>("reason").Description("For DISCONTINUED: why, up to 2000 characters.");
    }
}

public sealed class RecordReplicationPayloadGraphType() : PayloadGraphType<ReplicationGraphType>("RecordReplicationPayload", ReplicationPayload.Description, "replication", ReplicationPayload.FieldDescription);
public sealed class UpdateReplicationPayloadGraphType() : PayloadGraphType<ReplicationGraphType>("UpdateReplicationPayload", ReplicationPayload.Description, "replication", ReplicationPayload.FieldDescription);
public sealed class ChangeReplicationStatusPayloadGraphType() : PayloadGraphType<ReplicationGraphType>("ChangeReplicationStatusPayload", ReplicationPayload.Description, "replication", ReplicationPayload.FieldDescription);

internal static class ReplicationPayload
{
    public const string Description = "The replication after the change, or errors explaining why nothing changed.";
    public const string FieldDescription = "The replication as stored; null when refused.";
}

/// <summary>Replication workflow: editors of the adopting unit (or admins) record and follow adoptions.</summary>
public static class ReplicationMutations
{
    public static void Register(ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<RecordReplicationPayloadGraphType>>("recordReplication")
            .RequirePolicy(RecordReplication.Policy).Audited()
            .Description("Records that a unit adopts another unit's model (PLANNED). Requires Unit.Editor of the adopting unit (or its ancestors) or Registry.Admin.")
            .Argument<NonNullGraphType<RecordReplicationInputGraphType>>("input", "The replication to record: source entry, adopting unit and details.")
            .Resolve().WithService<RecordReplication>().ResolveAsync(async (c, useCase) => await useCase.ExecuteAsync(c.GetArgument<RecordReplicationInput>("input"), c.CancellationToken));
        mutation.Field<NonNullGraphType<UpdateReplicationPayloadGraphType>>("updateReplication")
            .RequirePolicy(ChangeReplication.Policy).Audited()
            .Description("Replaces notes and outcome; may link the derived entry. Refused with STALE_VERSION if it changed since it was read.")
            .Argument<NonNullGraphType<UpdateReplicationInputGraphType>>("input", "The new content.")
            .Resolve().WithService<ChangeReplication>().ResolveAsync(async (c, useCase) => await useCase.UpdateAsync(c.GetArgument<UpdateReplicationInput>("input"), c.CancellationToken));
        mutation.Field<NonNullGraphType<ChangeReplicationStatusPayloadGraphType>>("changeReplicationStatus")
            .RequirePolicy(ChangeReplication.Policy).Audited()
            .Description("Moves a replication to its next status with the day it happened.")
            .Argument<NonNullGraphType<ChangeReplicationStatusInputGraphType>>("input", "The replication, version and new status.")
            .Resolve().WithService<ChangeReplication>().ResolveAsync(async (c, useCase) => await useCase.ChangeStatusAsync(c.GetArgument<ChangeReplicationStatusInput>("input"), c.CancellationToken));
    }
}
