using DanVanKheo.Api.Audit;
using DanVanKheo.Api.Common;
using DanVanKheo.Api.Entries;
using DanVanKheo.Api.Rounds;
using MongoDB.Bson;
using MongoDB.Driver;
using SortDirection = DanVanKheo.Api.Common.SortDirection;

namespace DanVanKheo.Api.Storage.Mongo;

/// <summary>
/// Rounds, nominations, ballots (current + history), tallies and recognitions in MongoDB.
/// Ballots: an upsert keyed by the unique index {NominationId, MemberId}, so concurrent
/// writers can neither duplicate nor lose a member's ballot; the revision is incremented by the
/// server in the same atomic update. Works on a standalone server: no multi-document
/// transactions are needed (see docs/rounds.md for the one race this leaves with closing).
/// </summary>
public sealed class MongoRoundStore : IRoundStore
{
    private readonly IMongoCollection<Round> _rounds;
    private readonly IMongoCollection<Nomination> _nominations;
    private readonly IMongoCollection<Ballot> _ballots;
    private readonly IMongoCollection<BallotRevision> _history;
    private readonly IMongoCollection<RoundTally> _tallies;
    private readonly IMongoCollection<Recognition> _recognitions;
    private readonly IMongoCollection<Entry> _entries;
    private readonly Lazy<Task> _indexes;
    private readonly MongoAuditStore? _audit;

    /// <param name="audit">The audit writer of the same database (from DI); without it writes are not audited.</param>
    public MongoRoundStore(IMongoDatabase database, MongoAuditStore? audit = null)
    {
        MongoRoundMappings.Register();
        MongoMappings.Register();
        _audit = audit;
        _entries = database.GetCollection<Entry>("entries");
        _rounds = database.GetCollection<Round>("rounds");
        _nominations = database.GetCollection<Nomination>("nominations");
        _ballots = database.GetCollection<Ballot>("ballots");
        _history = database.GetCollection<BallotRevision>("ballot_history");
        _tallies = database.GetCollection<RoundTally>("tallies");
        _recognitions = database.GetCollection<Recognition>("recognitions");
        _indexes = new Lazy<Task>(CreateIndexesAsync);
    }

    private async Task CreateIndexesAsync()
    {
        await _rounds.Indexes.CreateManyAsync(RoundIndexes());
        await _nominations.Indexes.CreateManyAsync(NominationIndexes());
        await _ballots.Indexes.CreateManyAsync(BallotIndexes());
        await _history.Indexes.CreateManyAsync(HistoryIndexes());
        await _recognitions.Indexes.CreateManyAsync(RecognitionIndexes());
    }

    private Task Ready() => _indexes.Value;

    internal static IEnumerable<CreateIndexModel<Round>> RoundIndexes() =>
    [
        new(Builders<Round>.IndexKeys.Ascending(r => r.CouncilId), new CreateIndexOptions { Name = "ix_council" }),
        new(Builders<Round>.IndexKeys.Ascending(r => r.CouncilUnitId), new CreateIndexOptions { Name = "ix_council_unit" }),
        new(Builders<Round>.IndexKeys.Ascending(r => r.Status).Ascending(r => r.VotingClosesAt), new CreateIndexOptions { Name = "ix_status_deadline" }),
    ];

    internal static IEnumerable<CreateIndexModel<Nomination>> NominationIndexes() =>
    [
        new(Builders<Nomination>.IndexKeys.Ascending(n => n.UniqueKey), new CreateIndexOptions { Name = "ux_round_entry", Unique = true }),
        new(Builders<Nomination>.IndexKeys.Ascending(n => n.RoundId).Ascending(n => n.Status), new CreateIndexOptions { Name = "ix_round" }),
        new(Builders<Nomination>.IndexKeys.Ascending(n => n.EntryId), new CreateIndexOptions { Name = "ix_entry" }),
    ];

