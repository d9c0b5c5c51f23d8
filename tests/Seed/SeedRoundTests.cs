using DanVanKheo.Api.Common;
using DanVanKheo.Api.Councils;
using DanVanKheo.Api.Entries;
using DanVanKheo.Api.Replications;
using DanVanKheo.Api.Rounds;
using DanVanKheo.Seed;
using DanVanKheo.Seed.Generation;
using DanVanKheo.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace DanVanKheo.Tests.Seed;

/// <summary>One province dataset with councils, rounds and replications, read back through the ports.</summary>
public sealed class SeedRoundFixture : IAsyncLifetime
{
    private readonly TempLiteDb db = new();
    public SeedSummary Summary { get; private set; } = new();
    public List<Council> Councils { get; } = [];
    public List<Round> Rounds { get; } = [];
    public Dictionary<string, List<Nomination>> Nominations { get; } = [];
    public Dictionary<string, List<Ballot>> Ballots { get; } = [];
    public Dictionary<string, RoundTally> Tallies { get; } = [];
    public List<Entry> Entries { get; } = [];
    public List<Recognition> Recognitions { get; } = [];
    public List<Replication> Replications { get; } = [];

    public async Task InitializeAsync()
    {
        await using var services = SeedCli.BuildServices(db.Target);
        Summary = await new SeedGenerator(new SeedOptions { Seed = 5, Entries = 6_000, BatchSize = 1_000 }).RunAsync(services);

        var councils = services.GetRequiredService<ICouncilStore>();
        Councils.AddRange(await All<Council>(p => councils.FindAsync(null, p), c => c.Id));
        var rounds = services.GetRequiredService<IRoundStore>();
        Rounds.AddRange(await All<Round>(p => rounds.FindAsync(new RoundFilter(), p), r => r.Id));
        foreach (var r in Rounds)
        {
            Nominations[r.Id] = [.. await rounds.ListActiveNominationsAsync(r.Id)];
            Ballots[r.Id] = [.. await rounds.ListBallotsAsync(r.Id)];
            if (await rounds.GetTallyAsync(r.Id) is { } t) Tallies[r.Id] = t;
        }
        var entries = services.GetRequiredService<IEntryStore>();
        Entries.AddRange(await All<Entry>(p => entries.FindAsync(new EntryFilter { Visibility = EntryVisibility.Everything },
            new EntrySort(EntrySortField.Code, SortDirection.Asc), p), e => EntrySort.EncodeKey([e.Code])));
        foreach (var chunk in Entries.Chunk(500))
            Recognitions.AddRange(await rounds.ListRecognitionsOfEntriesAsync([.. chunk.Select(e => e.Id)]));
        var replications = services.GetRequiredService<IReplicationStore>();
        Replications.AddRange(await All<Replication>(p => replications.FindAsync(new ReplicationFilter(), p), r => r.Id));
    }

    private static async Task<List<T>> All<T>(Func<PageRequest, Task<Page<T>>> find, Func<T, string> cursor)
    {
        var all = new List<T>();
        var page = await find(new PageRequest(500));
        all.AddRange(page.Items);
        while (page.HasNextPage)
        {
            page = await find(new PageRequest(500, After: cursor(all[^1])));
            all.AddRange(page.Items);
        }
        return all;
    }

    public Task DisposeAsync()
    {
        db.Dispose();
        return Task.CompletedTask;
    }
}

public sealed class SeedRoundTests(SeedRoundFixture data) : IClassFixture<SeedRoundFixture>
{
    private IEnumerable<Round> Published => data.Rounds.Where(r => r.Status == RoundStatus.Published);

    [Fact]
    public void Councils_have_one_chair_and_secretary_and_Vietnamese_names()
    {
        Assert.True(data.Councils.Count >= 3, $"{data.Councils.Count} councils");
        Assert.Equal(data.Summary.Councils, data.Councils.Count);
        Assert.All(data.Councils, c =>
        {
            Assert.StartsWith("Hội đồng Thi đua – Khen thưởng ", c.Name, StringComparison.Ordinal);
            Assert.Single(c.Members, m => m.Role == CouncilRole.Chair);
            Assert.Single(c.Members, m => m.Role == CouncilRole.Secretary);
            Assert.InRange(c.Members.Count, 5, 15);
            Assert.All(c.Members, m =>
            {
                Assert.InRange(m.DisplayName.Split(" – ")[0].Split(' ').Length, 3, 5);
                Assert.Contains(c.UnitId, m.HomeUnitLineage);
                Assert.NotEqual(c.UnitId, m.HomeUnitId);
            });
        });
    }

