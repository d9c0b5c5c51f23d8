using DanVanKheo.Api.Audit;
using DanVanKheo.Api.Auth;
using DanVanKheo.Api.Common;
using DanVanKheo.Api.Entries;

namespace DanVanKheo.Api.Rounds;

/// <summary>Closing and publishing: shared by the mutations, the deadline service and the benchmark.</summary>
public static class RoundWorkflow
{
    /// <summary>
    /// Tallies and closes a VOTING round; <paramref name="expectedVersion"/> guards against a
    /// concurrent change. The close's time is read from <paramref name="clock"/> inside the store's
    /// serialization of ballots and close, so every ballot it counts was cast no later than it.
    /// </summary>
    public static async Task<RoundTally> CloseAsync(IRoundStore store, string roundId, int expectedVersion, string closedBy, Func<DateTime> clock,
        CancellationToken ct, AuditScope? audit = null)
    {
        var tally = await store.CloseAsync(roundId, expectedVersion, (round, nominations, ballots) =>
        {
            var now = clock();
            RoundRules.CheckClosable(round);
            var members = round.Members ?? [];
            var final = FinalBallots(round, nominations, ballots);
            var published = TallyDigest.Publish(round, final);
            var tally = new RoundTally
            {
                Id = round.Id,
                MemberCount = members.Count,
                BallotCount = final.Count,
                Digest = TallyDigest.Compute(round, members.Count, published),
                ComputedAt = now,
                Results = Tally.Compute(round, members, nominations, final),
            };
            RoundRules.Close(round, tally, closedBy, now);
            return tally;
        }, audit, ct);
        return tally ?? throw new ConcurrencyConflictException(new(Messages.TheRoundChangedMeanwhile));
    }

    /// <summary>The ballots a tally counts and publishes: current ballots of the round's members on active nominations.</summary>
    public static List<Ballot> FinalBallots(Round round, IReadOnlyList<Nomination> activeNominations, IReadOnlyList<Ballot> ballots)
    {
        var members = (round.Members ?? []).Select(m => m.UserId).ToHashSet(StringComparer.Ordinal);
        var nominations = activeNominations.Where(n => n.Status == NominationStatus.Active).Select(n => n.Id).ToHashSet(StringComparer.Ordinal);
        return ballots.Where(b => members.Contains(b.MemberId) && nominations.Contains(b.NominationId)).ToList();
    }

    /// <summary>
    /// Publishes a CLOSED round: records a recognition for each approved nomination and moves its
    /// entry from REGISTERED to RECOGNIZED, and marks the round PUBLISHED, in one store write
    /// (<see cref="IRoundStore.PublishAsync"/>, one audit event). An entry discontinued or already
    /// recognised since is left as it is.
    /// </summary>
    public static async Task PublishAsync(IRoundStore rounds, Round round, string decisionNumber,
        DateOnly decisionDate, DateTime now, CancellationToken ct, AuditScope? audit = null)
    {
        var expected = round.Version;
        RoundRules.Publish(round, decisionNumber, decisionDate, now);
        var tally = await rounds.GetTallyAsync(round.Id, ct)
                    ?? throw new DomainException(ErrorCodes.InvalidStatus, new(Messages.RoundHasNoTally));
        var approved = tally.Results.Where(r => r.Outcome == NominationOutcome.Approved).ToList();
        var recognitions = approved.Select(r => new Recognition
        {
            RoundId = round.Id, EntryId = r.EntryId, NominationId = r.NominationId, RoundName = round.Name, Year = round.Year,
            Level = round.Recognition.IssuingLevel, Form = round.Recognition.Form, Issuer = round.Recognition.Issuer,
            DecisionNumber = round.DecisionNumber!, DecisionDate = decisionDate, Rank = r.Rank, RecognizedAt = now,
        }).ToList();
        var published = await rounds.PublishAsync(round, expected, recognitions, entry =>
        {
            if (entry.Status != EntryStatus.Registered) return false; // already recognised, or discontinued since
            EntryRules.Recognize(entry, now);
            return true;
        }, audit, ct);
        if (!published)
            throw new ConcurrencyConflictException(new(Messages.RoundChangedMeanwhileReloadPublish));
    }
}

/// <summary>Closes VOTING rounds whose voting deadline has passed, while the API runs; each close is its own unit of work.</summary>
public sealed class RoundDeadlineService(IRoundStore store, IServiceScopeFactory scopes, RegistryClock clock, TimeProvider time,
    IConfiguration configuration, ILogger<RoundDeadlineService> logger)
    : BackgroundService
{
    public const string ClosedBy = "system:voting-deadline";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var every = TimeSpan.FromSeconds(Math.Clamp(configuration.GetValue("Rounds:DeadlineCheckSeconds", 60), 1, 3600));
        using var timer = new PeriodicTimer(every, time);
        do
        {
            try
            {
                await CloseDueAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "Closing rounds past their voting deadline failed; retrying in {Interval}", every);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>Closes every due round; returns how many it closed.</summary>
    public async Task<int> CloseDueAsync(CancellationToken ct)
    {
        var closed = 0;
        foreach (var round in await store.FindVotingDueAsync(clock.UtcNow(), ct))
        {
            await using var scope = scopes.CreateAsyncScope();
            // Audited like the closeRound mutation, with the deadline service as the actor.
            scope.ServiceProvider.GetRequiredService<RequestContext>()
                .Start(new Caller(ClosedBy, "Voting deadline", new HashSet<string>(), null), "deadline:" + Ids.New());
            var (tally, refusal) = await Refusals.TryAsync(() => scope.ServiceProvider.GetRequiredService<RoundLifecycle>().CloseAtDeadlineAsync(round, ct));
            if (tally is not null)
            {
                logger.LogInformation("Closed round {Round} at its voting deadline: digest {Digest}", round.Id, tally.Digest);
                closed++;
            }
            else
                logger.LogInformation("Round {Round} was not closed at its deadline: {Reason}", round.Id, refusal?.Message);
        }
        return closed;
    }
}
