using DanVanKheo.Api.Audit;
using DanVanKheo.Api.Common;
using DanVanKheo.Api.Entries;
using DanVanKheo.Api.Rounds;
using LiteDB;

namespace DanVanKheo.Api.Storage.LiteDb;

/// <summary>
/// Rounds, nominations, ballots (current + history), tallies and recognitions in the embedded
/// file. Uniqueness (one active nomination per entry and round, one current ballot per
/// nomination and member, one recognition per round and entry) is held by unique indexes.
/// </summary>
public sealed class LiteDbRoundStore : IRoundStore
{
    internal const string BallotKey = "$.NominationId + '|' + $.MemberId";
    internal const string RecognitionKey = "$.RoundId + '|' + $.EntryId";

    private readonly LiteDbContext _db;

    public LiteDbRoundStore(LiteDbContext db)
    {
        // Stores are built lazily, possibly on two threads at once: LiteDB's mapper and collection list
        // are not safe to change concurrently, so building one takes the write gate.
        lock (db.WriteGate)
        {
            _db = db;
            var mapper = db.Database.Mapper;
            mapper.Entity<Round>().Id(r => r.Id, autoId: false);
            mapper.Entity<Nomination>().Id(n => n.Id, autoId: false);
            mapper.Entity<Ballot>().Id(b => b.Id, autoId: false);
            mapper.Entity<BallotRevision>().Id(b => b.Id, autoId: false);
            mapper.Entity<RoundTally>().Id(t => t.Id, autoId: false);
            mapper.Entity<Recognition>().Id(r => r.Id, autoId: false);

            Rounds.EnsureIndex("ix_council", "$.CouncilId");
            Rounds.EnsureIndex("ix_council_unit", "$.CouncilUnitId");
            Rounds.EnsureIndex("ix_status", "$.Status");
            Rounds.EnsureIndex("ix_year", "$.Year");
            Nominations.EnsureIndex("ux_round_entry", "$.UniqueKey", unique: true);
            Nominations.EnsureIndex("ix_round", "$.RoundId");
            Nominations.EnsureIndex("ix_entry", "$.EntryId");
            Ballots.EnsureIndex("ux_nomination_member", BallotKey, unique: true);
            Ballots.EnsureIndex("ix_round", "$.RoundId");
            Ballots.EnsureIndex("ix_nomination", "$.NominationId");
            Ballots.EnsureIndex("ix_member", "$.MemberId");
            History.EnsureIndex("ix_nomination_member", BallotKey);
            Recognitions.EnsureIndex("ux_round_entry", RecognitionKey, unique: true);
            Recognitions.EnsureIndex("ix_entry", "$.EntryId");
            Recognitions.EnsureIndex("ix_year", "$.Year");
        }
    }

    private ILiteCollection<Round> Rounds => _db.Database.GetCollection<Round>("rounds");
    private ILiteCollection<Nomination> Nominations => _db.Database.GetCollection<Nomination>("nominations");
    private ILiteCollection<Ballot> Ballots => _db.Database.GetCollection<Ballot>("ballots");
    private ILiteCollection<BallotRevision> History => _db.Database.GetCollection<BallotRevision>("ballot_history");
    private ILiteCollection<RoundTally> Tallies => _db.Database.GetCollection<RoundTally>("tallies");
    private ILiteCollection<Recognition> Recognitions => _db.Database.GetCollection<Recognition>("recognitions");