    [Fact]
    public void Past_rounds_are_published_and_the_current_year_s_are_still_open()
    {
        Assert.Equal(data.Summary.Rounds, data.Rounds.Count);
        Assert.Equal(Enumerable.Range(2021, 6), data.Rounds.Select(r => r.Year).Distinct().Order());
        Assert.All(data.Rounds.Where(r => r.Year < 2026), r => Assert.Equal(RoundStatus.Published, r.Status));
        Assert.All(data.Rounds.Where(r => r.Year == 2026), r => Assert.Contains(r.Status, new[] { RoundStatus.Nominating, RoundStatus.Voting }));
        Assert.Contains(data.Rounds, r => r.Status == RoundStatus.Voting);
        Assert.Contains(data.Rounds, r => r.Status == RoundStatus.Nominating);
        Assert.Contains(data.Rounds, r => r.Level == EntryLevel.District);
        Assert.Contains(data.Rounds, r => r.Level == EntryLevel.Province);
        Assert.All(data.Rounds, r =>
        {
            Assert.Equal(100, r.Rubric.Sum(c => c.Weight));
            Assert.False(string.IsNullOrEmpty(r.Recognition.Form));
        });
        // Ballots exist only once voting opened; a VOTING round has some, not all of them.
        Assert.All(data.Rounds.Where(r => r.Status == RoundStatus.Nominating), r => Assert.Empty(data.Ballots[r.Id]));
        Assert.Contains(data.Rounds, r => r.Status == RoundStatus.Voting && data.Ballots[r.Id].Count > 0);
    }

    [Fact]
    public void Nominations_are_registered_entries_in_scope()
    {
        var entries = data.Entries.ToDictionary(e => e.Id);
        Assert.True(data.Nominations.Values.Sum(n => n.Count) >= 20);
        foreach (var r in data.Rounds)
            Assert.All(data.Nominations[r.Id], n =>
            {
                var e = entries[n.EntryId];
                Assert.Contains(r.ScopeUnitId, e.UnitLineage);
                Assert.Equal(r.Year, e.Year);
                Assert.True(e.SubmittedAt < n.NominatedAt);
                Assert.Contains(e.Status, new[] { EntryStatus.Registered, EntryStatus.Recognized });
            });
    }

    [Fact]
    public void Each_published_digest_and_tally_recompute_from_the_stored_ballots()
    {
        Assert.NotEmpty(Published);
        foreach (var r in Published)
        {
            var members = r.Members!;
            var final = RoundWorkflow.FinalBallots(r, data.Nominations[r.Id], data.Ballots[r.Id]);
            Assert.Equal(r.Digest, TallyDigest.Compute(r, members.Count, TallyDigest.Publish(r, final)));
            var stored = data.Tallies[r.Id];
            Assert.Equal(r.Digest, stored.Digest);
            var recomputed = Tally.Compute(r, members, data.Nominations[r.Id], final);
            Assert.Equal(recomputed.Select(x => (x.NominationId, x.Rank, x.Outcome, x.Approvals, x.WeightedScore)),
                stored.Results.Select(x => (x.NominationId, x.Rank, x.Outcome, x.Approvals, x.WeightedScore)));
        }
    }

