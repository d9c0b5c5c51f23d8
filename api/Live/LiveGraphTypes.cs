using DanVanKheo.Api.Auth;
using DanVanKheo.Api.Common;
using DanVanKheo.Api.Councils;
using DanVanKheo.Api.Entries;
using DanVanKheo.Api.Fields;
using DanVanKheo.Api.GraphQL;
using DanVanKheo.Api.Replications;
using DanVanKheo.Api.Rounds;
using DanVanKheo.Api.Units;
using GraphQL;
using GraphQL.Types;

namespace DanVanKheo.Api.Live;

/// <summary>
/// The root subscription: live views fed by the audit log after each commit. Every event carries
/// a cursor; subscribing again with <c>after</c> replays what was missed (within the retention window) exactly once.
/// </summary>
public sealed class RegistrySubscription : ObjectGraphType
{
    // GraphQL.MicrosoftDI has no builder for stream resolvers, so the two singletons the streams need
    // come through the constructor; nothing request-scoped is captured (the caller comes from the context).
    public RegistrySubscription(LiveEvents live, LiveFeed feed)
    {
        Name = "Subscription";
        Description = "Live updates over graphql-transport-ws (WebSocket) or GraphQL over SSE, fed by the audit log after each commit.";

        Field<NonNullGraphType<RoundProgressGraphType>, RoundProgressEvent>("roundProgress")
            .Description("Voting progress of a round on every ballot, recusal, nomination and status change: counts per nomination, never a ballot's content. Members of the round's council and admins only.")
            .Argument<NonNullGraphType<IdGraphType>>("roundId", "The round's global id.")
            .Argument<StringGraphType>("after", "Resume after this event cursor (replays missed events within the retention window).")
            .RequirePolicy(LiveEvents.RoundProgressPolicy)
            .ResolveStreamAsync(async c =>
            {
                var (round, officer) = await live.AuthorizeRoundAsync(c.GetArgument<string>("roundId"), new Authorizer(c.Registry().Request), c.CancellationToken);
                var after = await AfterAsync(c, feed);
                return new AsyncEnumerableObservable<RoundProgressEvent?>(ct => live.RoundProgressAsync(round.Id, officer, after, ct));
            });

        Field<NonNullGraphType<EntryRegisteredGraphType>, EntryRegisteredEvent>("entryRegistered")
            .Description("Entries as they become REGISTERED (submitted) or RECOGNIZED (a round published): public entries only, never drafts.")
            .Argument<EntryRegisteredFilterInputGraphType>("where", "Which entries; all given conditions must hold.")
            .Argument<StringGraphType>("after", "Resume after this event cursor (replays missed events within the retention window).")
            .ResolveStreamAsync(async c =>
            {
                var where = c.GetArgument<EntryRegisteredFilterInput?>("where") ?? new EntryRegisteredFilterInput();
                var filter = new EntryRegisteredFilter(
                    where.UnitId is null ? null : GlobalId.Require(where.UnitId, UnitGraphType.TypeName, "where.unitId"),
                    where.IncludeSubunits ?? true,
                    where.FieldId is null ? null : GlobalId.Require(where.FieldId, FieldGraphType.TypeName, "where.fieldId"));
                var after = await AfterAsync(c, feed);
                return new AsyncEnumerableObservable<EntryRegisteredEvent?>(ct => live.EntryRegisteredAsync(filter, after, ct));
            });

        Field<NonNullGraphType<ReplicationChangedGraphType>, ReplicationChangedEvent>("replicationChanged")
            .Description("Adoptions of a model as they are recorded and move through their statuses.")
            .Argument<NonNullGraphType<IdGraphType>>("sourceEntryId", "The adopted (source) entry's global id.")
            .Argument<StringGraphType>("after", "Resume after this event cursor (replays missed events within the retention window).")
            .ResolveStreamAsync(async c =>
            {
                var source = await live.LoadSourceEntryAsync(c.GetArgument<string>("sourceEntryId"), c.Caller(), c.CancellationToken);
                var after = await AfterAsync(c, feed);
                return new AsyncEnumerableObservable<ReplicationChangedEvent?>(ct => live.ReplicationChangedAsync(source.Id, after, ct));
            });
    }

    private static async Task<string?> AfterAsync(IResolveFieldContext c, LiveFeed feed)
    {
        if (c.GetArgument<string?>("after") is not { } cursor) return null;
        c.Registry()[LiveOperations.ResumeKey] = true;
        var position = LiveFeed.PositionOf(cursor, "after");
        await feed.CheckResumeAsync(position, "after", c.CancellationToken);
        return position;
    }
}

public sealed class EntryRegisteredFilterInput
{
    public string? UnitId { get; set; }
    public bool? IncludeSubunits { get; set; }
    public string? FieldId { get; set; }
}