    internal static IEnumerable<CreateIndexModel<Ballot>> BallotIndexes() =>
    [
        new(Builders<Ballot>.IndexKeys.Ascending(b => b.NominationId).Ascending(b => b.MemberId), new CreateIndexOptions { Name = "ux_nomination_member", Unique = true }),
        new(Builders<Ballot>.IndexKeys.Ascending(b => b.RoundId), new CreateIndexOptions { Name = "ix_round" }),
        new(Builders<Ballot>.IndexKeys.Ascending(b => b.MemberId).Ascending(b => b.RoundId), new CreateIndexOptions { Name = "ix_member" }),
    ];

    internal static IEnumerable<CreateIndexModel<BallotRevision>> HistoryIndexes() =>
    [
        new(Builders<BallotRevision>.IndexKeys.Ascending(b => b.NominationId).Ascending(b => b.MemberId).Ascending(b => b.Revision),
            new CreateIndexOptions { Name = "ux_nomination_member_revision", Unique = true }),
    ];

    internal static IEnumerable<CreateIndexModel<Recognition>> RecognitionIndexes() =>
    [
        new(Builders<Recognition>.IndexKeys.Ascending(r => r.RoundId).Ascending(r => r.EntryId), new CreateIndexOptions { Name = "ux_round_entry", Unique = true }),
        new(Builders<Recognition>.IndexKeys.Ascending(r => r.EntryId), new CreateIndexOptions { Name = "ix_entry" }),
        new(Builders<Recognition>.IndexKeys.Ascending(r => r.Year).Ascending(r => r.RecognizedAt), new CreateIndexOptions { Name = "ix_year" }),
    ];

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

    /// <summary>The member's current ballot, unless it is a recusal (which is final).</summary>
    internal static FilterDefinition<Ballot> OpenBallotFilter(string nominationId, string memberId) =>
        Builders<Ballot>.Filter.Eq(b => b.NominationId, nominationId) &
        Builders<Ballot>.Filter.Eq(b => b.MemberId, memberId) &
        Builders<Ballot>.Filter.Ne(b => b.Choice, BallotChoice.Recused);

    internal static UpdateDefinition<Ballot> BallotUpdate(Ballot ballot) =>
        Builders<Ballot>.Update
            .SetOnInsert(b => b.Id, ballot.Id)
            .Set(b => b.RoundId, ballot.RoundId)
            .Set(b => b.Choice, ballot.Choice)
            .Set(b => b.Scores, ballot.Scores)
            .Set(b => b.Comment, ballot.Comment)
            .Set(b => b.CastAt, ballot.CastAt)
            .Inc(b => b.Revision, 1);

    public async Task InsertAsync(Round round, AuditScope? audit, CancellationToken ct = default)
    {
        await Ready();
        await MongoAuditedWrites.InsertAsync(_audit, audit, _rounds, round.Id, round, () => [RoundAudit.Round(null, round)], ct);
    }

    public async Task<IReadOnlyList<Round>> GetByIdsAsync(IReadOnlyCollection<string> ids, CancellationToken ct = default) =>
        ids.Count == 0 ? [] : await _rounds.Find(Builders<Round>.Filter.In(r => r.Id, ids.Distinct())).ToListAsync(ct);

    public async Task<bool> ReplaceAsync(Round round, int expectedVersion, AuditScope? audit, CancellationToken ct = default)
    {
        var stored = await StoredForAuditAsync(audit, _rounds, VersionFilter(round.Id, expectedVersion), ct);
        if (stored is { Found: false }) return false;
        return await MongoAuditedWrites.ReplaceAsync(_audit, audit, _rounds, round.Id, expectedVersion, round,
            () => [RoundAudit.Round(stored?.Document, round)], ct);
    }

