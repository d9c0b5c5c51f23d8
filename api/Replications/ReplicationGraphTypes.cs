using DanVanKheo.Api.Common;
using DanVanKheo.Api.Entries;
using DanVanKheo.Api.GraphQL;
using DanVanKheo.Api.Units;
using GraphQL;
using GraphQL.DataLoader;
using GraphQL.MicrosoftDI;
using GraphQL.Types;

namespace DanVanKheo.Api.Replications;

public sealed class ReplicationStatusGraphType : EnumerationGraphType<ReplicationStatus>
{
    public ReplicationStatusGraphType()
    {
        Name = "ReplicationStatus";
        Description = "PLANNED → IMPLEMENTING → SUSTAINED; any of them → DISCONTINUED.";
        this.DescribeValues(
            ("PLANNED", "The adopting unit has decided to adopt the model and not started yet."),
            ("IMPLEMENTING", "The adopting unit is putting the model into practice."),
            ("SUSTAINED", "The model has taken root in the adopting unit and keeps running."),
            ("DISCONTINUED", "The adopting unit stopped the replication; the reason is recorded."));
    }
}

public sealed class ReplicationOutcomeGraphType : ObjectGraphType<ReplicationOutcome>
{
    public ReplicationOutcomeGraphType()
    {
        Name = "ReplicationOutcome";
        Description = "What the adopting unit achieved with the model.";
        Field(o => o.PeopleReached, nullable: true).Description("The number of people reached.");
        Field(o => o.HouseholdsReached, nullable: true).Description("The number of households reached.");
        Field(o => o.MoneyMobilizedVnd, nullable: true).Description("Money mobilised, in VND.");
        Field(o => o.OtherResults, nullable: true).Description("Other results, free text.");
    }
}

public sealed class ReplicationGraphType : ObjectGraphType<Replication>
{
    public const string TypeName = Replication.TypeName;

    public ReplicationGraphType()
    {
        Name = TypeName;
        Description = "A replication (nhân rộng): a unit adopts another unit's model, optionally as its own derived entry.";
        Interface<NodeInterface>();
        IsTypeOf = o => o is Replication;
        Field<NonNullGraphType<IdGraphType>>("id").Description("The global id, accepted by node(id:) and by mutation inputs.").Resolve(c => GlobalId.Encode(TypeName, c.Source.Id));
        Field<EntryGraphType>("sourceEntry").Description("The model adopted (null only if the caller may not see it).")
            .Resolve(c => c.LoadEntry(c.Source.SourceEntryId));
        Field<NonNullGraphType<UnitGraphType>>("sourceUnit").Description("The unit whose model is adopted.")
            .Resolve(c => c.LoadUnit(c.Source.SourceUnitId));
        Field<NonNullGraphType<UnitGraphType>>("adoptingUnit").Description("The unit that adopts the model.")
            .Resolve(c => c.LoadUnit(c.Source.AdoptingUnitId));
        Field<EntryGraphType>("derivedEntry").Description("The adopting unit's own entry for the adopted model, if linked (and visible to the caller).")
            .Resolve(c => c.Source.DerivedEntryId is null ? null : c.LoadEntry(c.Source.DerivedEntryId));
        Field<EntryGraphType>("originalEntry").Description("The original model at the top of this replication's lineage.")
            .Resolve(c => c.LoadEntry(c.Source.Path[0]));
        Field<NonNullGraphType<IntGraphType>>("generation").Description("1 when the source is an original model, 2 for an adopter of an adopter, and so on.")
            .Resolve(c => c.Source.Generation);
        Field<NonNullGraphType<ReplicationStatusGraphType>>("status").Description("Where the replication stands.").Resolve(c => c.Source.Status);
        Field(r => r.PlannedOn).Description("When the adoption was planned (recorded).");
        Field(r => r.StartedOn, nullable: true).Description("When implementation started.");
        Field(r => r.SustainedOn, nullable: true).Description("When the model was judged sustained.");
        Field(r => r.DiscontinuedOn, nullable: true).Description("When it was discontinued.");
        Field(r => r.DiscontinuedReason, nullable: true).Description("Why it was discontinued.");
        Field(r => r.AdaptationNotes).Description("How the adopting unit adapted the model.");
        Field<NonNullGraphType<ReplicationOutcomeGraphType>>("outcome").Description("The outcome figures as reported.").Resolve(c => c.Source.Outcome);
        Field(r => r.Version).Description("Optimistic concurrency version: send it back with changes.");
        Field(r => r.CreatedAt).Description("When the replication was recorded (UTC).");
        Field(r => r.UpdatedAt).Description("When it last changed (UTC).");
    }
}

