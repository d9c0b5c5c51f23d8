using DanVanKheo.Api.Common;
using DanVanKheo.Api.Entries;
using DanVanKheo.Api.Fields;
using DanVanKheo.Api.GraphQL;
using DanVanKheo.Api.Units;
using GraphQL;
using GraphQL.MicrosoftDI;
using GraphQL.Types;

namespace DanVanKheo.Api.Replications;

public sealed class ReplicationFilterInput
{
    public string? SourceEntryId { get; set; }
    public string? AdoptingUnitId { get; set; }
    public ReplicationStatus? Status { get; set; }
}

public sealed class ReplicationFilterInputGraphType : InputObjectGraphType<ReplicationFilterInput>
{
    public ReplicationFilterInputGraphType()
    {
        Name = "ReplicationFilterInput";
        Description = "Filters for the replications list; all given conditions must hold.";
        Field<IdGraphType>("sourceEntryId").Description("Only adoptions of this entry.");
        Field<IdGraphType>("adoptingUnitId").Description("Only adoptions by this unit or units below it.");
        Field<ReplicationStatusGraphType>("status").Description("Only replications in this status.");
    }
}

public static class ReplicationQueries
{
    public const int MaxLeaderboard = 100;

    public static void Register(ObjectGraphType query)
    {
        query.Field<NonNullGraphType<ConnectionGraphType<ReplicationGraphType, Replication>>>("replications")
            .Description("Replications (public), oldest first, paged by cursor.")
            .Argument<ReplicationFilterInputGraphType>("where", "Filters; all must hold.")
            .ConnectionArguments()
            .Resolve().WithService<IReplicationStore>()
            .ResolveAsync(async (c, store) =>
            {
                var where = c.GetArgument<ReplicationFilterInput?>("where") ?? new ReplicationFilterInput();
                var filter = new ReplicationFilter
                {
                    SourceEntryId = DecodeEntry(where.SourceEntryId, "where.sourceEntryId"),
                    AdoptingUnitSubtree = UnitQueries.DecodeOptional(where.AdoptingUnitId, "where.adoptingUnitId"),
                    Status = where.Status,
                };
                var page = await store.FindAsync(filter, Cursors.PageRequest(c, "ID"), c.CancellationToken);
                return new Connection<Replication>(page, "ID", r => r.Id);
            });

        query.Field<ReplicationGraphType>("replication")
            .Description("One replication by global id; null if it does not exist.")
            .Argument<NonNullGraphType<IdGraphType>>("id", "The replication's global id.")
            .ResolveAsync(async c =>
            {
                var local = GlobalId.LocalIdOf(c.GetArgument<string>("id"), ReplicationGraphType.TypeName);
                return local is null ? null : await c.LoadReplication(local).GetResultAsync(c.CancellationToken);
            });

        query.Field<EntryLineageGraphType>("lineage")
            .Description("The replication lineage of an entry: ancestors up to the original model, adopters and the whole descendant tree. Null if the entry does not exist or the caller may not see it.")
            .Argument<NonNullGraphType<IdGraphType>>("entryId", "The entry's global id.")
            .Resolve().WithService<IReplicationStore>()
            .ResolveAsync(async (c, store) =>
            {
                var local = GlobalId.LocalIdOf(c.GetArgument<string>("entryId"), EntryGraphType.TypeName);
                if (local is null || await c.LoadEntry(local).GetResultAsync(c.CancellationToken) is null) return null;
                return await LineageReader.ReadAsync(store, local, c.CancellationToken);
            });

        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<LeaderboardRowGraphType>>>>("mostReplicated")
            .Description("Models ranked by active direct replications, most first (ties by id).")
            .Argument<IntGraphType>("year", "Only replications planned in this year.")
            .Argument<IdGraphType>("fieldId", "Only models of this field.")
            .Argument<IdGraphType>("unitId", "Only models of this unit or units below it (as registered).")
            .Argument<IntGraphType>("first", $"How many (default 10, at most {MaxLeaderboard}).")
            .Resolve().WithService<IReplicationStore>()
            .ResolveAsync(async (c, store) =>
            {
                var first = c.GetArgument<int?>("first") ?? 10;
                if (first is < 1 or > MaxLeaderboard) throw new InputException(new(Messages.FirstOutOfRange, MaxLeaderboard), "first");
                var fieldId = c.GetArgument<string?>("fieldId");
                var filter = new LeaderboardFilter
                {
                    Year = c.GetArgument<int?>("year"),
                    FieldId = fieldId is null ? null
                        : GlobalId.LocalIdOf(fieldId, FieldGraphType.TypeName) ?? throw new InputException(new(Messages.FieldIdNotAField), "fieldId"),
                    SourceUnitSubtree = UnitQueries.DecodeOptional(c.GetArgument<string?>("unitId"), "unitId"),
                };
                return await store.MostReplicatedAsync(filter, first, c.CancellationToken);
            });
    }

    private static string? DecodeEntry(string? globalId, string argument) =>
        globalId is null ? null
            : GlobalId.LocalIdOf(globalId, EntryGraphType.TypeName) ?? throw new InputException(new(Messages.NotAnEntryId, argument), argument);
}