    /// <summary>When the write is audited, the stored state the event's "before" shows (Found false: the version check already fails); null when not audited.</summary>
    private async Task<(bool Found, T? Document)?> StoredForAuditAsync<T>(AuditScope? audit, IMongoCollection<T> col, FilterDefinition<T> filter, CancellationToken ct) where T : class
    {
        if (_audit is null || audit is null) return null;
        var doc = await col.Find(filter).FirstOrDefaultAsync(ct);
        return (doc is not null, doc);
    }

    private static FilterDefinition<Round> VersionFilter(string id, int version) =>
        Builders<Round>.Filter.Eq(r => r.Id, id) & Builders<Round>.Filter.Eq(r => r.Version, version);

    public async Task<Page<Round>> FindAsync(RoundFilter filter, PageRequest page, CancellationToken ct = default)
    {
        await Ready();
        return await MongoRoundMappings.PageByIdAsync(_rounds, RoundFilterOf(filter), SortDirection.Desc, page, ct);
    }

    public async Task<IReadOnlyList<Round>> FindVotingDueAsync(DateTime now, CancellationToken ct = default) =>
        await _rounds.Find(Builders<Round>.Filter.Eq(r => r.Status, RoundStatus.Voting) & Builders<Round>.Filter.Lte(r => r.VotingClosesAt, now))
            .ToListAsync(ct);

    public async Task InsertNominationAsync(Nomination nomination, AuditScope? audit, CancellationToken ct = default)
    {
        await Ready();
        try
        {
            await MongoAuditedWrites.InsertAsync(_audit, audit, _nominations, nomination.Id, nomination,
                () => [RoundAudit.Nomination(null, nomination)], ct);
        }
        catch (MongoException e) when (MongoRoundMappings.IsDuplicateKey(e))
        {
            throw new DuplicateKeyException("The entry already has an active nomination in this round.", e);
        }
    }

    public async Task<IReadOnlyList<Nomination>> GetNominationsByIdsAsync(IReadOnlyCollection<string> ids, CancellationToken ct = default) =>
        ids.Count == 0 ? [] : await _nominations.Find(Builders<Nomination>.Filter.In(n => n.Id, ids.Distinct())).ToListAsync(ct);

    public async Task<bool> ReplaceNominationAsync(Nomination nomination, int expectedVersion, AuditScope? audit, CancellationToken ct = default)
    {
        var filter = Builders<Nomination>.Filter.Eq(n => n.Id, nomination.Id) & Builders<Nomination>.Filter.Eq(n => n.Version, expectedVersion);
        try
        {
            var stored = await StoredForAuditAsync(audit, _nominations, filter, ct);
            if (stored is { Found: false }) return false;
            return await MongoAuditedWrites.ReplaceAsync(_audit, audit, _nominations, nomination.Id, expectedVersion, nomination,
                () => [RoundAudit.Nomination(stored?.Document, nomination)], ct);
        }
        catch (MongoException e) when (MongoRoundMappings.IsDuplicateKey(e))
        {
            throw new DuplicateKeyException("The entry already has an active nomination in this round.", e);
        }
    }

    private static FilterDefinition<Nomination> NominationsOf(string roundId, bool includeWithdrawn)
    {
        var filter = Builders<Nomination>.Filter.Eq(n => n.RoundId, roundId);
        return includeWithdrawn ? filter : filter & Builders<Nomination>.Filter.Eq(n => n.Status, NominationStatus.Active);
    }

    public async Task<Page<Nomination>> FindNominationsAsync(string roundId, bool includeWithdrawn, PageRequest page, CancellationToken ct = default) =>
        await MongoRoundMappings.PageByIdAsync(_nominations, NominationsOf(roundId, includeWithdrawn), SortDirection.Asc, page, ct);

    public async Task<IReadOnlyList<Nomination>> ListActiveNominationsAsync(string roundId, CancellationToken ct = default) =>
        await _nominations.Find(NominationsOf(roundId, false)).ToListAsync(ct);

