using System.Diagnostics;
using System.Globalization;
using DanVanKheo.Api.Common;
using DanVanKheo.Api.Councils;
using DanVanKheo.Api.Entries;
using DanVanKheo.Api.Rounds;
using DanVanKheo.Api.Storage.LiteDb;
using DanVanKheo.Api.Units;

namespace DanVanKheo.Bench;

/// <summary>
/// Benchmarks for the registry's heavy operations on the embedded store.
/// <c>close-round [--nominations N] [--members M]</c>: builds a VOTING round with N nominations and
/// a ballot from each of M members on each (through the store ports, in a temporary LiteDB file),
/// then times closing it: reading every ballot, the tally, the digest and the store write.
/// </summary>
public static class CloseRoundBench
{
    public static async Task<int> RunAsync(string[] args)
    {
        var nominations = Option(args, "--nominations", 2000);
        var members = Option(args, "--members", 15);
        var file = Path.Combine(Path.GetTempPath(), $"dvk-bench-{Guid.NewGuid():N}.db");
        try
        {
            using var db = new LiteDbContext(file);
            var round = await BuildAsync(db, nominations, members);
            IRoundStore store = new LiteDbRoundStore(db);
            var stopwatch = Stopwatch.StartNew();
            var tally = await RoundWorkflow.CloseAsync(store, round.Id, round.Version, "bench", () => DateTime.UtcNow, CancellationToken.None);
            stopwatch.Stop();
            var approved = tally.Results.Count(r => r.Outcome == NominationOutcome.Approved);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"close-round: {nominations} nominations × {members} members = {tally.BallotCount} ballots closed in {stopwatch.Elapsed.TotalMilliseconds:F0} ms " +
                $"({approved} approved, digest {tally.Digest[..16]}…)"));
            return 0;
        }
        finally
        {
            foreach (var f in new[] { file, file.Replace(".db", "-log.db") })
                if (File.Exists(f)) File.Delete(f);
        }
    }

    private static async Task<Round> BuildAsync(LiteDbContext db, int nominationCount, int memberCount)
    {
        var build = Stopwatch.StartNew();
        var now = DateTime.UtcNow;
        IUnitStore units = new LiteDbUnitStore(db);
        IEntryStore entries = new LiteDbEntryStore(db);
        ICouncilStore councils = new LiteDbCouncilStore(db);
        IRoundStore rounds = new LiteDbRoundStore(db);
        var rng = new Random(20251001);

        var province = UnitRules.Create(new UnitDraft("BENCH", "Tỉnh Thử Nghiệm", UnitKind.Province, null, null, null), null, now);
        var department = UnitRules.Create(new UnitDraft("BENCH.SNV", "Sở Nội vụ", UnitKind.Department, province.Id, null, null), province, now);
        var communes = Enumerable.Range(1, 100).Select(i =>
            UnitRules.Create(new UnitDraft($"BENCH.X{i:D3}", $"Xã Thử Nghiệm {i}", UnitKind.Commune, province.Id, null, null), province, now)).ToList();
        await units.InsertManyAsync([province, department, .. communes]);

        var council = CouncilRules.Create("Hội đồng Thi đua – Khen thưởng tỉnh", province, "bench", now);
        for (var m = 0; m < memberCount; m++)
            CouncilRules.AddMember(council, $"member-{m}", $"Ủy viên {m + 1}", department,
                m == 0 ? CouncilRole.Chair : m == 1 ? CouncilRole.Secretary : CouncilRole.Member, now);
        await councils.InsertAsync(council);

        var round = RoundRules.Create(new RoundDefinition
        {
            Name = "Xét chọn mô hình Dân vận khéo tiêu biểu (benchmark)",
            Level = EntryLevel.Province,
            Year = 2025,
            Council = council,
            Scope = province,
            Rubric =
            [
                new Criterion { Name = "Hiệu quả", Weight = 40, MaxScore = 10 },
                new Criterion { Name = "Sáng tạo", Weight = 20, MaxScore = 10 },
                new Criterion { Name = "Lan tỏa", Weight = 20, MaxScore = 5 },
                new Criterion { Name = "Bền vững", Weight = 20, MaxScore = 5 },
            ],
            Rule = new ApprovalRule { Quorum = Fraction.Of(2, 3), Threshold = Fraction.Of(1, 2), Base = ThresholdBase.AllMembers, Comparison = ThresholdComparison.GreaterThan, MinimumAverageScore = Fraction.Of(60, 1) },
            MaxRecognitions = 300,
            Recognition = new RecognitionSpec { Form = "Bằng khen", IssuingLevel = EntryLevel.Province },
            NominationsCloseAt = now.AddDays(1),
            VotingClosesAt = now.AddDays(2),
        }, "bench", now);
        RoundRules.OpenNominations(round, now);
        await rounds.InsertAsync(round);

        var entryList = new List<Entry>(nominationCount);
        for (var i = 1; i <= nominationCount; i++)
        {
            var unit = communes[i % communes.Count];
            var code = EntryRules.FormatCode(2025, i);
            entryList.Add(new Entry
            {
                Code = code, Year = 2025, Title = $"Mô hình thử nghiệm {i}", Summary = "Tóm tắt", Kind = EntryKind.Model,
                FieldId = "field-kinh-te", UnitId = unit.Id, UnitLineage = unit.Lineage(), UnitNameAtRegistration = unit.Name,
                Level = EntryLevel.Commune, Status = EntryStatus.Registered, TitleKey = code, UpdatedKey = code, StartKey = code,
                CreatedAt = now, UpdatedAt = now,
            });
        }
        await entries.InsertManyAsync(entryList);

        var nominations = new List<Nomination>(nominationCount);
        foreach (var entry in entryList)
        {
            var n = RoundRules.Nominate(round, entry, "Mô hình hiệu quả, được nhân dân hưởng ứng.", "bench", now);
            await rounds.InsertNominationAsync(n);
            nominations.Add(n);
        }
        var version = round.Version;
        RoundRules.OpenVoting(round, council, now);
        if (!await rounds.ReplaceAsync(round, version)) throw new InvalidOperationException("round changed");

        var choices = new[] { BallotChoice.Approve, BallotChoice.Approve, BallotChoice.Approve, BallotChoice.Reject, BallotChoice.Abstain };
        await Parallel.ForEachAsync(nominations, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (n, ct) =>
        {
            foreach (var member in round.Members!)
            {
                int[] scores;
                lock (rng) scores = [rng.Next(4, 11), rng.Next(4, 11), rng.Next(2, 6), rng.Next(2, 6)];
                var choice = choices[(n.Id.GetHashCode() ^ member.UserId.GetHashCode()) & 3];
                var ballot = RoundRules.Cast(round, member, n, choice, choice == BallotChoice.Abstain ? null : scores, null, now);
                var written = await rounds.CastBallotAsync(ballot, ct);
                if (written.Outcome != BallotWriteOutcome.Stored) throw new InvalidOperationException(written.Outcome.ToString());
            }
        });
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"built {nominationCount} nominations and {nominationCount * memberCount} ballots through the ports in {build.Elapsed.TotalSeconds:F1} s"));
        return round;
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out var v) && v > 0 ? v : fallback;
    }
}
