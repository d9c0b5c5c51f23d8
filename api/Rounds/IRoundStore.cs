using DanVanKheo.Api.Audit;
using DanVanKheo.Api.Common;
using DanVanKheo.Api.Entries;

namespace DanVanKheo.Api.Rounds;

public sealed record RoundFilter
{
    public EntryLevel? Level { get; init; }
    public int? Year { get; init; }
    public RoundStatus? Status { get; init; }
    /// <summary>Rounds organised by this unit (its councils'), not its subunits.</summary>
    public string? UnitId { get; init; }
    public string? CouncilId { get; init; }
}

/// <summary>
/// Storage port for rounds and what hangs off them: nominations, ballots with their history,
/// tallies and recognitions. Round and nomination pages are ordered by id (creation order).
/// </summary>
public interface IRoundStore
{
    Task InsertAsync(Round round, AuditScope? audit, CancellationToken ct = default);
    Task InsertAsync(Round round, CancellationToken ct = default) => InsertAsync(round, null, ct);
    Task<IReadOnlyList<Round>> GetByIdsAsync(IReadOnlyCollection<string> ids, CancellationToken ct = default);

    /// <summary>Replaces the round if the stored version is <paramref name="expectedVersion"/>; false and no change otherwise.</summary>
    Task<bool> ReplaceAsync(Round round, int expectedVersion, AuditScope? audit, CancellationToken ct = default);
    Task<bool> ReplaceAsync(Round round, int expectedVersion, CancellationToken ct = default) => ReplaceAsync(round, expectedVersion, null, ct);

    /// <summary>Newest first.</summary>
    Task<Page<Round>> FindAsync(RoundFilter filter, PageRequest page, CancellationToken ct = default);

    /// <summary>VOTING rounds whose voting deadline is at or before <paramref name="now"/>.</summary>
    Task<IReadOnlyList<Round>> FindVotingDueAsync(DateTime now, CancellationToken ct = default);

    /// <exception cref="DuplicateKeyException">the entry already has an active nomination in the round.</exception>
    Task InsertNominationAsync(Nomination nomination, AuditScope? audit, CancellationToken ct = default);
    Task InsertNominationAsync(Nomination nomination, CancellationToken ct = default) => InsertNominationAsync(nomination, null, ct);

    Task<IReadOnlyList<Nomination>> GetNominationsByIdsAsync(IReadOnlyCollection<string> ids, CancellationToken ct = default);

    Task<bool> ReplaceNominationAsync(Nomination nomination, int expectedVersion, AuditScope? audit, CancellationToken ct = default);
    Task<bool> ReplaceNominationAsync(Nomination nomination, int expectedVersion, CancellationToken ct = default) =>
        ReplaceNominationAsync(nomination, expectedVersion, null, ct);

    /// <summary>The round's nominations (active only unless <paramref name="includeWithdrawn"/>), oldest first.</summary>
    Task<Page<Nomination>> FindNominationsAsync(string roundId, bool includeWithdrawn, PageRequest page, CancellationToken ct = default);

    /// <summary>Every active nomination of the round: what a tally counts.</summary>
    Task<IReadOnlyList<Nomination>> ListActiveNominationsAsync(string roundId, CancellationToken ct = default);

    Task<IReadOnlyList<Nomination>> ListNominationsOfEntriesAsync(IReadOnlyCollection<string> entryIds, CancellationToken ct = default);

    /// <summary>
    /// Makes <paramref name="ballot"/> the member's current ballot on the nomination (one per
    /// nomination and member, under a unique key), assigns its revision and appends it to the
    /// history, all or nothing. Refuses if the round is no longer VOTING or the member had recused.
    /// </summary>
    Task<BallotWriteResult> CastBallotAsync(Ballot ballot, AuditScope? audit, CancellationToken ct = default);
    Task<BallotWriteResult> CastBallotAsync(Ballot ballot, CancellationToken ct = default) => CastBallotAsync(ballot, null, ct);

    /// <summary>The current ballot of every member on every nomination of the round (recusals included).</summary>
    Task<IReadOnlyList<Ballot>> ListBallotsAsync(string roundId, CancellationToken ct = default);

    Task<IReadOnlyList<Ballot>> ListMemberBallotsAsync(string memberId, string? roundId, CancellationToken ct = default);

    /// <summary>Every revision of one member's ballot on one nomination, oldest first.</summary>
    Task<IReadOnlyList<BallotRevision>> ListBallotHistoryAsync(string nominationId, string memberId, CancellationToken ct = default);

    /// <summary>How many members hold a current, non-recused ballot on each nomination (0 when none).</summary>
    Task<IReadOnlyDictionary<string, int>> CountBallotsAsync(IReadOnlyCollection<string> nominationIds, CancellationToken ct = default);

    /// <summary>
    /// Closes a round: reads its active nominations and current ballots, lets <paramref name="close"/>
    /// compute the tally and move the round to CLOSED, then stores both, with the round's version
    /// checked against <paramref name="expectedVersion"/>. Returns null (and stores nothing) if the
    /// round changed meanwhile. No ballot can be written between the read and the store.
    /// </summary>
    Task<RoundTally?> CloseAsync(string roundId, int expectedVersion,
        Func<Round, IReadOnlyList<Nomination>, IReadOnlyList<Ballot>, RoundTally> close, AuditScope? audit, CancellationToken ct = default);
    Task<RoundTally?> CloseAsync(string roundId, int expectedVersion,
        Func<Round, IReadOnlyList<Nomination>, IReadOnlyList<Ballot>, RoundTally> close, CancellationToken ct = default) =>
        CloseAsync(roundId, expectedVersion, close, null, ct);

    Task<RoundTally?> GetTallyAsync(string roundId, CancellationToken ct = default);

    /// <summary>
    /// Publishes: stores <paramref name="round"/> (its stored version checked against
    /// <paramref name="expectedVersion"/>), the <paramref name="recognitions"/> that do not exist
    /// yet, and each recognised entry as <paramref name="recognize"/> changes it (applied to the
    /// entry as stored; false leaves it as is), with one audit event. LiteDB and MongoDB with
    /// transactions do it all or nothing; without transactions the steps are idempotent, so an
    /// interrupted publish is repeated. False (and no round change) if the round changed meanwhile.
    /// </summary>
    Task<bool> PublishAsync(Round round, int expectedVersion, IReadOnlyList<Recognition> recognitions, Func<Entry, bool> recognize,
        AuditScope? audit, CancellationToken ct = default);
    Task<bool> PublishAsync(Round round, int expectedVersion, IReadOnlyList<Recognition> recognitions, Func<Entry, bool> recognize,
        CancellationToken ct = default) => PublishAsync(round, expectedVersion, recognitions, recognize, null, ct);

    /// <summary>Inserts the recognitions that do not exist yet (one per round and entry); safe to repeat.</summary>
    Task InsertRecognitionsAsync(IReadOnlyList<Recognition> recognitions, CancellationToken ct = default);

    Task<IReadOnlyList<Recognition>> ListRecognitionsOfEntriesAsync(IReadOnlyCollection<string> entryIds, CancellationToken ct = default);

    /// <summary>Every recognition conferred by the rounds of <paramref name="year"/>, oldest first.</summary>
    Task<IReadOnlyList<Recognition>> ListRecognitionsOfYearAsync(int year, CancellationToken ct = default);
}