    [Fact]
    public void Ballots_follow_a_plausible_pattern()
    {
        var results = data.Tallies.Values.SelectMany(t => t.Results).ToList();
        var ballots = data.Ballots.Values.SelectMany(b => b).ToList();
        Assert.Equal(data.Summary.Ballots, ballots.Count + ballots.Sum(b => b.Revision - 1));
        var approve = ballots.Count(b => b.Choice == BallotChoice.Approve);
        Assert.InRange(approve / (double)ballots.Count, 0.5, 0.95);
        Assert.Contains(ballots, b => b.Choice == BallotChoice.Reject);
        Assert.Contains(ballots, b => b.Choice == BallotChoice.Abstain);
        Assert.Contains(ballots, b => b.Revision > 1);
        var perNomination = data.Nominations.Where(n => data.Rounds.Single(r => r.Id == n.Key).Status == RoundStatus.Published)
            .SelectMany(n => n.Value).Select(n => ballots.Count(b => b.NominationId == n.Id)).ToList();
        // Conflicts are the exception: most members vote on most nominations.
        Assert.True(perNomination.Average() > 0.75 * data.Councils.Average(c => c.Members.Count), $"{perNomination.Average():F2} ballots per nomination");
        // Conflicts of interest: some nominations had members standing aside.
        Assert.Contains(results, r => r.Recusals > 0);
        Assert.Contains(results, r => r.Outcome == NominationOutcome.Approved);
        Assert.Contains(results, r => r.Outcome != NominationOutcome.Approved);
        // Scores go with the choice: approvals score higher than rejections.
        var round = data.Rounds.ToDictionary(r => r.Id);
        double Weighted(Ballot b) => round[b.RoundId].Rubric.Select((c, i) => c.Weight * b.Scores[i] / (double)c.MaxScore).Sum();
        Assert.True(ballots.Where(b => b.Choice == BallotChoice.Approve).Average(Weighted) >
                    ballots.Where(b => b.Choice == BallotChoice.Reject).Average(Weighted) + 10);
    }

    [Fact]
    public void Recognitions_come_only_from_published_rounds()
    {
        var rounds = data.Rounds.ToDictionary(r => r.Id);
        Assert.NotEmpty(data.Recognitions);
        Assert.Equal(data.Summary.Recognitions, data.Recognitions.Count);
        Assert.All(data.Recognitions, x =>
        {
            var r = rounds[x.RoundId];
            Assert.Equal(RoundStatus.Published, r.Status);
            Assert.Equal(r.DecisionNumber, x.DecisionNumber);
            Assert.Contains(data.Tallies[r.Id].Results, t => t.EntryId == x.EntryId && t.Outcome == NominationOutcome.Approved);
        });
        var recognizedEntries = data.Recognitions.Select(x => x.EntryId).ToHashSet();
        var recognized = data.Entries.Where(e => e.Status == EntryStatus.Recognized).ToList();
        Assert.NotEmpty(recognized);
        Assert.All(recognized, e => Assert.Contains(e.Id, recognizedEntries));
        Assert.DoesNotContain(recognized, e => e.Year == 2026);
        Assert.Equal(data.Summary.EntriesByStatus["RECOGNIZED"], recognized.Count);
        Assert.True(data.Entries.Count(e => e.Status == EntryStatus.Registered) > data.Entries.Count / 2);
    }

