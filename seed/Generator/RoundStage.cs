using System.Collections.Frozen;
using System.Collections.Immutable;
using Bogus;
using DanVanKheo.Api.Common;
using DanVanKheo.Api.Councils;
using DanVanKheo.Api.Entries;
using DanVanKheo.Api.Rounds;

namespace DanVanKheo.Seed.Generation;

/// <summary>The simulated "now" of a stage: ids assigned inside the rules and stores take their timestamp from it.</summary>
internal sealed class SeedClock
{
    public DateTime Now { get; set; }
}

/// <summary>
/// Councils and their rounds, run the way their officers and members would through the API:
/// <see cref="CouncilRules"/> and <see cref="RoundRules"/> for every step, ballots through
/// <see cref="IRoundStore.CastBallotAsync"/>, then <see cref="RoundWorkflow.CloseAsync"/> (tally
/// and digest) and <see cref="RoundWorkflow.PublishAsync"/> (recognitions, entries RECOGNIZED).
/// Past years' rounds end PUBLISHED; the current year's stay NOMINATING or VOTING.
/// </summary>
internal sealed class RoundStage : ISeedStage
{
    private static readonly ImmutableArray<Criterion[]> Rubrics =
    [
        [
            new() { Name = "Tính sáng tạo, đổi mới trong cách làm", Weight = 30, MaxScore = 10 },
            new() { Name = "Hiệu quả, kết quả đạt được", Weight = 40, MaxScore = 10 },
            new() { Name = "Khả năng nhân rộng", Weight = 20, MaxScore = 10 },
            new() { Name = "Sự tham gia, đồng thuận của nhân dân", Weight = 10, MaxScore = 10 },
        ],
        [
            new() { Name = "Nội dung, cách làm", Weight = 35, MaxScore = 20 },
            new() { Name = "Kết quả, hiệu quả thiết thực", Weight = 45, MaxScore = 20 },
            new() { Name = "Sức lan tỏa", Weight = 20, MaxScore = 10 },
        ],
        [
            new() { Name = "Hiệu quả thực tiễn", Weight = 60, MaxScore = 100 },
            new() { Name = "Tính bền vững, khả năng nhân rộng", Weight = 40, MaxScore = 100 },
        ],
    ];

    private static readonly ImmutableArray<ApprovalRule> Rules =
    [
        new() { Quorum = Fraction.Of(2, 3), Threshold = Fraction.Of(1, 2), Base = ThresholdBase.AllMembers,
            Comparison = ThresholdComparison.GreaterThan, MinimumAverageScore = Fraction.Of(60, 1) },
        new() { Quorum = Fraction.Of(1, 2), Threshold = Fraction.Of(2, 3), Base = ThresholdBase.BallotsCast,
            Comparison = ThresholdComparison.AtLeast },
        new() { Quorum = Fraction.Of(3, 4), Threshold = Fraction.Of(1, 2), Base = ThresholdBase.BallotsCast,
            Comparison = ThresholdComparison.GreaterThan, MinimumAverageScore = Fraction.Of(50, 1) },
    ];

    private static readonly ImmutableArray<string> Justifications =
    [
        "Mô hình có cách làm sáng tạo, phát huy vai trò chủ thể của nhân dân, đạt kết quả thiết thực và có khả năng nhân rộng.",
        "Đã triển khai hiệu quả, được nhân dân đồng tình hưởng ứng; góp phần thực hiện thắng lợi nhiệm vụ chính trị của địa phương.",
        "Cách làm hay, dễ áp dụng; kết quả được cấp ủy, chính quyền ghi nhận, đề nghị Hội đồng xem xét, công nhận.",
        "Điển hình tiêu biểu trong phong trào thi đua \"Dân vận khéo\", có minh chứng cụ thể về kết quả đạt được.",
    ];

    public string Name => "Rounds";

    public async Task RunAsync(SeedContext context, IProgress<SeedProgress>? progress, CancellationToken ct)
    {
        if (context.Plan is not { } plan || context.Stores is not { Councils: { } councils, Rounds: { } rounds }) return;
        var entries = context.Stores.Entries;
        var summary = context.Summary;
        var random = SeedRandom.For(context.Options.Seed, Name, summary.EntriesInserted);
        var ids = new IdSource(random);
        var clock = new SeedClock();
        using var scope = Ids.Use(() => ids.Next(clock.Now));

        var stored = new Dictionary<CouncilPlan, Council>();
        foreach (var cp in plan.Councils)
        {
            clock.Now = cp.CreatedAt;
            var council = CouncilRules.Create(cp.Name, cp.Unit.Unit, "seed:" + cp.Unit.Unit.Code, cp.CreatedAt);
            council.Id = ids.Next(cp.CreatedAt);
            foreach (var m in cp.Members)
                CouncilRules.AddMember(council, m.UserId, m.DisplayName, m.Home.Unit, m.Role, cp.CreatedAt);
            await councils.InsertAsync(council, ct);
            stored[cp] = council;
            summary.Councils++;
            summary.CouncilMembers += council.Members.Count;
        }

        var all = plan.Rounds.OrderBy(r => r.NominationsOpenAt).ThenBy(r => r.Scope.Unit.Code, StringComparer.Ordinal).ToList();
        var recognized = new HashSet<string>(StringComparer.Ordinal);
        progress?.Report(new SeedProgress(Name, 0, all.Count));
        var done = 0;
        foreach (var rp in all)
        {
            ct.ThrowIfCancellationRequested();
            await RunRoundAsync(rp, stored[rp.Council], rounds, entries, random, clock, summary, recognized, ct);
            progress?.Report(new SeedProgress(Name, ++done, all.Count));
        }
        // Entries were counted REGISTERED when written; publishing moved some on.
        var moved = recognized.Count;
        summary.EntriesByStatus["REGISTERED"] = summary.EntriesByStatus.GetValueOrDefault("REGISTERED") - moved;
        summary.EntriesByStatus["RECOGNIZED"] = summary.EntriesByStatus.GetValueOrDefault("RECOGNIZED") + moved;
    }