    public async Task<IReadOnlyList<Nomination>> ListNominationsOfEntriesAsync(IReadOnlyCollection<string> entryIds, CancellationToken ct = default) =>
        entryIds.Count == 0 ? []
            : await _nominations.Find(Builders<Nomination>.Filter.In(n => n.EntryId, entryIds.Distinct())).SortBy(n => n.Id).ToListAsync(ct);

    public async Task<BallotWriteResult> CastBallotAsync(Ballot ballot, AuditScope? audit, CancellationToken ct = default)
    {
        await Ready();
        var round = await _rounds.Find(Builders<Round>.Filter.Eq(r => r.Id, ballot.RoundId)).FirstOrDefaultAsync(ct);
        if (round is null || round.Status != RoundStatus.Voting) return new BallotWriteResult(BallotWriteOutcome.RoundNotVoting, null);
        var options = new FindOneAndUpdateOptions<Ballot> { IsUpsert = true, ReturnDocument = ReturnDocument.After };
        var audited = _audit is not null && audit is not null;
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                var filter = OpenBallotFilter(ballot.NominationId, ballot.MemberId);
                Ballot? current = null;
                if (audited)
                {
                    // The event states the revision this write makes: the update only applies to the revision read
                    // (a concurrent write makes the upsert collide with the unique key, and this retries).
                    current = await _ballots.Find(Builders<Ballot>.Filter.Eq(b => b.NominationId, ballot.NominationId) &
                                                  Builders<Ballot>.Filter.Eq(b => b.MemberId, ballot.MemberId)).FirstOrDefaultAsync(ct);
                    if (current is { Choice: BallotChoice.Recused }) return new BallotWriteResult(BallotWriteOutcome.AlreadyRecused, current);
                    filter &= current is null ? Builders<Ballot>.Filter.Exists(b => b.Revision, false) : Builders<Ballot>.Filter.Eq(b => b.Revision, current.Revision);
                }
                var expected = MongoAuditedWrites.Clone(ballot);
                expected.Id = current?.Id ?? ballot.Id;
                expected.Revision = (current?.Revision ?? 0) + 1;
                Ballot? stored = null;
                await MongoAuditedWrites.WriteAsync(_audit, audit, "ballots", expected.Id,
                    () => [RoundAudit.Ballot(round, current, expected)],
                    async (session, outbox) =>
                    {
                        var update = BallotUpdate(ballot);
                        if (outbox is not null) update = Builders<Ballot>.Update.Combine(update, Builders<Ballot>.Update.Set(MongoAuditStore.OutboxField, outbox));
                        stored = session is null
                            ? await _ballots.FindOneAndUpdateAsync(filter, update, options, ct)
                            : await _ballots.FindOneAndUpdateAsync(session, filter, update, options, ct);
                        var revision = BallotRevision.Of(stored);
                        if (session is null) await _history.InsertOneAsync(revision, cancellationToken: ct);
                        else await _history.InsertOneAsync(session, revision, cancellationToken: ct);
                        return true;
                    }, ct);
                return new BallotWriteResult(BallotWriteOutcome.Stored, stored);
            }
            catch (MongoException e) when (MongoRoundMappings.IsDuplicateKey(e))
            {
                // Either the member's ballot is a recusal (the filter excluded it) or two writers raced: the retry updates.
                var current = await _ballots.Find(Builders<Ballot>.Filter.Eq(b => b.NominationId, ballot.NominationId) &
                                                  Builders<Ballot>.Filter.Eq(b => b.MemberId, ballot.MemberId)).FirstOrDefaultAsync(ct);
                if (current is { Choice: BallotChoice.Recused }) return new BallotWriteResult(BallotWriteOutcome.AlreadyRecused, current);
                if (attempt >= 3) throw;
            }
        }
    }

    public async Task<IReadOnlyList<Ballot>> ListBallotsAsync(string roundId, CancellationToken ct = default) =>
        await _ballots.Find(Builders<Ballot>.Filter.Eq(b => b.RoundId, roundId)).ToListAsync(ct);

    public async Task<IReadOnlyList<Ballot>> ListMemberBallotsAsync(string memberId, string? roundId, CancellationToken ct = default)
    {
        var filter = Builders<Ballot>.Filter.Eq(b => b.MemberId, memberId);
        if (roundId is not null) filter &= Builders<Ballot>.Filter.Eq(b => b.RoundId, roundId);
        return await _ballots.Find(filter).SortBy(b => b.NominationId).ToListAsync(ct);
    }

    public async Task<IReadOnlyList<BallotRevision>> ListBallotHistoryAsync(string nominationId, string memberId, CancellationToken ct = default) =>
        await _history.Find(Builders<BallotRevision>.Filter.Eq(b => b.NominationId, nominationId) & Builders<BallotRevision>.Filter.Eq(b => b.MemberId, memberId))
            .SortBy(b => b.Revision).ToListAsync(ct);

    public async Task<IReadOnlyDictionary<string, int>> CountBallotsAsync(IReadOnlyCollection<string> nominationIds, CancellationToken ct = default)
    {
        var counts = nominationIds.Distinct().ToDictionary(id => id, _ => 0);
        if (counts.Count == 0) return counts;
        var filter = Builders<Ballot>.Filter.In(b => b.NominationId, counts.Keys) & Builders<Ballot>.Filter.Ne(b => b.Choice, BallotChoice.Recused);
        foreach (var id in await _ballots.Find(filter).Project(b => b.NominationId).ToListAsync(ct)) counts[id]++;
        return counts;
    }

    /// <remarks>
    /// Without a multi-document transaction a ballot written by a request that read the round as
    /// VOTING just before this read can land after it; it stays out of the tally and its digest.
    /// </remarks>
    public async Task<RoundTally?> CloseAsync(string roundId, int expectedVersion,
        Func<Round, IReadOnlyList<Nomination>, IReadOnlyList<Ballot>, RoundTally> close, AuditScope? audit, CancellationToken ct = default)
    {
        var round = await _rounds.Find(VersionFilter(roundId, expectedVersion)).FirstOrDefaultAsync(ct);
        if (round is null) return null;
        var before = MongoAuditedWrites.Clone(round);
        var tally = close(round, await ListActiveNominationsAsync(roundId, ct), await ListBallotsAsync(roundId, ct));
        var tallyFilter = Builders<RoundTally>.Filter.Eq(t => t.Id, tally.Id);
        // One event for the round: its digest commits to the tally and every counted ballot.
        var closed = await MongoAuditedWrites.WriteAsync(_audit, audit, "rounds", roundId, () => [RoundAudit.Round(before, round)],
            async (session, outbox) =>
            {
                var upsert = new ReplaceOptions { IsUpsert = true };
                if (session is null) await _tallies.ReplaceOneAsync(tallyFilter, tally, upsert, ct);
                else await _tallies.ReplaceOneAsync(session, tallyFilter, tally, upsert, ct);
                if (await MongoAuditedWrites.ReplaceOneAsync(_rounds, roundId, expectedVersion, round, session, outbox, ct)) return true;
                if (session is null) await _tallies.DeleteOneAsync(tallyFilter, ct);
                else await _tallies.DeleteOneAsync(session, tallyFilter, cancellationToken: ct);
                return false;
            }, ct);
        return closed ? tally : null;
    }

    public async Task<bool> PublishAsync(Round round, int expectedVersion, IReadOnlyList<Recognition> recognitions, Func<Entry, bool> recognize,
        AuditScope? audit, CancellationToken ct = default)
    {
        await Ready();
        var stored = await _rounds.Find(VersionFilter(round.Id, expectedVersion)).FirstOrDefaultAsync(ct);
        if (stored is null) return false;
        var existing = recognitions.Count == 0 ? []
            : await _recognitions.Find(Builders<Recognition>.Filter.Eq(r => r.RoundId, round.Id)).Project(r => r.EntryId).ToListAsync(ct);
        var newRecognitions = recognitions.Where(r => !existing.Contains(r.EntryId)).ToList();
        var entryIds = recognitions.Select(r => r.EntryId).Distinct().ToList();
        var changed = new List<(Entry Before, Entry After)>();
        if (entryIds.Count > 0)
            foreach (var entry in await _entries.Find(Builders<Entry>.Filter.In(e => e.Id, entryIds)).ToListAsync(ct))
            {
                var before = MongoAuditedWrites.Clone(entry);
                if (recognize(entry)) changed.Add((before, entry));
            }
        AuditTarget[] Targets() =>
        [
            RoundAudit.Round(stored, round),
            .. newRecognitions.Select(r => RoundAudit.Recognition(round, r)),
            .. changed.Select(c => RoundAudit.Entry(c.Before, c.After)),
        ];
        // With transactions all of it commits together; without, recognitions and entries are written first
        // (each step idempotent, so publishing again completes an interrupted publish) and the round, with the event, last.
        return await MongoAuditedWrites.WriteAsync(_audit, audit, "rounds", round.Id, Targets, async (session, outbox) =>
        {
            if (newRecognitions.Count > 0)
            {
                try
                {
                    var options = new InsertManyOptions { IsOrdered = false };
                    if (session is null) await _recognitions.InsertManyAsync(newRecognitions, options, ct);
                    else await _recognitions.InsertManyAsync(session, newRecognitions, options, ct);
                }
                catch (MongoException e) when (session is null && MongoRoundMappings.IsDuplicateKey(e))
                {
                    // Recognised by a concurrent or interrupted publish: the others were inserted.
                }
            }
            foreach (var (before, after) in changed)
            {
                if (session is null && _audit is not null) await _audit.DrainDocumentAsync("entries", after.Id, ct);
                if (!await MongoAuditedWrites.ReplaceOneAsync(_entries, after.Id, before.Version, after, session, null, ct))
                    throw new ConcurrencyConflictException($"Entry {after.Code} changed while the round was published; publish again.");
            }
            return await MongoAuditedWrites.ReplaceOneAsync(_rounds, round.Id, expectedVersion, round, session, outbox, ct);
        }, ct);
    }

    public async Task<RoundTally?> GetTallyAsync(string roundId, CancellationToken ct = default) =>
        await _tallies.Find(Builders<RoundTally>.Filter.Eq(t => t.Id, roundId)).FirstOrDefaultAsync(ct);

    public async Task InsertRecognitionsAsync(IReadOnlyList<Recognition> recognitions, CancellationToken ct = default)
    {
        if (recognitions.Count == 0) return;
        await Ready();
        try
        {
            await _recognitions.InsertManyAsync(recognitions, new InsertManyOptions { IsOrdered = false }, ct);
        }
        catch (MongoException e) when (MongoRoundMappings.IsDuplicateKey(e))
        {
            // Already recognised by an earlier, interrupted publish: the others were inserted.
        }
    }

    public async Task<IReadOnlyList<Recognition>> ListRecognitionsOfEntriesAsync(IReadOnlyCollection<string> entryIds, CancellationToken ct = default) =>
        entryIds.Count == 0 ? []
            : await _recognitions.Find(Builders<Recognition>.Filter.In(r => r.EntryId, entryIds.Distinct()))
                .SortBy(r => r.RecognizedAt).ThenBy(r => r.Id).ToListAsync(ct);

    public async Task<IReadOnlyList<Recognition>> ListRecognitionsOfYearAsync(int year, CancellationToken ct = default) =>
        await _recognitions.Find(Builders<Recognition>.Filter.Eq(r => r.Year, year)).SortBy(r => r.RecognizedAt).ThenBy(r => r.Id).ToListAsync(ct);
}