    public Task InsertAsync(Round round, AuditScope? audit, CancellationToken ct = default)
    {
        _db.InTransaction(() =>
        {
            Rounds.Insert(round);
            LiteDbAuditStore.Record(_db, audit, RoundAudit.Round(null, round));
            return true;
        });
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<Round>> GetByIdsAsync(IReadOnlyCollection<string> ids, CancellationToken ct = default) =>
        Task.FromResult<IReadOnlyList<Round>>(ids.Count == 0 ? [] : Rounds.Find(Query.In("_id", Values(ids))).ToList());

    public Task<bool> ReplaceAsync(Round round, int expectedVersion, AuditScope? audit, CancellationToken ct = default) =>
        Task.FromResult(_db.InTransaction(() =>
        {
            var stored = Rounds.FindById(round.Id);
            if (stored is null || stored.Version != expectedVersion || !Rounds.Update(round)) return false;
            LiteDbAuditStore.Record(_db, audit, RoundAudit.Round(stored, round));
            return true;
        }));

    public Task<Page<Round>> FindAsync(RoundFilter filter, PageRequest page, CancellationToken ct = default)
    {
        var filters = new List<BsonExpression>();
        if (filter.CouncilId is not null) filters.Add(Query.EQ("CouncilId", filter.CouncilId));
        if (filter.UnitId is not null) filters.Add(Query.EQ("CouncilUnitId", filter.UnitId));
        if (filter.Status is { } status) filters.Add(Query.EQ("Status", status.ToString()));
        if (filter.Year is { } year) filters.Add(Query.EQ("Year", year));
        if (filter.Level is { } level) filters.Add(Query.EQ("Level", level.ToString()));
        return Task.FromResult(LiteDbQuery.Run(Rounds, filters, "$._id", SortDirection.Desc, page));
    }

    public Task<IReadOnlyList<Round>> FindVotingDueAsync(DateTime now, CancellationToken ct = default) =>
        Task.FromResult<IReadOnlyList<Round>>(Rounds.Find(Query.And(
            Query.EQ("Status", RoundStatus.Voting.ToString()), Query.LTE("VotingClosesAt", now))).ToList());

    public Task InsertNominationAsync(Nomination nomination, AuditScope? audit, CancellationToken ct = default)
    {
        try
        {
            _db.InTransaction(() =>
            {
                Nominations.Insert(nomination);
                LiteDbAuditStore.Record(_db, audit, RoundAudit.Nomination(null, nomination));
                return true;
            });
        }
        catch (LiteException e) when (LiteDbContext.IsDuplicateKey(e))
        {
            throw new DuplicateKeyException("The entry already has an active nomination in this round.", e);
        }
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<Nomination>> GetNominationsByIdsAsync(IReadOnlyCollection<string> ids, CancellationToken ct = default) =>
        Task.FromResult<IReadOnlyList<Nomination>>(ids.Count == 0 ? [] : Nominations.Find(Query.In("_id", Values(ids))).ToList());

    public Task<bool> ReplaceNominationAsync(Nomination nomination, int expectedVersion, AuditScope? audit, CancellationToken ct = default)
    {
        try
        {
            return Task.FromResult(_db.InTransaction(() =>
            {
                var stored = Nominations.FindById(nomination.Id);
                if (stored is null || stored.Version != expectedVersion || !Nominations.Update(nomination)) return false;
                LiteDbAuditStore.Record(_db, audit, RoundAudit.Nomination(stored, nomination));
                return true;
            }));
        }
        catch (LiteException e) when (LiteDbContext.IsDuplicateKey(e))
        {
            throw new DuplicateKeyException("The entry already has an active nomination in this round.", e);
        }
    }

    public Task<Page<Nomination>> FindNominationsAsync(string roundId, bool includeWithdrawn, PageRequest page, CancellationToken ct = default)
    {
        var filters = new List<BsonExpression> { Query.EQ("RoundId", roundId) };
        if (!includeWithdrawn) filters.Add(Query.EQ("Status", NominationStatus.Active.ToString()));
        return Task.FromResult(LiteDbQuery.Run(Nominations, filters, "$._id", SortDirection.Asc, page));
    }

    public Task<IReadOnlyList<Nomination>> ListActiveNominationsAsync(string roundId, CancellationToken ct = default) =>
        Task.FromResult<IReadOnlyList<Nomination>>(Nominations.Find(Query.EQ("RoundId", roundId))
            .Where(n => n.Status == NominationStatus.Active).ToList());

    public Task<IReadOnlyList<Nomination>> ListNominationsOfEntriesAsync(IReadOnlyCollection<string> entryIds, CancellationToken ct = default) =>
        Task.FromResult<IReadOnlyList<Nomination>>(entryIds.Count == 0 ? []
            : Nominations.Find(Query.In("EntryId", Values(entryIds))).OrderBy(n => n.Id, StringComparer.Ordinal).ToList());

    public Task<BallotWriteResult> CastBallotAsync(Ballot ballot, AuditScope? audit, CancellationToken ct = default)
    {
        // The round's status is re-read inside the transaction, so no ballot lands after a close has read them.
        var result = _db.InTransaction(() =>
        {
            var round = Rounds.FindById(ballot.RoundId);
            if (round is null || round.Status != RoundStatus.Voting) return new BallotWriteResult(BallotWriteOutcome.RoundNotVoting, null);
            var current = Ballots.FindOne(KeyEquals(ballot.NominationId, ballot.MemberId));
            if (current is { Choice: BallotChoice.Recused }) return new BallotWriteResult(BallotWriteOutcome.AlreadyRecused, current);
            ballot.Id = current?.Id ?? ballot.Id;
            ballot.Revision = (current?.Revision ?? 0) + 1;
            if (current is null) Ballots.Insert(ballot);
            else Ballots.Update(ballot);
            var revision = BallotRevision.Of(ballot);
            History.Insert(revision);
            // One event per ballot write, sealed by the mutation until the round closes; the history row is listed, its content is the ballot's.
            LiteDbAuditStore.Record(_db, audit, RoundAudit.Ballot(round, current, ballot), RoundAudit.BallotRevision(round, revision));
            return new BallotWriteResult(BallotWriteOutcome.Stored, ballot);
        });
        return Task.FromResult(result);
    }

    public Task<IReadOnlyList<Ballot>> ListBallotsAsync(string roundId, CancellationToken ct = default) =>
        Task.FromResult<IReadOnlyList<Ballot>>(Ballots.Find(Query.EQ("RoundId", roundId)).ToList());

    public Task<IReadOnlyList<Ballot>> ListMemberBallotsAsync(string memberId, string? roundId, CancellationToken ct = default)
    {
        var query = roundId is null ? Query.EQ("MemberId", memberId) : Query.And(Query.EQ("MemberId", memberId), Query.EQ("RoundId", roundId));
        return Task.FromResult<IReadOnlyList<Ballot>>(Ballots.Find(query).OrderBy(b => b.NominationId, StringComparer.Ordinal).ToList());
    }

    public Task<IReadOnlyList<BallotRevision>> ListBallotHistoryAsync(string nominationId, string memberId, CancellationToken ct = default) =>
        Task.FromResult<IReadOnlyList<BallotRevision>>(History.Find(KeyEquals(nominationId, memberId)).OrderBy(h => h.Revision).ToList());

    public Task<IReadOnlyDictionary<string, int>> CountBallotsAsync(IReadOnlyCollection<string> nominationIds, CancellationToken ct = default)
    {
        var counts = nominationIds.Distinct().ToDictionary(id => id, _ => 0);
        if (counts.Count > 0)
        {
            var rows = Ballots.Query()
                .Where(Query.In("NominationId", Values(counts.Keys)))
                .Where(Query.Not("Choice", BallotChoice.Recused.ToString()))
                .Select(BsonExpression.Create("$.NominationId"))
                .ToDocuments();
            foreach (var row in rows) counts[row["NominationId"].AsString]++;
        }
        return Task.FromResult<IReadOnlyDictionary<string, int>>(counts);
    }

    public Task<RoundTally?> CloseAsync(string roundId, int expectedVersion,
        Func<Round, IReadOnlyList<Nomination>, IReadOnlyList<Ballot>, RoundTally> close, AuditScope? audit, CancellationToken ct = default) =>
        // One transaction under the write gate: ballot writes wait until the tally is stored.
        Task.FromResult(_db.InTransaction(() =>
        {
            var round = Rounds.FindById(roundId);
            if (round is null || round.Version != expectedVersion) return null;
            var nominations = Nominations.Find(Query.EQ("RoundId", roundId)).Where(n => n.Status == NominationStatus.Active).ToList();
            var ballots = Ballots.Find(Query.EQ("RoundId", roundId)).ToList();
            var before = Rounds.FindById(roundId);
            var tally = close(round, nominations, ballots);
            Tallies.Upsert(tally);
            Rounds.Update(round);
            // One event for the round (its digest commits to the tally and every counted ballot).
            LiteDbAuditStore.Record(_db, audit, RoundAudit.Round(before, round));
            return tally;
        }));

    public Task<RoundTally?> GetTallyAsync(string roundId, CancellationToken ct = default) =>
        Task.FromResult<RoundTally?>(Tallies.FindById(roundId));

    public Task<bool> PublishAsync(Round round, int expectedVersion, IReadOnlyList<Recognition> recognitions, Func<Entry, bool> recognize,
        AuditScope? audit, CancellationToken ct = default) =>
        // One transaction under the write gate: recognitions, entries and the round commit together with their event.
        Task.FromResult(_db.InTransaction(() =>
        {
            var stored = Rounds.FindById(round.Id);
            if (stored is null || stored.Version != expectedVersion) return false;
            var targets = new List<AuditTarget> { RoundAudit.Round(stored, round) };
            var recognized = new List<Entry>();
            foreach (var r in recognitions)
            {
                if (Recognitions.FindOne(BsonExpression.Create(RecognitionKey + " = @0", r.RoundId + "|" + r.EntryId)) is not null) continue;
                Recognitions.Insert(r);
                targets.Add(RoundAudit.Recognition(round, r));
            }
            foreach (var entryId in recognitions.Select(r => r.EntryId).Distinct())
            {
                var before = _db.Entries.FindById(entryId);
                var entry = _db.Entries.FindById(entryId);
                if (entry is null || !recognize(entry)) continue;
                _db.Entries.Update(entry);
                recognized.Add(entry);
                targets.Add(RoundAudit.Entry(before, entry));
            }
            // Recognized entries must be found by status: their search keys change with them.
            _db.WriteEntryKeys(recognized, inserted: false);
            Rounds.Update(round);
            LiteDbAuditStore.Record(_db, audit, [.. targets]);
            return true;
        }));

    public Task InsertRecognitionsAsync(IReadOnlyList<Recognition> recognitions, CancellationToken ct = default)
    {
        _db.InTransaction(() =>
        {
            foreach (var r in recognitions)
                if (Recognitions.FindOne(BsonExpression.Create(RecognitionKey + " = @0", r.RoundId + "|" + r.EntryId)) is null)
                    Recognitions.Insert(r);
            return 0;
        });
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<Recognition>> ListRecognitionsOfEntriesAsync(IReadOnlyCollection<string> entryIds, CancellationToken ct = default) =>
        Task.FromResult<IReadOnlyList<Recognition>>(entryIds.Count == 0 ? []
            : Recognitions.Find(Query.In("EntryId", Values(entryIds))).OrderBy(r => r.RecognizedAt).ThenBy(r => r.Id, StringComparer.Ordinal).ToList());

    public Task<IReadOnlyList<Recognition>> ListRecognitionsOfYearAsync(int year, CancellationToken ct = default) =>
        Task.FromResult<IReadOnlyList<Recognition>>(
            Recognitions.Find(Query.EQ("Year", year)).OrderBy(r => r.RecognizedAt).ThenBy(r => r.Id, StringComparer.Ordinal).ToList());

    private static BsonExpression KeyEquals(string nominationId, string memberId) =>
        BsonExpression.Create(BallotKey + " = @0", nominationId + "|" + memberId);

    private static BsonArray Values(IEnumerable<string> ids) => new(ids.Distinct().Select(i => new BsonValue(i)));
}
