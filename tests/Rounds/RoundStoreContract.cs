using DanVanKheo.Api.Common;
using DanVanKheo.Api.Councils;
using DanVanKheo.Api.Entries;
using DanVanKheo.Api.Rounds;
using DanVanKheo.Tests.Storage;

namespace DanVanKheo.Tests.Rounds;

/// <summary>What every round and council store must do; each adapter runs it against a fresh store.</summary>
public abstract class RoundStoreContract : IAsyncLifetime
{
    private static readonly DateTime T0 = new(2025, 10, 1, 8, 0, 0, DateTimeKind.Utc);

    protected ICouncilStore Councils { get; private set; } = null!;
    protected IRoundStore Rounds { get; private set; } = null!;

    protected abstract Task<(ICouncilStore, IRoundStore)> CreateStoresAsync();

    public async Task InitializeAsync() => (Councils, Rounds) = await CreateStoresAsync();

    public virtual Task DisposeAsync() => Task.CompletedTask;

    private static Round NewRound(RoundStatus status = RoundStatus.Voting, int year = 2025, string councilId = "c1", string unitId = "P") => new()
    {
        Name = "Xét chọn mô hình Dân vận khéo năm " + year,
        Level = EntryLevel.Province,
        Year = year,
        CouncilId = councilId,
        CouncilUnitId = unitId,
        CouncilUnitLineage = [unitId],
        ScopeUnitId = unitId,
        Rubric = [new Criterion { Name = "Hiệu quả", Weight = 100, MaxScore = 10 }],
        Rule = new ApprovalRule { Quorum = Fraction.Of(2, 3), Threshold = Fraction.Of(1, 2), MinimumAverageScore = Fraction.Of(141, 2) },
        Recognition = new RecognitionSpec { Form = "Bằng khen", IssuingLevel = EntryLevel.Province },
        TieBreak = [TieBreakKey.Approvals, TieBreakKey.WeightedScore],
        NominationsCloseAt = T0,
        VotingClosesAt = T0.AddDays(10),
        Status = status,
        Members = [new CouncilMember { UserId = "m1", DisplayName = "Nguyễn Văn An", HomeUnitId = "S", HomeUnitLineage = ["P", "S"], Role = CouncilRole.Chair }],
        PseudonymKey = "AAAA",
        CreatedAt = T0,
        UpdatedAt = T0,
    };

    private static Nomination NewNomination(string roundId, string entryId, int minute = 0) => new()
    {
        RoundId = roundId, EntryId = entryId, UnitId = "X", UnitLineage = ["P", "X"], Justification = "Mô hình hiệu quả, lan tỏa rộng",
        Status = NominationStatus.Active, UniqueKey = Nomination.ActiveKey(roundId, entryId), NominatedBy = "ed", NominatedAt = T0.AddMinutes(minute),
    };

    private static Ballot NewBallot(Round round, string nominationId, string memberId, BallotChoice choice = BallotChoice.Approve, int score = 7) => new()
    {
        RoundId = round.Id, NominationId = nominationId, MemberId = memberId, Choice = choice,
        Scores = choice == BallotChoice.Recused ? [] : [score], CastAt = T0,
    };

    [StoreFact]
    public async Task Rounds_round_trip_and_replace_checks_the_version()
    {
        var round = NewRound();
        await Rounds.InsertAsync(round);
        var stored = (await Rounds.GetByIdsAsync([round.Id])).Single();
        Assert.Equal(round.Name, stored.Name);
        Assert.Equal("141/2", stored.Rule.MinimumAverageScore!.ToString());
        Assert.Equal([TieBreakKey.Approvals, TieBreakKey.WeightedScore], stored.TieBreak);
        Assert.Equal(T0.AddDays(10), stored.VotingClosesAt);
        Assert.Equal("m1", Assert.Single(stored.Members!).UserId);

        stored.Name = "Đổi tên";
        stored.Version = 2;
        Assert.True(await Rounds.ReplaceAsync(stored, 1));
        Assert.False(await Rounds.ReplaceAsync(stored, 1));
        Assert.Equal("Đổi tên", (await Rounds.GetByIdsAsync([round.Id])).Single().Name);
    }