public sealed class EntryRegisteredFilterInputGraphType : InputObjectGraphType<EntryRegisteredFilterInput>
{
    public EntryRegisteredFilterInputGraphType()
    {
        Name = "EntryRegisteredFilterInput";
        Description = "Which newly registered or recognized entries to receive.";
        Field<IdGraphType>("unitId").Description("Only entries of this unit (and, with includeSubunits, of the units below it).");
        Field<BooleanGraphType>("includeSubunits").Description("With unitId: include the units below it (default true).");
        Field<IdGraphType>("fieldId").Description("Only entries of this field of work.");
    }
}

public sealed class RoundProgressGraphType : ObjectGraphType<RoundProgressEvent>
{
    public RoundProgressGraphType()
    {
        Name = "RoundProgress";
        Description = "A round's voting progress after one change (a ballot, a recusal, a nomination or a status change).";
        Field<NonNullGraphType<StringGraphType>>("cursor").Description("Resume after this event with `after`.").Resolve(c => c.Source.Cursor);
        Field<NonNullGraphType<StringGraphType>>("action").Description("The change that caused the event (the mutation's name, e.g. castBallot).").Resolve(c => c.Source.Action);
        Field<NonNullGraphType<DateTimeGraphType>>("at").Description("When the change was made (UTC).").Resolve(c => c.Source.At);
        Field<NonNullGraphType<IdGraphType>>("roundId").Description("The round's global id.").Resolve(c => GlobalId.Encode(RoundGraphType.TypeName, c.Source.Round.Id));
        Field<NonNullGraphType<RoundStatusGraphType>>("status").Description("The round's status after the change.").Resolve(c => c.Source.Round.Status);
        Field<NonNullGraphType<IntGraphType>>("memberCount").Description("Members of the round's electorate (the council's members before voting opens).").Resolve(c => c.Source.Members.Count);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<NominationProgressGraphType>>>>("nominations")
            .Description("Every active nomination of the round, oldest first.").Resolve(c => c.Source.Nominations);
    }
}

public sealed class NominationProgressGraphType : ObjectGraphType<NominationProgress>
{
    public NominationProgressGraphType()
    {
        Name = "NominationProgress";
        Description = "How far voting on one nomination has come: counts only, never a ballot's content.";
        Field<NonNullGraphType<NominationGraphType>>("nomination").Description("The nomination this is about.").Resolve(c => c.Source.Nomination);
        Field<NonNullGraphType<IntGraphType>>("ballotsCast").Description("Members holding a current (non-recused) ballot; a changed ballot counts once.").Resolve(c => c.Source.BallotsCast);
        Field<NonNullGraphType<IntGraphType>>("recusals").Description("Members who recused themselves.").Resolve(c => c.Source.Recusals);
        Field<ListGraphType<NonNullGraphType<CouncilMemberGraphType>>>("notYetVoted")
            .Description("Members who have neither voted nor recused; only for the council's chair and secretary, null for everyone else.")
            .Resolve(c => c.Source.NotYetVoted);
    }
}

public sealed class EntryRegisteredGraphType : ObjectGraphType<EntryRegisteredEvent>
{
    public EntryRegisteredGraphType()
    {
        Name = "EntryRegistered";
        Description = "An entry that became REGISTERED or RECOGNIZED.";
        Field<NonNullGraphType<StringGraphType>>("cursor").Description("Resume after this event with `after`.").Resolve(c => c.Source.Cursor);
        Field<NonNullGraphType<StringGraphType>>("action").Description("The change that caused the event (submitEntry, publishRound).").Resolve(c => c.Source.Action);
        Field<NonNullGraphType<DateTimeGraphType>>("at").Description("When the change was made (UTC).").Resolve(c => c.Source.At);
        Field<NonNullGraphType<EntryGraphType>>("entry").Description("The entry as it is now (public fields; personal data by the usual policy).").Resolve(c => c.Source.Entry);
    }
}

public sealed class ReplicationChangedGraphType : ObjectGraphType<ReplicationChangedEvent>
{
    public ReplicationChangedGraphType()
    {
        Name = "ReplicationChanged";
        Description = "An adoption of the watched model that was recorded or changed.";
        Field<NonNullGraphType<StringGraphType>>("cursor").Description("Resume after this event with `after`.").Resolve(c => c.Source.Cursor);
        Field<NonNullGraphType<StringGraphType>>("action").Description("The change that caused the event (recordReplication, updateReplication, changeReplicationStatus).").Resolve(c => c.Source.Action);
        Field<NonNullGraphType<DateTimeGraphType>>("at").Description("When the change was made (UTC).").Resolve(c => c.Source.At);
        Field<NonNullGraphType<ReplicationGraphType>>("replication").Description("The replication as it is now.").Resolve(c => c.Source.Replication);
    }
}
