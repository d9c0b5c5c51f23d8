using DanVanKheo.Api.Common;
using DanVanKheo.Api.Auth;
using DanVanKheo.Api.Councils;
using DanVanKheo.Api.Entries;
using DanVanKheo.Api.GraphQL;
using DanVanKheo.Api.Units;
using GraphQL;
using GraphQL.MicrosoftDI;
using GraphQL.Types;

namespace DanVanKheo.Api.Rounds;

public sealed class RoundFilterInput
{
    public EntryLevel? Level { get; set; }
    public int? Year { get; set; }
    public RoundStatus? Status { get; set; }
    public string? UnitId { get; set; }
    public string? CouncilId { get; set; }
}

public sealed class RoundFilterInputGraphType : InputObjectGraphType<RoundFilterInput>
{
    public RoundFilterInputGraphType()
    {
        Name = "RoundFilterInput";
        Description = "Filters for the rounds list; all given conditions must hold.";
        Field<EntryLevelGraphType>("level").Description("Only rounds of this level.");
        Field<IntGraphType>("year").Description("Only rounds of this year.");
        Field<RoundStatusGraphType>("status").Description("Only rounds in this status.");
        Field<IdGraphType>("unitId").Description("Only rounds organised by this unit (run by its councils).");
        Field<IdGraphType>("councilId").Description("Only rounds of this council.");
    }
}

public static class RoundQueries
{
    public static void Register(ObjectGraphType query)
    {
        query.Field<NonNullGraphType<ConnectionGraphType<RoundGraphType, Round>>>("rounds")
            .Description("Rounds, newest first, paged by cursor.")
            .Argument<RoundFilterInputGraphType>("where", "Filters; all must hold.")
            .ConnectionArguments()
            .Resolve().WithService<IRoundStore>()
            .ResolveAsync(async (c, store) =>
            {
                var where = c.GetArgument<RoundFilterInput?>("where") ?? new RoundFilterInput();
                var filter = new RoundFilter
                {
                    Level = where.Level,
                    Year = where.Year,
                    Status = where.Status,
                    UnitId = UnitQueries.DecodeOptional(where.UnitId, "where.unitId"),
                    CouncilId = where.CouncilId is null ? null
                        : GlobalId.LocalIdOf(where.CouncilId, CouncilGraphType.TypeName) ?? throw new InputException(new(Messages.WhereCouncilIdNotACouncil), "where.councilId"),
                };
                var page = await store.FindAsync(filter, Cursors.PageRequest(c, "ID"), c.CancellationToken);
                return new Connection<Round>(page, "ID", r => r.Id);
            });
        query.Field<RoundGraphType>("round")
            .Description("One round by global id.")
            .Argument<NonNullGraphType<IdGraphType>>("id", "The round's global id.")
            .Resolve(c => GlobalId.LocalIdOf(c.GetArgument<string>("id"), RoundGraphType.TypeName) is { } id ? c.LoadRound(id) : null);
        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<BallotGraphType>>>>("myBallots")
            .Description("The caller's own current ballots (and recusals), optionally in one round; empty for anonymous callers.")
            .Argument<IdGraphType>("roundId", "Only ballots of this round.")
            .RequirePolicy(Policies.OwnBallots)
            .Resolve().WithService<IRoundStore>()
            .ResolveAsync(async (c, store) =>
            {
                // The policy keeps the caller's own rows only; the store query asks for no others.
                var caller = c.Caller();
                if (caller.Id is null) return Array.Empty<Ballot>();
                var roundGlobalId = c.GetArgument<string?>("roundId");
                var roundId = roundGlobalId is null ? null
                    : GlobalId.LocalIdOf(roundGlobalId, RoundGraphType.TypeName) ?? throw new InputException(new(Messages.RoundIdNotARound), "roundId");
                return await store.ListMemberBallotsAsync(caller.Id, roundId, c.CancellationToken);
            });
    }
}