    [StoreFact]
    public async Task Rounds_are_found_newest_first_by_filter_and_paged_by_keyset()
    {
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            var r = NewRound(i % 2 == 0 ? RoundStatus.Voting : RoundStatus.Draft, 2020 + i % 2, unitId: i < 4 ? "P" : "Q");
            await Rounds.InsertAsync(r);
            ids.Add(r.Id);
        }
        // Ids are time-ordered only to the millisecond: the order is by id, descending.
        var inP = ids.Take(4).OrderByDescending(i => i, StringComparer.Ordinal).ToList();
        var first = await Rounds.FindAsync(new RoundFilter { UnitId = "P" }, new PageRequest(2));
        Assert.Equal(4, first.TotalCount);
        Assert.Equal(inP.Take(2), first.Items.Select(r => r.Id));
        Assert.True(first.HasNextPage);
        var second = await Rounds.FindAsync(new RoundFilter { UnitId = "P" }, new PageRequest(2, After: inP[1]));
        Assert.Equal(inP.Skip(2), second.Items.Select(r => r.Id));
        var voting2020 = await Rounds.FindAsync(new RoundFilter { Status = RoundStatus.Voting, Year = 2020, Level = EntryLevel.Province }, new PageRequest(10));
        Assert.Equal(new[] { ids[4], ids[2], ids[0] }.OrderByDescending(i => i, StringComparer.Ordinal), voting2020.Items.Select(r => r.Id));
        Assert.Empty((await Rounds.FindAsync(new RoundFilter { Level = EntryLevel.Commune }, new PageRequest(10))).Items);

