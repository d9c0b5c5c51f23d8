using DanVanKheo.Api.Audit;
using DanVanKheo.Api.Common;
using DanVanKheo.Api.Entries;
using DanVanKheo.Api.Rounds;
using MongoDB.Driver;
using SortDirection = DanVanKheo.Api.Common.SortDirection;

namespace DanVanKheo.Api.Storage.Mongo;

/// <summary>
/// Rounds, nominations, ballots (current + history), tallies and recognitions in MongoDB. Every
/// change is one transaction with its audit event. A ballot and a close are serialised through
/// the round document: a ballot's transaction writes it (<see cref="BallotGuardField"/>) only
/// while it is VOTING, and the close replaces it, so the two conflict and one reruns — the
/// ballot is then either counted or refused, never stored uncounted.
/// </summary>
public sealed class MongoRoundStore(MongoContext db) : IRoundStore
{
    /// <summary>Counts ballot writes on the round document; exists only to make ballots and closes conflict.</summary>
    public const string BallotGuardField = "_ballotWrites";

    private const int MaxBallotAttempts = 4;

    private IMongoCollection<Round> Rounds => db.Rounds;
    private IMongoCollection<Nomination> Nominations => db.Nominations;
    private IMongoCollection<Ballot> Ballots => db.Ballots;

    internal static FilterDefinition<Round> RoundFilterOf(RoundFilter f)
    {
        var b = Builders<Round>.Filter;
        var filter = b.Empty;
        if (f.CouncilId is not null) filter &= b.Eq(r => r.CouncilId, f.CouncilId);
        if (f.UnitId is not null) filter &= b.Eq(r => r.CouncilUnitId, f.UnitId);
        if (f.Status is { } status) filter &= b.Eq(r => r.Status, status);
        if (f.Year is { } year) filter &= b.Eq(r => r.Year, year);
        if (f.Level is { } level) filter &= b.Eq(r => r.Level, level);
        return filter;
    }

    /// <summary>The member's current ballot on the nomination, recusal or not.</summary>
    internal static FilterDefinition<Ballot> MemberBallotFilter(string nominationId, string memberId) =>
        Builders<Ballot>.Filter.Eq(b => b.NominationId, nominationId) & Builders<Ballot>.Filter.Eq(b => b.MemberId, memberId);

    /// <summary>The round while it takes ballots; the ballot's transaction writes the guard through it.</summary>
    internal static FilterDefinition<Round> VotingFilter(string roundId) =>
        Builders<Round>.Filter.Eq(r => r.Id, roundId) & Builders<Round>.Filter.Eq(r => r.Status, RoundStatus.Voting);

    private static FilterDefinition<Round> VersionFilter(string id, int version) =>
        Builders<Round>.Filter.Eq(r => r.Id, id) & Builders<Round>.Filter.Eq(r => r.Version, version);

    public Task InsertAsync(Round round, AuditScope? audit, CancellationToken ct = default) =>
        db.WriteAsync(audit, () => [RoundAudit.Round(null, round)], (s, token) => Rounds.InsertOneAsync(s, round, cancellationToken: token), ct);

    public async Task<IReadOnlyList<Round>> GetByIdsAsync(IReadOnlyCollection<string> ids, CancellationToken ct = default) =>
        ids.Count == 0 ? [] : await Rounds.Find(Builders<Round>.Filter.In(r => r.Id, ids.Distinct())).ToListAsync(ct);

    public Task<bool> ReplaceAsync(Round round, int expectedVersion, AuditScope? audit, CancellationToken ct = default)
    {
        Round? stored = null;
        return db.WriteAsync(audit, () => [RoundAudit.Round(stored, round)], async (s, token) =>
        {
            stored = await Rounds.Find(s, VersionFilter(round.Id, expectedVersion)).FirstOrDefaultAsync(token);
            return stored is not null &&
                   (await Rounds.ReplaceOneAsync(s, VersionFilter(round.Id, expectedVersion), round, cancellationToken: token)).MatchedCount == 1;
        }, ct);
    }

    public Task<Page<Round>> FindAsync(RoundFilter filter, PageRequest page, CancellationToken ct = default) =>
        MongoQuery.PageByIdAsync(Rounds, RoundFilterOf(filter), SortDirection.Desc, page, ct);

