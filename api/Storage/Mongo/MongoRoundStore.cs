using DanVanKheo.Api.Common;
using DanVanKheo.Api.Rounds;
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
    private readonly Lazy<Task> _indexes;

    public MongoRoundStore(IMongoDatabase database)
    {
        MongoRoundMappings.Register();
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

    public async Task InsertAsync(Round round, CancellationToken ct = default)
    {
        await Ready();
        await _rounds.InsertOneAsync(round, cancellationToken: ct);
    }

    public async Task<IReadOnlyList<Round>> GetByIdsAsync(IReadOnlyCollection<string> ids, CancellationToken ct = default) =>
        ids.Count == 0 ? [] : await _rounds.Find(Builders<Round>.Filter.In(r => r.Id, ids.Distinct())).ToListAsync(ct);

    public async Task<bool> ReplaceAsync(Round round, int expectedVersion, CancellationToken ct = default) =>
        (await _rounds.ReplaceOneAsync(VersionFilter(round.Id, expectedVersion), round, cancellationToken: ct)).MatchedCount == 1;

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

    public async Task InsertNominationAsync(Nomination nomination, CancellationToken ct = default)
    {
        await Ready();
        try
        {
            await _nominations.InsertOneAsync(nomination, cancellationToken: ct);
        }
        catch (MongoException e) when (MongoRoundMappings.IsDuplicateKey(e))
        {
            throw new DuplicateKeyException("The entry already has an active nomination in this round.", e);
        }
    }

    public async Task<IReadOnlyList<Nomination>> GetNominationsByIdsAsync(IReadOnlyCollection<string> ids, CancellationToken ct = default) =>
        ids.Count == 0 ? [] : await _nominations.Find(Builders<Nomination>.Filter.In(n => n.Id, ids.Distinct())).ToListAsync(ct);

    public async Task<bool> ReplaceNominationAsync(Nomination nomination, int expectedVersion, CancellationToken ct = default)
    {
        var filter = Builders<Nomination>.Filter.Eq(n => n.Id, nomination.Id) & Builders<Nomination>.Filter.Eq(n => n.Version, expectedVersion);
        try
        {
            return (await _nominations.ReplaceOneAsync(filter, nomination, cancellationToken: ct)).MatchedCount == 1;
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

    public async Task<BallotWriteResult> CastBallotAsync(Ballot ballot, CancellationToken ct = default)
    {
        await Ready();
        var round = await _rounds.Find(Builders<Round>.Filter.Eq(r => r.Id, ballot.RoundId)).FirstOrDefaultAsync(ct);
        if (round is null || round.Status != RoundStatus.Voting) return new BallotWriteResult(BallotWriteOutcome.RoundNotVoting, null);
        var options = new FindOneAndUpdateOptions<Ballot> { IsUpsert = true, ReturnDocument = ReturnDocument.After };
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                var stored = await _ballots.FindOneAndUpdateAsync(OpenBallotFilter(ballot.NominationId, ballot.MemberId), BallotUpdate(ballot), options, ct);
                await _history.InsertOneAsync(BallotRevision.Of(stored), cancellationToken: ct);
                return new BallotWriteResult(BallotWriteOutcome.Stored, stored);
            }
            catch (MongoException e) when (MongoRoundMappings.IsDuplicateKey(e))
            {
                // Either the member's ballot is a recusal (the filter excluded it) or two first ballots raced: the retry updates.
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
        Func<Round, IReadOnlyList<Nomination>, IReadOnlyList<Ballot>, RoundTally> close, CancellationToken ct = default)
    {
        var round = await _rounds.Find(VersionFilter(roundId, expectedVersion)).FirstOrDefaultAsync(ct);
        if (round is null) return null;
        var tally = close(round, await ListActiveNominationsAsync(roundId, ct), await ListBallotsAsync(roundId, ct));
        await _tallies.ReplaceOneAsync(Builders<RoundTally>.Filter.Eq(t => t.Id, tally.Id), tally, new ReplaceOptions { IsUpsert = true }, ct);
        if (await ReplaceAsync(round, expectedVersion, ct)) return tally;
        await _tallies.DeleteOneAsync(Builders<RoundTally>.Filter.Eq(t => t.Id, tally.Id), ct);
        return null;
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
}
