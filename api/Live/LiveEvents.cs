using System.Collections.Frozen;
using System.Runtime.CompilerServices;
using DanVanKheo.Api.Audit;
using DanVanKheo.Api.Auth;
using DanVanKheo.Api.Common;
using DanVanKheo.Api.Councils;
using DanVanKheo.Api.Entries;
using DanVanKheo.Api.Replications;
using DanVanKheo.Api.Rounds;

namespace DanVanKheo.Api.Live;

/// <summary>Where one event of a subscription comes from: its cursor, the audited action and when it happened.</summary>
public abstract record LiveEvent(string Cursor, string Action, DateTime At);

/// <summary>Counts of one nomination; <see cref="NotYetVoted"/> only for the council's chair and secretary.</summary>
public sealed record NominationProgress(Nomination Nomination, int BallotsCast, int Recusals, IReadOnlyList<CouncilMemberListing>? NotYetVoted);

public sealed record RoundProgressEvent(string Cursor, string Action, DateTime At, Round Round,
    IReadOnlyList<NominationProgress> Nominations, IReadOnlyList<CouncilMember> Members) : LiveEvent(Cursor, Action, At);

public sealed record EntryRegisteredEvent(string Cursor, string Action, DateTime At, Entry Entry) : LiveEvent(Cursor, Action, At);

public sealed record ReplicationChangedEvent(string Cursor, string Action, DateTime At, Replication Replication) : LiveEvent(Cursor, Action, At);

public sealed record EntryRegisteredFilter(string? UnitId, bool IncludeSubunits, string? FieldId);

/// <summary>
/// The three live views over the feed. Each reads the current state of what an audit event
/// touched from the stores and shows only what the caller's queries would show: round progress
/// is counts (never a ballot's content), entries are public ones (REGISTERED or RECOGNIZED).
/// </summary>
public sealed class LiveEvents(LiveFeed feed, IRoundStore rounds, ICouncilStore councils, IEntryStore entries, IReplicationStore replications)
{
    public const string RoundProgressPolicy = Policies.CouncilMemberOrAdminOfTarget;

    // Every subscriber sees the same FeedItem instance, so what an event touched is read from the
    // stores once per event, not once per subscriber; entries go when the item is collected.
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<FeedItem, Task<IReadOnlyList<Entry>>> _entries = new();
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<FeedItem, Task<IReadOnlyList<Replication>>> _replications = new();

    // Audit diffs spell enum values as the API does (REGISTERED); events written before that used the C# name.
    private static readonly FrozenSet<string> PublicStatuses =
        new[] { nameof(EntryStatus.Registered), nameof(EntryStatus.Recognized) }
            .SelectMany(n => new[] { n, System.Text.Json.JsonNamingPolicy.SnakeCaseUpper.ConvertName(n) })
            .Select(n => "\"" + n + "\"").ToFrozenSet(StringComparer.Ordinal);

    /// <summary>The adopted entry a replicationChanged subscription names, if the caller may see it.</summary>
    public Task<Entry> LoadSourceEntryAsync(string globalId, Caller caller, CancellationToken ct) =>
        entries.LoadVisibleAsync(globalId, "sourceEntryId", caller, ct);

    /// <summary>Checks the round and the caller (FORBIDDEN unless a member of its council or an admin) before anything streams.</summary>
    public async Task<(Round Round, bool Officer)> AuthorizeRoundAsync(string roundGlobalId, Authorizer authorizer, CancellationToken ct)
    {
        var round = await rounds.LoadAsync(roundGlobalId, "roundId", ct);
        var members = RoundRules.MembersOf(round, round.Members is null ? await councils.CouncilOfAsync(round, ct) : null);
        authorizer.Require("roundProgress", RoundProgressPolicy, members,
            new(Messages.RoundProgressMembersOnly, round.Name), parentType: "Subscription");
        return (round, AccessRules.IsCouncilOfficer(authorizer.Caller, members));
    }

    public async IAsyncEnumerable<RoundProgressEvent> RoundProgressAsync(string roundId, bool officer, string? after,
        [EnumeratorCancellation] CancellationToken ct)
    {
        var roundStream = AuditEvent.StreamOf(AuditTargetTypes.Round, roundId);
        var seal = BallotSeal.RoundKey(roundId);
        await foreach (var item in feed.FollowAsync(after, ct))
        {
            var e = item.Event;
            var relevant = e.Stream == roundStream || e.SealedUntil == seal;
            if (!relevant && e.TargetType == AuditTargetTypes.Nomination && e.TargetId is { } nominationId)
                relevant = (await rounds.GetNominationsByIdsAsync([nominationId], ct)).FirstOrDefault()?.RoundId == roundId;
            if (!relevant) continue;
            yield return await RoundSnapshotAsync(LiveFeed.CursorOf(item), e, roundId, officer, ct);
        }
    }