    private static async Task RunRoundAsync(RoundPlan rp, Council council, IRoundStore rounds, IEntryStore entries, Randomizer random,
        SeedClock clock, SeedSummary summary, HashSet<string> recognized, CancellationToken ct)
    {
        var officer = "seed:" + council.Members.First(m => m.Role == CouncilRole.Secretary).UserId;
        var createdAt = rp.NominationsOpenAt.AddDays(-random.Number(3, 10));
        clock.Now = createdAt;
        var rubricIndex = random.Number(0, Rubrics.Length - 1);
        var nominees = rp.Nominees();
        var cap = rp.Level == EntryLevel.District || random.Bool(0.3f) ? 0 : Math.Max(1, (int)Math.Ceiling(nominees.Count * 0.6));
        var recognition = rp.Level == EntryLevel.District
            ? new RecognitionSpec { Form = "Giấy khen", IssuingLevel = EntryLevel.District, Issuer = "Chủ tịch UBND " + rp.Scope.Place }
            : new RecognitionSpec { Form = "Bằng khen", IssuingLevel = EntryLevel.Province, Issuer = "Chủ tịch UBND " + rp.Scope.Place };
        var round = RoundRules.Create(new RoundDefinition
        {
            Name = rp.Name,
            Level = rp.Level,
            Year = rp.Year,
            Council = council,
            Scope = rp.Scope.Unit,
            Rubric = Rubrics[rubricIndex],
            Rule = Rules[random.Number(0, Rules.Length - 1)],
            TieBreak = random.Bool(0.8f) ? Tally.DefaultTieBreak
                : [TieBreakKey.Approvals, TieBreakKey.WeightedScore, TieBreakKey.NominationTime],
            MaxRecognitions = cap,
            Recognition = recognition,
            NominationsCloseAt = rp.NominationsCloseAt,
            VotingClosesAt = rp.VotingClosesAt,
        }, officer, createdAt);
        round.Id = ids(createdAt);
        // The rule draws the pseudonym key from the OS; the seed's stream keeps the dataset reproducible.
        round.PseudonymKey = Convert.ToBase64String(random.Bytes(32));
        await rounds.InsertAsync(round, ct);
        summary.Rounds++;

        clock.Now = rp.NominationsOpenAt;
        await ReplaceAsync(rounds, round, r => RoundRules.OpenNominations(r, rp.NominationsOpenAt), ct);

        // Nominations, spread over the window (up to "today" for a round still taking them).
        var lastNomination = Min(rp.NominationsCloseAt, SeedGenerator.AsOfMoment).AddHours(-1);
        var window = (lastNomination - rp.NominationsOpenAt).TotalMinutes;
        var found = (await entries.GetByIdsAsync([.. nominees.Select(c => c.EntryId)], ct)).ToDictionary(e => e.Id, StringComparer.Ordinal);
        var quality = new Dictionary<string, double>(StringComparer.Ordinal);
        var times = nominees.Select(_ => rp.NominationsOpenAt.AddMinutes(Math.Floor(random.Double() * window))).Order().ToList();
        var nominations = new List<Nomination>(nominees.Count);
        for (var i = 0; i < nominees.Count; i++)
        {
            if (!found.TryGetValue(nominees[i].EntryId, out var entry) || entry.Status is not (EntryStatus.Registered or EntryStatus.Recognized))
                continue;
            clock.Now = times[i];
            var nomination = RoundRules.Nominate(round, entry, random.ListItem(Justifications), "seed:" + entry.UnitId, times[i]);
            await rounds.InsertNominationAsync(nomination, ct);
            nominations.Add(nomination);
            quality[nomination.Id] = nominees[i].Quality;
        }
        summary.Nominations += nominations.Count;
        if (rp.Target == RoundStatus.Nominating)
        {
            Count(summary, round);
            return;
        }

        clock.Now = rp.VotingOpensAt;
        await ReplaceAsync(rounds, round, r => RoundRules.OpenVoting(r, council, rp.VotingOpensAt), ct);
        await VoteAsync(round, nominations, quality, rounds, random, clock, summary, ct);
        if (rp.Target == RoundStatus.Voting)
        {
            Count(summary, round);
            return;
        }

        var closedAt = rp.VotingClosesAt;
        clock.Now = closedAt;
        var closer = "seed:" + council.Members.First(m => m.Role == CouncilRole.Chair).UserId;
        var tally = await RoundWorkflow.CloseAsync(rounds, round.Id, round.Version, closer, () => closedAt, ct);
        var closed = (await rounds.GetByIdsAsync([round.Id], ct))[0];
        clock.Now = rp.PublishAt;
        await RoundWorkflow.PublishAsync(rounds, closed, RecognitionPlan.DecisionNumber(random), DateOnly.FromDateTime(rp.PublishAt.AddDays(-2)),
            rp.PublishAt, ct);
        foreach (var r in tally.Results.Where(r => r.Outcome == NominationOutcome.Approved))
        {
            summary.Recognitions++;
            if (found[r.EntryId].Status == EntryStatus.Registered) recognized.Add(r.EntryId);
        }
        Count(summary, closed);

        string ids(DateTime at)
        {
            clock.Now = at;
            return Api.Common.Ids.New();
        }
    }