    public async Task<IReadOnlyList<Round>> FindVotingDueAsync(DateTime now, CancellationToken ct = default) =>
        await Rounds.Find(Builders<Round>.Filter.Eq(r => r.Status, RoundStatus.Voting) & Builders<Round>.Filter.Lte(r => r.VotingClosesAt, now))
            .ToListAsync(ct);

    public Task InsertNominationAsync(Nomination nomination, AuditScope? audit, CancellationToken ct = default) =>
        MongoErrors.TranslateAsync(() => db.WriteAsync(audit, () => [RoundAudit.Nomination(null, nomination)],
            (s, token) => Nominations.InsertOneAsync(s, nomination, cancellationToken: token), ct),
            "The entry already has an active nomination in this round.");

    public async Task<IReadOnlyList<Nomination>> GetNominationsByIdsAsync(IReadOnlyCollection<string> ids, CancellationToken ct = default) =>
        ids.Count == 0 ? [] : await Nominations.Find(Builders<Nomination>.Filter.In(n => n.Id, ids.Distinct())).ToListAsync(ct);

    public Task<bool> ReplaceNominationAsync(Nomination nomination, int expectedVersion, AuditScope? audit, CancellationToken ct = default)
    {
        var filter = Builders<Nomination>.Filter.Eq(n => n.Id, nomination.Id) & Builders<Nomination>.Filter.Eq(n => n.Version, expectedVersion);
        Nomination? stored = null;
        return MongoErrors.TranslateAsync(() => db.WriteAsync(audit, () => [RoundAudit.Nomination(stored, nomination)], async (s, token) =>
        {
            stored = await Nominations.Find(s, filter).FirstOrDefaultAsync(token);
            return stored is not null && (await Nominations.ReplaceOneAsync(s, filter, nomination, cancellationToken: token)).MatchedCount == 1;
        }, ct), "The entry already has an active nomination in this round.");
    }

    private static FilterDefinition<Nomination> NominationsOf(string roundId, bool includeWithdrawn)
    {
        var filter = Builders<Nomination>.Filter.Eq(n => n.RoundId, roundId);
        return includeWithdrawn ? filter : filter & Builders<Nomination>.Filter.Eq(n => n.Status, NominationStatus.Active);
    }

    public Task<Page<Nomination>> FindNominationsAsync(string roundId, bool includeWithdrawn, PageRequest page, CancellationToken ct = default) =>
        MongoQuery.PageByIdAsync(Nominations, NominationsOf(roundId, includeWithdrawn), SortDirection.Asc, page, ct);

    public async Task<IReadOnlyList<Nomination>> ListActiveNominationsAsync(string roundId, CancellationToken ct = default) =>
        await Nominations.Find(NominationsOf(roundId, false)).ToListAsync(ct);

    public async Task<IReadOnlyList<Nomination>> ListNominationsOfEntriesAsync(IReadOnlyCollection<string> entryIds, CancellationToken ct = default) =>
        entryIds.Count == 0 ? []
            : await Nominations.Find(Builders<Nomination>.Filter.In(n => n.EntryId, entryIds.Distinct())).SortBy(n => n.Id).ToListAsync(ct);