    private async Task<RoundProgressEvent> RoundSnapshotAsync(string cursor, AuditEvent e, string roundId, bool officer, CancellationToken ct)
    {
        var round = await rounds.GetAsync(roundId, ct);
        var members = RoundRules.MembersOf(round, round.Members is null ? await councils.CouncilOfAsync(round, ct) : null);
        var nominations = await rounds.ListActiveNominationsAsync(roundId, ct);
        var ballots = await rounds.ListBallotsAsync(roundId, ct);
        var byNomination = ballots.ToLookup(b => b.NominationId, StringComparer.Ordinal);
        var progress = nominations.Select(n =>
        {
            var own = byNomination[n.Id].ToList();
            var recusals = own.Count(b => b.Choice == BallotChoice.Recused);
            var answered = own.Select(b => b.MemberId).ToHashSet(StringComparer.Ordinal);
            return new NominationProgress(n, own.Count - recusals, recusals,
                officer ? [.. members.Where(m => !answered.Contains(m.UserId)).Select(m => new CouncilMemberListing(m, round.CouncilUnitLineage, members))] : null);
        }).ToList();
        return new RoundProgressEvent(cursor, e.Action, e.Timestamp, round, progress, members);
    }

    public async IAsyncEnumerable<EntryRegisteredEvent> EntryRegisteredAsync(EntryRegisteredFilter filter, string? after,
        [EnumeratorCancellation] CancellationToken ct)
    {
        await foreach (var item in feed.FollowAsync(after, ct))
        {
            if (!item.Event.Changes.Any(IsPublicStatus)) continue;
            foreach (var entry in await _entries.GetValue(item, LoadEntriesAsync))
            {
                if (entry.Status is not (EntryStatus.Registered or EntryStatus.Recognized)) continue;
                if (filter.FieldId is not null && entry.FieldId != filter.FieldId) continue;
                if (filter.UnitId is not null && !(filter.IncludeSubunits ? entry.UnitLineage.Contains(filter.UnitId) || entry.UnitId == filter.UnitId : entry.UnitId == filter.UnitId))
                    continue;
                yield return new EntryRegisteredEvent(LiveFeed.CursorOf(item), item.Event.Action, item.Event.Timestamp, entry);
            }
        }
    }

    public async IAsyncEnumerable<ReplicationChangedEvent> ReplicationChangedAsync(string sourceEntryId, string? after,
        [EnumeratorCancellation] CancellationToken ct)
    {
        await foreach (var item in feed.FollowAsync(after, ct))
        {
            var e = item.Event;
            if (e.TargetType != AuditTargetTypes.Replication && !e.Changes.Any(c => c.TargetType == AuditTargetTypes.Replication)) continue;
            foreach (var r in await _replications.GetValue(item, LoadReplicationsAsync))
                if (r.SourceEntryId == sourceEntryId)
                    yield return new ReplicationChangedEvent(LiveFeed.CursorOf(item), e.Action, e.Timestamp, r);
        }
    }

    private static bool IsPublicStatus(AuditChange c) =>
        c.TargetType == AuditTargetTypes.Entry && c.Field == "status" && c.After is not null && PublicStatuses.Contains(c.After);

    private Task<IReadOnlyList<Entry>> LoadEntriesAsync(FeedItem item) =>
        entries.GetByIdsAsync([.. item.Event.Changes.Where(IsPublicStatus).Select(c => c.TargetId).Distinct(StringComparer.Ordinal)], CancellationToken.None);

    private Task<IReadOnlyList<Replication>> LoadReplicationsAsync(FeedItem item)
    {
        var e = item.Event;
        var ids = e.Changes.Where(c => c.TargetType == AuditTargetTypes.Replication).Select(c => c.TargetId);
        if (e.TargetType == AuditTargetTypes.Replication && e.TargetId is { } target) ids = ids.Prepend(target);
        return replications.GetByIdsAsync([.. ids.Distinct(StringComparer.Ordinal)], CancellationToken.None);
    }
}