    /// <summary>
    /// Ballots with a plausible pattern: each member perceives the entry's quality with their own
    /// leniency and some noise; strong entries are mostly approved with high scores, weak ones
    /// rejected; a few members abstain, stand aside or are absent, and a few change their ballot.
    /// Members with a conflict of interest cast nothing (the tally counts them as recused).
    /// While a round is still VOTING only part of the council has voted.
    /// </summary>
    private static async Task VoteAsync(Round round, List<Nomination> nominations, Dictionary<string, double> quality, IRoundStore rounds,
        Randomizer random, SeedClock clock, SeedSummary summary, CancellationToken ct)
    {
        var members = round.Members ?? [];
        var leniency = members.ToDictionary(m => m.UserId, _ => 0.07 * random.Gaussian(), StringComparer.Ordinal);
        var stillVoting = round.VotingClosesAt > SeedGenerator.AsOfMoment;
        var end = Min(round.VotingClosesAt, SeedGenerator.AsOfMoment).AddHours(-1);
        var span = (end - round.VotingOpenedAt!.Value).TotalMinutes;
        var voted = members.ToDictionary(m => m.UserId, _ => !stillVoting || random.Bool(0.6f), StringComparer.Ordinal);
        foreach (var n in nominations)
        {
            var q = quality[n.Id];
            foreach (var m in members)
            {
                if (!voted[m.UserId] || RoundRules.IsConflicted(m, n) || random.Bool(0.03f)) continue;
                var at = round.VotingOpenedAt.Value.AddMinutes(Math.Floor(random.Double() * span));
                clock.Now = at;
                Ballot ballot;
                if (random.Bool(0.01f))
                    ballot = RoundRules.Recuse(round, m, n, "Có quan hệ công tác với đơn vị đề nghị.", at);
                else
                {
                    var perceived = q + leniency[m.UserId] + 0.08 * random.Gaussian();
                    if (random.Bool(0.04f))
                    {
                        // A changed mind: a first ballot the member later replaces.
                        var first = Cast(round, m, n, perceived + 0.25 * random.Gaussian(), at, random);
                        await Store(rounds, first, ct);
                        summary.Ballots++;
                        at = at.AddMinutes(Math.Floor(random.Double() * (end - at).TotalMinutes));
                        clock.Now = at;
                    }
                    ballot = Cast(round, m, n, perceived, at, random);
                }
                await Store(rounds, ballot, ct);
                summary.Ballots++;
            }
        }
    }

    private static Ballot Cast(Round round, CouncilMember m, Nomination n, double perceived, DateTime at, Randomizer random)
    {
        var abstain = random.Bool(0.05f);
        var scores = abstain && random.Bool() ? null
            : round.Rubric.Select(c => (int)Math.Round(c.MaxScore * Math.Clamp(perceived + 0.07 * random.Gaussian(), 0.05, 1.0))).ToList();
        var choice = abstain ? BallotChoice.Abstain : perceived >= 0.5 ? BallotChoice.Approve : BallotChoice.Reject;
        return RoundRules.Cast(round, m, n, choice, scores, null, at);
    }

    private static async Task Store(IRoundStore rounds, Ballot ballot, CancellationToken ct)
    {
        var result = await rounds.CastBallotAsync(ballot, ct);
        if (result.Outcome != BallotWriteOutcome.Stored)
            throw new InvalidOperationException($"The store refused a seeded ballot: {result.Outcome}.");
    }

    private static async Task ReplaceAsync(IRoundStore rounds, Round round, Action<Round> change, CancellationToken ct)
    {
        var expected = round.Version;
        change(round);
        if (!await rounds.ReplaceAsync(round, expected, ct))
            throw new InvalidOperationException($"Round {round.Id} changed while it was being seeded.");
    }

    private static void Count(SeedSummary summary, Round round) =>
        EntryStage.Increment(summary.RoundsByStatus, round.Status.ToString().ToUpperInvariant());

    private static DateTime Min(DateTime a, DateTime b) => a < b ? a : b;
}