    public async Task<BallotWriteResult> CastBallotAsync(Ballot ballot, AuditScope? audit, CancellationToken ct = default)
    {
        for (var attempt = 1; ; attempt++)
        {
            Round? round = null;
            Ballot? current = null;
            Ballot? stored = null;
            var outcome = BallotWriteOutcome.Stored;
            try
            {
                var written = await db.WriteAsync(audit, () => [RoundAudit.Ballot(round!, current, stored!)], async (s, token) =>
                {
                    // First the round: refused unless VOTING, and written, so a close running at the same time conflicts with this.
                    round = await Rounds.FindOneAndUpdateAsync(s, VotingFilter(ballot.RoundId),
                        Builders<Round>.Update.Inc(BallotGuardField, 1),
                        new FindOneAndUpdateOptions<Round> { ReturnDocument = ReturnDocument.After }, token);
                    if (round is null)
                    {
                        outcome = BallotWriteOutcome.RoundNotVoting;
                        return false;
                    }
                    current = await Ballots.Find(s, MemberBallotFilter(ballot.NominationId, ballot.MemberId)).FirstOrDefaultAsync(token);
                    if (current is { Choice: BallotChoice.Recused })
                    {
                        outcome = BallotWriteOutcome.AlreadyRecused;
                        return false;
                    }
                    stored = MongoQuery.Clone(ballot);
                    stored.Id = current?.Id ?? ballot.Id;
                    stored.Revision = (current?.Revision ?? 0) + 1;
                    if (current is null) await Ballots.InsertOneAsync(s, stored, cancellationToken: token);
                    else if ((await Ballots.ReplaceOneAsync(s, Builders<Ballot>.Filter.Eq(b => b.Id, current.Id) &
                                 Builders<Ballot>.Filter.Eq(b => b.Revision, current.Revision), stored, cancellationToken: token)).MatchedCount == 0)
                        throw new MongoContext.Rerun("The ballot changed meanwhile.");
                    await db.BallotHistory.InsertOneAsync(s, BallotRevision.Of(stored), cancellationToken: token);
                    return true;
                }, ct);
                return written
                    ? new BallotWriteResult(BallotWriteOutcome.Stored, stored)
                    : new BallotWriteResult(outcome, outcome == BallotWriteOutcome.AlreadyRecused ? current : null);
            }
            catch (MongoException e) when (MongoErrors.IsDuplicateKey(e) && attempt < MaxBallotAttempts)
            {
                // Two first ballots of the same member raced past the read; the rerun replaces the winner's.
            }
        }
    }

    public async Task<IReadOnlyList<Ballot>> ListBallotsAsync(string roundId, CancellationToken ct = default) =>
        await Ballots.Find(Builders<Ballot>.Filter.Eq(b => b.RoundId, roundId)).ToListAsync(ct);

    public async Task<IReadOnlyList<Ballot>> ListMemberBallotsAsync(string memberId, string? roundId, CancellationToken ct = default)
    {
        var filter = Builders<Ballot>.Filter.Eq(b => b.MemberId, memberId);
        if (roundId is not null) filter &= Builders<Ballot>.Filter.Eq(b => b.RoundId, roundId);
        return await Ballots.Find(filter).SortBy(b => b.NominationId).ToListAsync(ct);
    }

    public async Task<IReadOnlyList<BallotRevision>> ListBallotHistoryAsync(string nominationId, string memberId, CancellationToken ct = default) =>
        await db.BallotHistory.Find(Builders<BallotRevision>.Filter.Eq(b => b.NominationId, nominationId) & Builders<BallotRevision>.Filter.Eq(b => b.MemberId, memberId))
            .SortBy(b => b.Revision).ToListAsync(ct);

    public async Task<IReadOnlyDictionary<string, int>> CountBallotsAsync(IReadOnlyCollection<string> nominationIds, CancellationToken ct = default)
    {
        var counts = nominationIds.Distinct().ToDictionary(id => id, _ => 0);
        if (counts.Count == 0) return counts;
        var filter = Builders<Ballot>.Filter.In(b => b.NominationId, counts.Keys) & Builders<Ballot>.Filter.Ne(b => b.Choice, BallotChoice.Recused);
        foreach (var id in await MongoQuery.ValuesAsync(Ballots, filter, nameof(Ballot.NominationId), ct)) counts[id]++;
        return counts;
    }

    /// <remarks>
    /// Reads the nominations and ballots and replaces the round in one snapshot transaction; a
    /// ballot transaction writes the same round document, so whichever commits second reruns.
    /// </remarks>
    public async Task<RoundTally?> CloseAsync(string roundId, int expectedVersion,
        Func<Round, IReadOnlyList<Nomination>, IReadOnlyList<Ballot>, RoundTally> close, AuditScope? audit, CancellationToken ct = default)
    {
        Round? before = null;
        Round? round = null;
        RoundTally? tally = null;
        // One event for the round: its digest commits to the tally and every counted ballot.
        var closed = await db.WriteAsync(audit, () => [RoundAudit.Round(before, round!)], async (s, token) =>
        {
            round = await Rounds.Find(s, VersionFilter(roundId, expectedVersion)).FirstOrDefaultAsync(token);
            if (round is null) return false;
            before = MongoQuery.Clone(round);
            var nominations = await Nominations.Find(s, NominationsOf(roundId, false)).ToListAsync(token);
            var ballots = await Ballots.Find(s, Builders<Ballot>.Filter.Eq(b => b.RoundId, roundId)).ToListAsync(token);
            tally = close(round, nominations, ballots);
            await db.Tallies.ReplaceOneAsync(s, Builders<RoundTally>.Filter.Eq(t => t.Id, tally.Id), tally, new ReplaceOptions { IsUpsert = true }, token);
            return (await Rounds.ReplaceOneAsync(s, VersionFilter(roundId, expectedVersion), round, cancellationToken: token)).MatchedCount == 1;
        }, ct);
        return closed ? tally : null;
    }