        var due = await Rounds.FindVotingDueAsync(T0.AddDays(10));
        Assert.Equal(3, due.Count);
        Assert.Empty(await Rounds.FindVotingDueAsync(T0.AddDays(9)));
    }

    [StoreFact]
    public async Task One_active_nomination_per_entry_and_round_is_enforced_by_the_store()
    {
        var round = NewRound(RoundStatus.Nominating);
        await Rounds.InsertAsync(round);
        var n = NewNomination(round.Id, "e1");
        await Rounds.InsertNominationAsync(n);
        await Assert.ThrowsAsync<DuplicateKeyException>(() => Rounds.InsertNominationAsync(NewNomination(round.Id, "e1")));
        await Rounds.InsertNominationAsync(NewNomination(round.Id, "e2", minute: 1));

        RoundRules.Withdraw(round, n, "ed", T0);
        Assert.True(await Rounds.ReplaceNominationAsync(n, 1));
        Assert.False(await Rounds.ReplaceNominationAsync(n, 1));
        var again = NewNomination(round.Id, "e1", minute: 2);
        await Rounds.InsertNominationAsync(again);

        Assert.Equal(2, (await Rounds.ListActiveNominationsAsync(round.Id)).Count);
        var all = await Rounds.FindNominationsAsync(round.Id, includeWithdrawn: true, new PageRequest(10));
        Assert.Equal(3, all.TotalCount);
        Assert.Equal(2, (await Rounds.FindNominationsAsync(round.Id, includeWithdrawn: false, new PageRequest(10))).TotalCount);
        var ofEntry = await Rounds.ListNominationsOfEntriesAsync(["e1"]);
        Assert.Equal(new[] { n.Id, again.Id }.Order(StringComparer.Ordinal), ofEntry.Select(x => x.Id));
        Assert.Equal(NominationStatus.Withdrawn, ofEntry.Single(x => x.Id == n.Id).Status);
    }

    [StoreFact]
    public async Task A_changed_ballot_replaces_the_current_one_and_keeps_its_history()
    {
        var round = NewRound();
        await Rounds.InsertAsync(round);
        var first = await Rounds.CastBallotAsync(NewBallot(round, "n1", "m1", BallotChoice.Approve, 9));
        Assert.Equal((BallotWriteOutcome.Stored, 1), (first.Outcome, first.Ballot!.Revision));
        var second = await Rounds.CastBallotAsync(NewBallot(round, "n1", "m1", BallotChoice.Reject, 3));
        Assert.Equal(2, second.Ballot!.Revision);
        await Rounds.CastBallotAsync(NewBallot(round, "n2", "m1", BallotChoice.Abstain));

        var current = await Rounds.ListBallotsAsync(round.Id);
        Assert.Equal(2, current.Count);
        var onN1 = current.Single(b => b.NominationId == "n1");
        Assert.Equal((BallotChoice.Reject, 3, 2), (onN1.Choice, onN1.Scores[0], onN1.Revision));
        var history = await Rounds.ListBallotHistoryAsync("n1", "m1");
        Assert.Equal([(1, BallotChoice.Approve), (2, BallotChoice.Reject)], history.Select(h => (h.Revision, h.Choice)));
        Assert.Equal(["n1", "n2"], (await Rounds.ListMemberBallotsAsync("m1", round.Id)).Select(b => b.NominationId));
        Assert.Empty(await Rounds.ListMemberBallotsAsync("m2", null));
    }

    [StoreFact]
    public async Task Ballots_are_refused_outside_voting_and_after_a_recusal()
    {
        var round = NewRound();
        await Rounds.InsertAsync(round);
        var recusal = await Rounds.CastBallotAsync(NewBallot(round, "n1", "m1", BallotChoice.Recused));
        Assert.Equal(BallotWriteOutcome.Stored, recusal.Outcome);
        var after = await Rounds.CastBallotAsync(NewBallot(round, "n1", "m1"));
        Assert.Equal(BallotWriteOutcome.AlreadyRecused, after.Outcome);
        await Rounds.CastBallotAsync(NewBallot(round, "n1", "m2"));

        var counts = await Rounds.CountBallotsAsync(["n1", "n9"]);
        Assert.Equal(1, counts["n1"]);
        Assert.Equal(0, counts["n9"]);

        round.Status = RoundStatus.Closed;
        round.Version = 2;
        Assert.True(await Rounds.ReplaceAsync(round, 1));
        Assert.Equal(BallotWriteOutcome.RoundNotVoting, (await Rounds.CastBallotAsync(NewBallot(round, "n2", "m2"))).Outcome);
        Assert.Equal(BallotWriteOutcome.RoundNotVoting, (await Rounds.CastBallotAsync(NewBallot(new Round(), "n2", "m2"))).Outcome);
    }

    [StoreFact]
    public async Task Concurrent_ballots_are_neither_lost_nor_counted_twice()
    {
        var round = NewRound();
        await Rounds.InsertAsync(round);
        const int members = 15, nominations = 12, changes = 2;
        var writes = Enumerable.Range(0, members).SelectMany(m => Enumerable.Range(0, nominations)
            .SelectMany(n => Enumerable.Range(0, changes).Select(c => (m, n, c)))).OrderBy(x => x.c).ThenBy(x => (x.m * 7 + x.n * 13) % 17).ToList();
        await Parallel.ForEachAsync(writes, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (w, _) =>
        {
            var r = await Rounds.CastBallotAsync(NewBallot(round, $"n{w.n}", $"m{w.m}", BallotChoice.Approve, w.c));
            Assert.Equal(BallotWriteOutcome.Stored, r.Outcome);
        });
        var current = await Rounds.ListBallotsAsync(round.Id);
        Assert.Equal(members * nominations, current.Count);
        Assert.Equal(members * nominations, current.Select(b => (b.NominationId, b.MemberId)).Distinct().Count());
        Assert.All(current, b => Assert.Equal(changes, b.Revision));
        var counts = await Rounds.CountBallotsAsync(Enumerable.Range(0, nominations).Select(n => $"n{n}").ToList());
        Assert.All(counts.Values, c => Assert.Equal(members, c));
        var history = await Rounds.ListBallotHistoryAsync("n3", "m4");
        Assert.Equal(Enumerable.Range(1, changes), history.Select(h => h.Revision));
    }

    [StoreFact]
    public async Task A_ballot_racing_the_close_is_counted_and_cast_no_later_than_the_close_or_refused()
    {
        var round = NewRound();
        round.Members = [.. Enumerable.Range(0, 20).Select(i => new CouncilMember
        {
            UserId = $"m{i}", DisplayName = $"Thành viên {i}", HomeUnitId = "S", HomeUnitLineage = ["P", "S"],
            Role = i == 0 ? CouncilRole.Chair : CouncilRole.Member,
        })];
        await Rounds.InsertAsync(round);
        var nominations = Enumerable.Range(0, 3).Select(i => NewNomination(round.Id, $"race-e{i}")).ToList();
        foreach (var n in nominations) await Rounds.InsertNominationAsync(n);
        using var start = new ManualResetEventSlim();
        var outcomes = new System.Collections.Concurrent.ConcurrentBag<(Ballot Ballot, BallotWriteOutcome Outcome)>();
        var voters = Enumerable.Range(0, 20).SelectMany(m => nominations.Select(n => (Member: $"m{m}", Nomination: n.Id))).Select(v => Task.Run(async () =>
        {
            start.Wait();
            // As the use case does: the ballot's time is taken before the store serializes it.
            var ballot = NewBallot(round, v.Nomination, v.Member);
            ballot.CastAt = DateTime.UtcNow;
            outcomes.Add((ballot, (await Rounds.CastBallotAsync(ballot)).Outcome));
        })).ToList();
        var close = Task.Run(async () =>
        {
            start.Wait();
            await Task.Delay(Random.Shared.Next(0, 3));
            return await RoundWorkflow.CloseAsync(Rounds, round.Id, round.Version, "m0", () => DateTime.UtcNow, CancellationToken.None);
        });
        start.Set();
        await Task.WhenAll(voters);
        var tally = await close;
        var closed = (await Rounds.GetByIdsAsync([round.Id])).Single();
        var stored = await Rounds.ListBallotsAsync(round.Id);
        Assert.All(outcomes, o => Assert.True(o.Outcome is BallotWriteOutcome.Stored or BallotWriteOutcome.RoundNotVoting));
        Assert.Equal(outcomes.Count(o => o.Outcome == BallotWriteOutcome.Stored), stored.Count);
        Assert.Equal(stored.Count, tally.BallotCount);
        Assert.All(stored, b => Assert.True(b.CastAt <= closed.ClosedAt, $"A counted ballot was cast at {b.CastAt:O}, after the close at {closed.ClosedAt:O}."));
    }

    [StoreFact]
    public async Task Closing_stores_the_tally_with_the_round_or_neither()
    {
        var round = NewRound();
        await Rounds.InsertAsync(round);
        await Rounds.InsertNominationAsync(NewNomination(round.Id, "e1"));
        var withdrawn = NewNomination(round.Id, "e2");
        withdrawn.Status = NominationStatus.Withdrawn;
        withdrawn.UniqueKey += "|x";
        await Rounds.InsertNominationAsync(withdrawn);
        await Rounds.CastBallotAsync(NewBallot(round, "n1", "m1"));
        RoundTally Close(Round r, IReadOnlyList<Nomination> nominations, IReadOnlyList<Ballot> ballots)
        {
            Assert.Equal("e1", Assert.Single(nominations).EntryId);
            Assert.Single(ballots);
            var tally = new RoundTally
            {
                Id = r.Id, MemberCount = 1, BallotCount = ballots.Count, Digest = new string('a', 64), ComputedAt = T0,
                Results = [new NominationResult { NominationId = "n1", EntryId = "e1", Approvals = 1, BallotsCast = 1, QuorumMet = true, CriterionAverages = [7.5m, null], WeightedScore = 75m, Outcome = NominationOutcome.Approved, Rank = 1 }],
            };
            RoundRules.Close(r, tally, "m1", T0);
            return tally;
        }

        Assert.Null(await Rounds.CloseAsync(round.Id, 7, Close));
        Assert.Null(await Rounds.GetTallyAsync(round.Id));
        Assert.NotNull(await Rounds.CloseAsync(round.Id, 1, Close));
        Assert.Null(await Rounds.CloseAsync(round.Id, 1, Close));
        var stored = await Rounds.GetTallyAsync(round.Id);
        var result = Assert.Single(stored!.Results);
        Assert.Equal([7.5m, null], result.CriterionAverages);
        Assert.Equal((75m, NominationOutcome.Approved), (result.WeightedScore, result.Outcome));
        var closed = (await Rounds.GetByIdsAsync([round.Id])).Single();
        Assert.Equal((RoundStatus.Closed, 2, new string('a', 64)), (closed.Status, closed.Version, closed.Digest));
        Assert.Equal(BallotWriteOutcome.RoundNotVoting, (await Rounds.CastBallotAsync(NewBallot(round, "n1", "m1"))).Outcome);
    }

    [StoreFact]
    public async Task Recognitions_are_stored_once_per_round_and_entry()
    {
        Recognition Make(string round, string entry) => new()
        {
            RoundId = round, EntryId = entry, NominationId = "n", RoundName = "Đợt 2025", Year = 2025, Level = EntryLevel.Province,
            Form = "Bằng khen", DecisionNumber = "123/QĐ-UBND", DecisionDate = new DateOnly(2025, 12, 1), Rank = 1, RecognizedAt = T0,
        };
        await Rounds.InsertRecognitionsAsync([Make("r1", "e1"), Make("r1", "e2")]);
        await Rounds.InsertRecognitionsAsync([Make("r1", "e1"), Make("r2", "e1")]);
        var ofE1 = await Rounds.ListRecognitionsOfEntriesAsync(["e1"]);
        Assert.Equal(2, ofE1.Count);
        Assert.Equal(new DateOnly(2025, 12, 1), ofE1[0].DecisionDate);
    }

    [StoreFact]
    public async Task Recognitions_are_listed_by_the_year_of_their_round()
    {
        var year = 2031 + Random.Shared.Next(0, 60);
        Recognition Make(string entry, int y, int minutes) => new()
        {
            RoundId = "ry-" + y, EntryId = entry, NominationId = "n", RoundName = $"Đợt {y}", Year = y, Level = EntryLevel.District,
            Form = "Giấy khen", DecisionNumber = "9/QĐ-UBND", DecisionDate = new DateOnly(y, 12, 1), Rank = 1, RecognizedAt = T0.AddMinutes(minutes),
        };
        var e1 = Guid.NewGuid().ToString("N");
        var e2 = Guid.NewGuid().ToString("N");
        await Rounds.InsertRecognitionsAsync([Make(e2, year, 2), Make(e1, year, 1), Make(e1, year + 1, 0)]);
        var listed = await Rounds.ListRecognitionsOfYearAsync(year);
        Assert.Equal([e1, e2], listed.Select(r => r.EntryId));
        Assert.All(listed, r => Assert.Equal(("Giấy khen", EntryLevel.District), (r.Form, r.Level)));
        Assert.Empty(await Rounds.ListRecognitionsOfYearAsync(year + 100));
    }

    [StoreFact]
    public async Task Councils_round_trip_with_members_and_version_checks()
    {
        var council = new Council { Name = "Hội đồng Thi đua – Khen thưởng tỉnh", UnitId = "P", UnitLineage = ["P"], CreatedAt = T0, UpdatedAt = T0 };
        council.Members.Add(new CouncilMember { UserId = "u1", DisplayName = "Nguyễn Văn An", HomeUnitId = "S", HomeUnitLineage = ["P", "S"], Role = CouncilRole.Secretary });
        await Councils.InsertAsync(council);
        await Councils.InsertAsync(new Council { Name = "Hội đồng xã", UnitId = "X", UnitLineage = ["P", "X"] });
        var stored = (await Councils.GetByIdsAsync([council.Id])).Single();
        Assert.Equal(CouncilRole.Secretary, stored.Members.Single().Role);
        stored.Version = 2;
        stored.Members.Clear();
        Assert.True(await Councils.ReplaceAsync(stored, 1));
        Assert.False(await Councils.ReplaceAsync(stored, 1));
        var page = await Councils.FindAsync("P", new PageRequest(10));
        Assert.Empty(Assert.Single(page.Items).Members);
        Assert.Equal(2, (await Councils.FindAsync(null, new PageRequest(10))).TotalCount);
    }
}