public sealed class LineageNodeGraphType : ObjectGraphType<LineageNode>
{
    public LineageNodeGraphType()
    {
        Name = "LineageNode";
        Description = "A replication below a model in its lineage tree.";
        Field<NonNullGraphType<ReplicationGraphType>>("replication").Description("The replication this is about.").Resolve(c => c.Source.Replication);
        Field(n => n.Depth).Description("Generations below the entry asked about: 1 for its direct adopters.");
    }
}

public sealed class LineageAncestorGraphType : ObjectGraphType<LineageAncestor>
{
    public LineageAncestorGraphType()
    {
        Name = "LineageAncestor";
        Description = "An entry above a model: the entry it was derived from, that entry's source, and so on up to the original.";
        Field<EntryGraphType>("entry").Description("The ancestor entry (null if the caller may not see it).").Resolve(c => c.LoadEntry(c.Source.EntryId));
        Field(a => a.Distance).Description("1 for the entry this one was derived from, 2 for its source, and so on.");
        Field<ReplicationGraphType>("derivedBy").Description("The replication through which the ancestor itself was derived; null for the original.")
            .Resolve(c => c.Source.DerivedBy);
    }
}

public sealed class ReachGraphType : ObjectGraphType<Reach>
{
    public ReachGraphType()
    {
        Name = "ReplicationReach";
        Description = "How far a model spread through its whole descendant tree (DISCONTINUED replications left out). Units count as their successors on the day asked.";
        Field(r => r.AdoptingUnits).Description("Distinct adopting units (after mapping to successors).");
        Field(r => r.DirectAdopters).Description("Distinct units that adopted the entry itself.");
        Field(r => r.Communes).Description("Distinct communes reached.");
        Field(r => r.Districts).Description("Distinct districts reached.");
        Field(r => r.Provinces).Description("Distinct provinces reached.");
        Field(r => r.Generations).Description("Deepest generation of adoption.");
        Field(r => r.PeopleReached).Description("Total people reached by the adopters.");
        Field(r => r.HouseholdsReached).Description("Total households reached by the adopters.");
        Field(r => r.MoneyMobilizedVnd).Description("Total money mobilised by the adopters, VND.");
    }
}

public sealed class EntryLineageGraphType : ObjectGraphType<EntryLineage>
{
    public EntryLineageGraphType()
    {
        Name = "EntryLineage";
        Description = "Where a model comes from and where it went: ancestors up to the original, adopters, the whole descendant tree.";
        Field<EntryGraphType>("entry").Description("The entry asked about.").Resolve(c => c.LoadEntry(c.Source.EntryId));
        Field<EntryGraphType>("original").Description("The original model at the top (the entry itself if it derives from nothing).")
            .Resolve(c => c.LoadEntry(c.Source.OriginalEntryId));
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<LineageAncestorGraphType>>>>("ancestors")
            .Description("Entries above, nearest first, up to the original model.").Resolve(c => c.Source.Ancestors);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<ReplicationGraphType>>>>("adopters")
            .Description("Direct adoptions of this entry.").Resolve(c => c.Source.Adopters);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<LineageNodeGraphType>>>>("descendants")
            .Description("Every replication below, all generations, by depth then planned date.").Resolve(c => c.Source.Descendants);
        Field<NonNullGraphType<IntGraphType>>("generations").Description("Deepest generation below this entry (0 when never adopted).")
            .Resolve(c => c.Source.Generations);
        Field<NonNullGraphType<ReachGraphType>>("reach")
            .Description("Reach metrics over the descendant tree.")
            .Argument<DateOnlyGraphType>("asOf", "Count merged or split units as their successors on this day; default today.")
            .Resolve().WithServices<IUnitStore, RegistryClock>()
            .ResolveAsync(async (c, units, clock) => await LineageReader.ReachAsync(units, c.Source,
                c.GetArgument<DateOnly?>("asOf") ?? clock.Today(), c.CancellationToken));
    }
}

public sealed class LeaderboardRowGraphType : ObjectGraphType<LeaderboardRow>
{
    public LeaderboardRowGraphType()
    {
        Name = "MostReplicatedEntry";
        Description = "A model in the \"most replicated\" ranking.";
        Field<EntryGraphType>("entry").Description("The model entry that was replicated.").Resolve(c => c.LoadEntry(c.Source.SourceEntryId));
        Field(r => r.Replications).Description("Active (not DISCONTINUED) direct replications counted.");
        Field(r => r.AdoptingUnits).Description("Distinct units among them.");
    }
}

public static class ReplicationLoaders
{
    public static IDataLoaderResult<Replication?> LoadReplication(this IResolveFieldContext context, string id) =>
        context.Loaders().Replications.Load(id);
}