    public Task<bool> PublishAsync(Round round, int expectedVersion, IReadOnlyList<Recognition> recognitions, Func<Entry, bool> recognize,
        AuditScope? audit, CancellationToken ct = default)
    {
        Round? stored = null;
        List<Recognition> added = [];
        List<(Entry Before, Entry After)> changed = [];
        AuditTarget[] Targets() =>
        [
            RoundAudit.Round(stored, round),
            .. added.Select(r => RoundAudit.Recognition(round, r)),
            .. changed.Select(c => RoundAudit.Entry(c.Before, c.After)),
        ];
        return db.WriteAsync(audit, Targets, async (s, token) =>
        {
            stored = await Rounds.Find(s, VersionFilter(round.Id, expectedVersion)).FirstOrDefaultAsync(token);
            if (stored is null) return false;
            var existing = (await db.Recognitions.Find(s, Builders<Recognition>.Filter.Eq(r => r.RoundId, round.Id)).ToListAsync(token))
                .Select(r => r.EntryId).ToHashSet(StringComparer.Ordinal);
            added = [.. recognitions.Where(r => !existing.Contains(r.EntryId))];
            changed = [];
            var entryIds = recognitions.Select(r => r.EntryId).Distinct().ToList();
            if (entryIds.Count > 0)
                foreach (var entry in await db.Entries.Find(s, Builders<Entry>.Filter.In(e => e.Id, entryIds)).ToListAsync(token))
                {
                    var before = MongoQuery.Clone(entry);
                    if (recognize(entry)) changed.Add((before, entry));
                }
            if (added.Count > 0) await db.Recognitions.InsertManyAsync(s, added, cancellationToken: token);
            foreach (var (before, after) in changed)
                if (!await MongoEntryWrites.ReplaceAsync(db, s, before, after, token))
                    throw new ConcurrencyConflictException(new(Messages.EntryChangedWhileRoundWas, EntryRules.Label(after)));
            return (await Rounds.ReplaceOneAsync(s, VersionFilter(round.Id, expectedVersion), round, cancellationToken: token)).MatchedCount == 1;
        }, ct);
    }

    public async Task<RoundTally?> GetTallyAsync(string roundId, CancellationToken ct = default) =>
        await db.Tallies.Find(Builders<RoundTally>.Filter.Eq(t => t.Id, roundId)).FirstOrDefaultAsync(ct);

    /// <summary>One insert per recognition, so one that exists already never stops the others.</summary>
    public async Task InsertRecognitionsAsync(IReadOnlyList<Recognition> recognitions, CancellationToken ct = default)
    {
        foreach (var recognition in recognitions)
        {
            try
            {
                await db.Recognitions.InsertOneAsync(recognition, cancellationToken: ct);
            }
            catch (MongoException e) when (MongoErrors.IsDuplicateKey(e))
            {
                // Already recognised by an earlier, interrupted publish.
            }
        }
    }

    public async Task<IReadOnlyList<Recognition>> ListRecognitionsOfEntriesAsync(IReadOnlyCollection<string> entryIds, CancellationToken ct = default) =>
        entryIds.Count == 0 ? []
            : await db.Recognitions.Find(Builders<Recognition>.Filter.In(r => r.EntryId, entryIds.Distinct()))
                .SortBy(r => r.RecognizedAt).ThenBy(r => r.Id).ToListAsync(ct);

    public async Task<IReadOnlyList<Recognition>> ListRecognitionsOfYearAsync(int year, CancellationToken ct = default) =>
        await db.Recognitions.Find(Builders<Recognition>.Filter.Eq(r => r.Year, year)).SortBy(r => r.RecognizedAt).ThenBy(r => r.Id).ToListAsync(ct);
}