    [Fact]
    public void Replications_obey_the_rules_and_form_lineages()
    {
        var entries = data.Entries.ToDictionary(e => e.Id);
        var reps = data.Replications;
        Assert.Equal(data.Summary.Replications, reps.Count);
        Assert.True(reps.Count > 200, $"{reps.Count} replications");
        Assert.All(reps, r =>
        {
            var source = entries[r.SourceEntryId];
            Assert.NotEqual(source.UnitId, r.AdoptingUnitId);
            Assert.Equal(source.UnitId, r.SourceUnitId);
            Assert.Equal(EntryKind.Model, source.Kind);
            Assert.Equal(r.SourceEntryId, r.Path[^1]);
            Assert.Equal(r.Path.Count, r.Path.Distinct().Count());
            Assert.InRange(r.Generation, 1, 4);
            if (r.DerivedEntryId is { } d)
            {
                Assert.Equal(r.AdoptingUnitId, entries[d].UnitId);
                Assert.Equal(r.SourceEntryId, entries[d].ReplicatedFromEntryId);
                Assert.Equal(EntryNovelty.Replicated, entries[d].Novelty);
                Assert.DoesNotContain(d, r.Path);
            }
            Assert.True(r.StartedOn is null || r.StartedOn >= r.PlannedOn);
            Assert.True(r.SustainedOn is null || r.SustainedOn >= r.StartedOn);
            Assert.True(r.DiscontinuedOn is null || r.DiscontinuedOn >= (r.SustainedOn ?? r.StartedOn ?? r.PlannedOn));
            Assert.True(r.PlannedOn <= SeedGenerator.AsOf && (r.DiscontinuedOn ?? r.PlannedOn) <= SeedGenerator.AsOf);
            Assert.Equal(r.Status == ReplicationStatus.Discontinued, r.DiscontinuedOn is not null);
        });
        // A generation-n replication continues the path of the replication that derived its source.
        var byDerived = reps.Where(r => r.DerivedEntryId is not null).ToDictionary(r => r.DerivedEntryId!);
        Assert.All(reps.Where(r => r.Generation > 1), r => Assert.Equal(r.Path[..^1], byDerived[r.SourceEntryId].Path));
        Assert.Contains(reps, r => r.Generation >= 3);
        Assert.Contains(reps, r => r.DerivedEntryId is null);
        Assert.Contains(reps, r => r.DerivedEntryId is not null);
        Assert.All(Enum.GetValues<ReplicationStatus>(), s => Assert.Contains(reps, r => r.Status == s));
        Assert.Contains(reps, r => r.Outcome.PeopleReached > 0);
        // Every active pair is unique (the store's key holds it too).
        Assert.Equal(reps.Count, reps.Select(r => r.ActiveKey).Distinct().Count());
    }

    [Fact]
    public void Adoption_has_a_long_tail()
    {
        var adoptions = data.Replications.GroupBy(r => r.SourceEntryId).ToDictionary(g => g.Key, g => g.Count());
        var models = data.Entries.Where(e => e.Kind == EntryKind.Model && e.Status is EntryStatus.Registered or EntryStatus.Recognized)
            .Select(e => adoptions.GetValueOrDefault(e.Id)).Order().ToList();
        Assert.Equal(0, models[models.Count / 2]);
        Assert.True(models[^1] >= 15, $"top model adopted {models[^1]} times");
        Assert.True(models.Count(n => n > 0) < models.Count / 4);
        Assert.Equal(models[^1], data.Summary.TopModelAdoptions);
    }
}

/// <summary>The API started on an empty store loads the demo dataset, rounds and replications included.</summary>
public sealed class DemoApiFactory : RegistryApiFactory
{
    protected override void AddSettings(IDictionary<string, string?> settings) => settings["Storage:SeedDemoData"] = "true";
}

public sealed class SeedApiTests(DemoApiFactory factory) : IClassFixture<DemoApiFactory>
{
    [Fact]
    public async Task A_published_round_of_the_demo_data_serves_ranked_results_and_a_digest()
    {
        var response = (await factory.Client().Run("""
            {
              rounds(where: { status: PUBLISHED }, first: 5) {
                nodes {
                  name year digest decisionNumber
                  recognition { form }
                  results { rank outcome approvals weightedScore nomination { entry { code status } } }
                }
              }
              open: rounds(where: { status: VOTING }, first: 5) { nodes { name results { rank } } }
              replications(first: 50) { totalCount }
            }
            """)).AssertNoErrors();
        var rounds = response.At("rounds.nodes").AsArray();
        Assert.NotEmpty(rounds);
        var round = rounds[0]!;
        Assert.Equal(64, round["digest"]!.GetValue<string>().Length);
        var results = round["results"]!.AsArray();
        Assert.NotEmpty(results);
        Assert.Equal(Enumerable.Range(1, results.Count), results.Select(r => r!["rank"]!.GetValue<int>()));
        Assert.All(results.Where(r => r!["outcome"]!.GetValue<string>() == "APPROVED"),
            r => Assert.Equal("RECOGNIZED", r!["nomination"]!["entry"]!["status"]!.GetValue<string>()));
        Assert.All(response.At("open.nodes").AsArray(), r => Assert.Null(r!["results"]));
        Assert.InRange(response.At("replications.totalCount").GetValue<int>(), 10, 80);
    }
}
