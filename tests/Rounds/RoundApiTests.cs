using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using DanVanKheo.Api.Common;
using DanVanKheo.Api.Rounds;
using Microsoft.Extensions.Time.Testing;
using DanVanKheo.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static DanVanKheo.Tests.Rounds.RoundScenario;

namespace DanVanKheo.Tests.Rounds;

public sealed class RoundApiTests(RegistryApiFactory factory) : IClassFixture<RegistryApiFactory>
{
    private readonly RoundScenario _s = new(factory);

    private sealed record World(
        string Province, string Department, string H1, string H2, string X1, string X2, string X3, string OutsideCommune,
        string CouncilId, int CouncilVersion);

    /// <summary>
    /// Province P with a department (SNV, the members' home) and districts H1 (communes X1, X2) and
    /// H2 (commune X3); a commune of another province. A 15-member council: m0 chair, m1 secretary,
    /// m13 from district H1 (conflicted on X1/X2 nominations), m14 from commune X3.
    /// </summary>
    private async Task<World> BuildWorld(string tag)
    {
        var p = Id(await _s.Registry.CreateUnit("Tỉnh An Giang " + tag, "PROVINCE"));
        var snv = Id(await _s.Registry.CreateUnit("Sở Nội vụ", "DEPARTMENT", p));
        var h1 = Id(await _s.Registry.CreateUnit("Huyện Chợ Mới", "DISTRICT", p));
        var h2 = Id(await _s.Registry.CreateUnit("Huyện Phú Tân", "DISTRICT", p));
        var x1 = Id(await _s.Registry.CreateUnit("Xã Mỹ Hội Đông", "COMMUNE", h1));
        var x2 = Id(await _s.Registry.CreateUnit("Xã Nhơn Mỹ", "COMMUNE", h1));
        var x3 = Id(await _s.Registry.CreateUnit("Xã Phú Thạnh", "COMMUNE", h2));
        var q = Id(await _s.Registry.CreateUnit("Tỉnh Kiên Giang " + tag, "PROVINCE"));
        var y = Id(await _s.Registry.CreateUnit("Xã Bình An", "COMMUNE", q));

        var council = await _s.CreateCouncil(_s.Admin, p);
        var version = council["version"]!.GetValue<int>();
        string[] names = ["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường", "Phạm Thị Dung", "Hoàng Văn Em", "Huỳnh Thị Giang", "Phan Văn Hải",
            "Vũ Thị Hoa", "Võ Văn Khánh", "Đặng Thị Lan", "Bùi Văn Minh", "Đỗ Thị Ngọc", "Hồ Văn Phúc", "Ngô Thị Quỳnh", "Dương Văn Sơn"];
        for (var i = 0; i < 15; i++)
        {
            var home = i == 13 ? h1 : i == 14 ? x3 : snv;
            var role = i == 0 ? "CHAIR" : i == 1 ? "SECRETARY" : "MEMBER";
            version = await _s.AddMember(_s.Admin, Id(council), version, Member(tag, i), names[i], home, role);
        }
        return new World(p, snv, h1, h2, x1, x2, x3, y, Id(council), version);
    }

    private static string Member(string tag, int i) => $"{tag}-m{i}";

    [Fact]
    public async Task A_full_round_runs_from_nominations_through_concurrent_voting_to_a_published_verifiable_tally()
    {
        const string tag = "e2e";
        var w = await BuildWorld(tag);
        GraphQLClient M(int i) => _s.User(Member(tag, i));
        var chair = M(0);
        var secretary = M(1);
        var now = DateTime.UtcNow;

        var e1 = await _s.RegisteredEntry(w.X1, "Mô hình “Dân vận khéo” xây dựng đường giao thông nông thôn");
        var e2 = await _s.RegisteredEntry(w.X1, "Mô hình “Tổ tự quản đường hoa” ở ấp Mỹ Hòa");
        var e3 = await _s.RegisteredEntry(w.X2, "Mô hình “Nhà đoàn kết” cho hộ nghèo");
        var e4 = await _s.RegisteredEntry(w.X3, "Mô hình “Camera an ninh” khu dân cư");
        var e5 = await _s.RegisteredEntry(w.X3, "Mô hình “Phụ nữ tiết kiệm” giúp nhau");
        var outside = await _s.RegisteredEntry(w.OutsideCommune, "Mô hình “Vườn cây dân vận” ngoài tỉnh");
        var x1Editor = _s.Registry.EditorOf(w.X1, "editor-x1");
        var draft = await _s.Registry.CreateEntry(x1Editor, w.X1, "Mô hình còn ở dạng bản nháp");

        var created = await _s.CreateRound(secretary, RoundInput(w.CouncilId, w.Province, now.AddDays(1), now.AddDays(2), maxRecognitions: 1));
        Assert.Equal("FORBIDDEN", created.RefusalCode); // the secretary is not an editor of the council's unit: creation is for admins and unit editors
        created = await _s.CreateRound(_s.Admin, RoundInput(w.CouncilId, w.Province, now.AddDays(1), now.AddDays(2), maxRecognitions: 1));
        Ok(created, "createRound");
        var roundId = Id(created.At("createRound.round"));
        Assert.Equal("DRAFT", created.At("createRound.round.status").GetValue<string>());

        Assert.Equal("ROUND_NOT_OPEN", ErrorCode(await _s.Nominate(x1Editor, roundId, Id(e1)), "nominateEntry"));
        var opened = await _s.Step(secretary, "openNominations", roundId, 1);
        Ok(opened, "openNominations");

        // Nominations from several units; the district editor nominates for its communes.
        var x2Editor = _s.Registry.EditorOf(w.X2, "editor-x2");
        var h2Editor = _s.Registry.EditorOf(w.H2, "editor-h2");
        var nominations = new Dictionary<string, JsonNode>();
        foreach (var (client, entry, key) in new[] { (x1Editor, e1, "n1"), (x1Editor, e2, "n2"), (x2Editor, e3, "n3"), (h2Editor, e4, "n4"), (h2Editor, e5, "n5") })
        {
            var r = await _s.Nominate(client, roundId, Id(entry));
            Ok(r, "nominateEntry");
            nominations[key] = r.At("nominateEntry.nomination");
        }
        // Refused nominations, each with its own code.
        Assert.Equal("ALREADY_NOMINATED", ErrorCode(await _s.Nominate(x1Editor, roundId, Id(e1)), "nominateEntry"));
        Assert.Equal("NOT_IN_SCOPE", ErrorCode(await _s.Nominate(_s.Registry.EditorOf(w.OutsideCommune, "editor-y"), roundId, Id(outside)), "nominateEntry"));
        Assert.Equal("ENTRY_NOT_REGISTERED", ErrorCode(await _s.Nominate(x1Editor, roundId, Id(draft)), "nominateEntry"));
        Assert.Equal("FORBIDDEN", (await _s.Nominate(x2Editor, roundId, Id(e2))).RefusalCode);
        // Withdrawal before voting opens.
        var withdrawn = await x1Editor.Run("mutation($i: WithdrawNominationInput!) { withdrawNomination(input: $i) { nomination { status } errors { code } } }",
            new { i = new { id = Id(nominations["n5"]), version = 1 } });
        Assert.Equal("FORBIDDEN", withdrawn.RefusalCode);
        withdrawn = await h2Editor.Run("mutation($i: WithdrawNominationInput!) { withdrawNomination(input: $i) { nomination { status } errors { code } } }",
            new { i = new { id = Id(nominations["n5"]), version = 1 } });
        Ok(withdrawn, "withdrawNomination");
        Assert.Equal("WITHDRAWN", withdrawn.At("withdrawNomination.nomination.status").GetValue<string>());

        // A round whose nomination deadline has passed refuses nominations.
        var late = await _s.CreateRound(_s.Admin, RoundInput(w.CouncilId, w.Province, now.AddHours(-1), now.AddDays(1), name: "Đợt bổ sung đã hết hạn đề nghị"));
        var lateId = Id(late.At("createRound.round"));
        Ok(await _s.Step(_s.Admin, "openNominations", lateId, 1), "openNominations");
        Assert.Equal("DEADLINE_PASSED", ErrorCode(await _s.Nominate(x1Editor, lateId, Id(e1)), "nominateEntry"));

        // Steps out of order are refused with INVALID_STATUS and change nothing: the round stays NOMINATING at version 2.
        Assert.Equal("INVALID_STATUS", ErrorCode(await _s.Step(chair, "closeRound", roundId, 2), "closeRound"));
        Assert.Equal("INVALID_STATUS", ErrorCode(await _s.Step(chair, "openNominations", roundId, 2), "openNominations"));
        Assert.Equal("INVALID_STATUS", ErrorCode(await chair.Run("mutation($i: PublishRoundInput!) { publishRound(input: $i) { round { id } errors { code } } }",
            new { i = new { id = roundId, version = 2, decisionNumber = "1234/QĐ-UBND", decisionDate = "2025-12-01" } }), "publishRound"));
        var voting = await _s.Step(chair, "openVoting", roundId, 2);
        Ok(voting, "openVoting");
        var version = voting.At("openVoting.round.version").GetValue<int>();

        // Frozen from VOTING on.
        var frozen = await secretary.Run("mutation($i: UpdateRoundInput!) { updateRound(input: $i) { round { id } errors { code field } } }",
            new { i = new { id = roundId, version, rubric = new[] { new { name = "Chỉ một tiêu chí", weight = 100, maxScore = 10 } } } });
        Assert.Equal("ROUND_FROZEN", ErrorCode(frozen, "updateRound"));
        Assert.Equal("COUNCIL_FROZEN", ErrorCode(await _s.Admin.Run(
            "mutation($i: AddCouncilMemberInput!) { addCouncilMember(input: $i) { council { id } errors { code } } }",
            new { i = new { councilId = w.CouncilId, version = w.CouncilVersion, userId = "late-member", displayName = "Thành viên mới", homeUnitId = w.Department, role = "MEMBER" } }), "addCouncilMember"));
        Assert.Equal("ROUND_NOT_OPEN", ErrorCode(await h2Editor.Run("mutation($i: WithdrawNominationInput!) { withdrawNomination(input: $i) { nomination { status } errors { code } } }",
            new { i = new { id = Id(nominations["n4"]), version = 1 } }), "withdrawNomination"));

        // Conflicts of interest are refused; a member recuses; a recusal is final.
        Assert.Equal("CONFLICT_OF_INTEREST", ErrorCode(await _s.Cast(M(13), Id(nominations["n1"]), "APPROVE", [9, 4]), "castBallot"));
        Assert.Equal("CONFLICT_OF_INTEREST", ErrorCode(await _s.Cast(M(14), Id(nominations["n4"]), "APPROVE", [9, 4]), "castBallot"));
        Ok(await _s.Recuse(M(14), Id(nominations["n2"])), "recuse");
        Assert.Equal("ALREADY_RECUSED", ErrorCode(await _s.Cast(M(14), Id(nominations["n2"]), "APPROVE", [9, 4]), "castBallot"));
        Assert.Equal("INVALID_SCORE", ErrorCode(await _s.Cast(M(0), Id(nominations["n1"]), "APPROVE", [11, 4]), "castBallot"));
        Assert.Equal("FORBIDDEN", (await _s.Cast(x1Editor, Id(nominations["n1"]), "APPROVE", [9, 4])).RefusalCode);

        // The final ballots (member index → choice, scores); pairs not listed cast nothing.
        var plan = new Dictionary<(string Nomination, int Member), (string Choice, int[]? Scores)>();
        for (var i = 0; i <= 11; i++) plan[("n1", i)] = ("APPROVE", [9, 4]);
        plan[("n1", 12)] = ("REJECT", [5, 2]);
        for (var i = 0; i <= 7; i++) plan[("n2", i)] = ("APPROVE", [10, 5]);
        for (var i = 8; i <= 11; i++) plan[("n2", i)] = ("REJECT", [6, 3]);
        plan[("n2", 12)] = ("ABSTAIN", null);
        for (var i = 0; i <= 6; i++) plan[("n3", i)] = ("APPROVE", [8, 4]);
        for (var i = 7; i <= 11; i++) plan[("n3", i)] = ("REJECT", [4, 2]);
        for (var i = 0; i <= 8; i++) plan[("n4", i)] = ("APPROVE", [10, 5]);

        // Many members at once: each pair casts twice (a first opinion, then the final one), all pairs in parallel,
        // while others read the ballot counts.
        const int Reads = 120;
        var requests = plan.Select(async kv =>
        {
            var client = M(kv.Key.Member);
            var nominationId = Id(nominations[kv.Key.Nomination]);
            Ok(await _s.Cast(client, nominationId, "REJECT", [1, 1], "Ý kiến ban đầu"), "castBallot");
            var r = await _s.Cast(client, nominationId, kv.Value.Choice, kv.Value.Scores);
            Ok(r, "castBallot");
            Assert.Equal(2, r.At("castBallot.ballot.revision").GetValue<int>());
        }).Concat(Enumerable.Range(0, Reads).Select(async i =>
        {
            var r = await _s.Anonymous.Run("query($id: ID!) { round(id: $id) { nominations { nodes { ballotCount } } results { rank } ballots { voter } } }", new { id = roundId });
            r.AssertNoErrors();
            Assert.True(r.At("round").AsObject()["results"] is null);
        })).ToList();
        Assert.True(plan.Count * 2 + Reads >= 200, "hundreds of parallel requests");
        await Task.WhenAll(requests);

        // During voting: counts only, for everyone; own ballots with history; nobody else's, admins included.
        var during = await _s.Admin.Run("query($id: ID!) { round(id: $id) { status results { rank } digest ballots { voter } nominations { nodes { key ballotCount result { approvals } } } } }", new { id = roundId });
        during.AssertNoErrors();
        Assert.Equal("VOTING", during.At("round.status").GetValue<string>());
        Assert.Null(during.At("round").AsObject()["results"]);
        Assert.Null(during.At("round").AsObject()["ballots"]);
        Assert.Null(during.At("round").AsObject()["digest"]);
        var counts = during.At("round.nominations.nodes").AsArray().ToDictionary(n => n!["key"]!.GetValue<string>(), n => n!["ballotCount"]!.GetValue<int>());
        Assert.Equal(13, counts[Key(nominations["n1"])]);
        Assert.Equal(13, counts[Key(nominations["n2"])]);
        Assert.Equal(12, counts[Key(nominations["n3"])]);
        Assert.Equal(9, counts[Key(nominations["n4"])]);
        Assert.Equal(4, counts.Count);
        var mine = await M(12).Run("query($id: ID) { myBallots(roundId: $id) { choice scores revision nomination { key } history { revision choice } } }", new { id = roundId });
        mine.AssertNoErrors();
        var myN1 = mine.At("myBallots").AsArray().Single(b => b!["nomination"]!["key"]!.GetValue<string>() == Key(nominations["n1"]))!;
        Assert.Equal("REJECT", myN1["choice"]!.GetValue<string>());
        Assert.Equal(["REJECT", "REJECT"], myN1["history"]!.AsArray().Select(h => h!["choice"]!.GetValue<string>()));
        Assert.Equal(2, mine.At("myBallots").AsArray().Count); // m12 voted on n1 and n2 only

        Assert.Equal("FORBIDDEN", (await _s.Step(_s.Admin, "closeRound", roundId, version)).RefusalCode);
        Assert.Equal("FORBIDDEN", (await _s.Step(M(5), "closeRound", roundId, version)).RefusalCode);
        var closed = await _s.Step(secretary, "closeRound", roundId, version);
        Ok(closed, "closeRound");
        Assert.Equal("CLOSED", closed.At("closeRound.round.status").GetValue<string>());
        Assert.Equal("ROUND_NOT_VOTING", ErrorCode(await _s.Cast(M(3), Id(nominations["n4"]), "APPROVE", [1, 1]), "castBallot"));

        const string resultsQuery = """
            query($id: ID!) { round(id: $id) {
              key status digest maxRecognitions tieBreak members { role }
              rubric { weight maxScore }
              rule { quorum { numerator denominator } threshold { numerator denominator } base comparison minimumAverageScore { numerator denominator } }
              results { rank outcome approvals rejections abstentions recusals ballotsCast quorumMet criterionAverages weightedScore nomination { key } }
              ballots { nominationId nominationKey voter choice scores }
            } }
            """;
        Assert.True((await _s.Anonymous.Run(resultsQuery, new { id = roundId })).At("round").AsObject()["results"] is null);
        var afterClose = await chair.Run(resultsQuery, new { id = roundId });
        afterClose.AssertNoErrors();
        var results = afterClose.At("round.results").AsArray().ToDictionary(r => r!["nomination"]!["key"]!.GetValue<string>(), r => r!);

        void Expect(string n, int rank, string outcome, int approvals, int rejections, int abstentions, int recusals, int cast, bool quorum, double[] criteria, double weighted)
        {
            var r = results[Key(nominations[n])];
            Assert.Equal((rank, outcome, approvals, rejections, abstentions, recusals, cast, quorum),
                (r["rank"]!.GetValue<int>(), r["outcome"]!.GetValue<string>(), r["approvals"]!.GetValue<int>(), r["rejections"]!.GetValue<int>(),
                 r["abstentions"]!.GetValue<int>(), r["recusals"]!.GetValue<int>(), r["ballotsCast"]!.GetValue<int>(), r["quorumMet"]!.GetValue<bool>()));
            Assert.Equal(criteria, r["criterionAverages"]!.AsArray().Select(x => x!.GetValue<double>()));
            Assert.Equal(weighted, r["weightedScore"]!.GetValue<double>());
        }

        // n2: 8 of 15 approve (> 1/2 of all members), (8×100 + 4×60)/12 = 86.6667; m13 conflicted, m14 recused.
        Expect("n2", 1, "APPROVED", 8, 4, 1, 2, 13, true, [8.6667, 4.3333], 86.6667);
        // n1: 12 approve, 1 reject: (12×86 + 46)/13 = 82.9231, but the cap is 1.
        Expect("n1", 2, "NOT_SELECTED", 12, 1, 0, 1, 13, true, [8.6923, 3.8462], 82.9231);
        // n4: 9 ballots < 2/3 × 15: no quorum (m14 conflicted).
        Expect("n4", 3, "NO_QUORUM", 9, 0, 0, 1, 9, false, [10, 5], 100);
        // n3: 7 of 15 is not more than half.
        Expect("n3", 4, "REJECTED", 7, 5, 0, 1, 12, true, [6.3333, 3.1667], 63.3333);
        Assert.Equal(4, results.Count);

        // The digest, recomputed from the published ballots and rule exactly as docs/tally-digest.md describes.
        var round = afterClose.At("round");
        var ballots = round["ballots"]!.AsArray();
        Assert.Equal(13 + 13 + 1 + 12 + 9, ballots.Count); // n2 includes m14's recusal
        Assert.Single(ballots, b => b!["choice"]!.GetValue<string>() == "RECUSED");
        Assert.Equal(15, ballots.Select(b => b!["voter"]!.GetValue<string>()).Distinct().Count() + 1); // m13 never voted
        Assert.Equal(Recompute(round), round["digest"]!.GetValue<string>());

        // Publish: the approved entry becomes RECOGNIZED with a recognition record.
        Assert.Equal("FORBIDDEN", (await M(5).Run("mutation($i: PublishRoundInput!) { publishRound(input: $i) { round { status } errors { code } } }",
            new { i = new { id = roundId, version = version + 1, decisionNumber = "1234/QĐ-UBND", decisionDate = "2025-12-15" } })).RefusalCode);
        var published = await secretary.Run("mutation($i: PublishRoundInput!) { publishRound(input: $i) { round { status decisionNumber } errors { code message } } }",
            new { i = new { id = roundId, version = version + 1, decisionNumber = "1234/QĐ-UBND", decisionDate = "2025-12-15" } });
        Ok(published, "publishRound");
        Assert.Equal("PUBLISHED", published.At("publishRound.round.status").GetValue<string>());

        var entries = await _s.Anonymous.Run("""
            query($ids: [ID!]!) { nodes(ids: $ids) { ... on Entry { code status recognitions { form level decisionNumber decisionDate rank round { name } } nominations { status round { status } } } } }
            """, new { ids = new[] { Id(e2), Id(e1), Id(e5) } });
        entries.AssertNoErrors();
        var recognized = entries.At("nodes.0");
        Assert.Equal("RECOGNIZED", recognized["status"]!.GetValue<string>());
        var recognition = recognized["recognitions"]!.AsArray().Single()!;
        Assert.Equal(("Bằng khen", "PROVINCE", "1234/QĐ-UBND", "2025-12-15", 1),
            (recognition["form"]!.GetValue<string>(), recognition["level"]!.GetValue<string>(), recognition["decisionNumber"]!.GetValue<string>(),
             recognition["decisionDate"]!.GetValue<string>(), recognition["rank"]!.GetValue<int>()));
        Assert.Equal("REGISTERED", entries.At("nodes.1.status").GetValue<string>());
        Assert.Empty(entries.At("nodes.1.recognitions").AsArray());
        Assert.Equal("WITHDRAWN", entries.At("nodes.2.nominations.0.status").GetValue<string>());

        // Publishing also re-files the entry for search: filtering by status finds it as RECOGNIZED (and no longer as REGISTERED).
        const string byStatus = "query($u: ID!, $s: EntryStatus!) { entries(first: 50, where: { unitId: { eq: $u }, status: { eq: $s } }) { totalCount nodes { id } } }";
        var recognizedInX1 = await _s.Anonymous.Run(byStatus, new { u = w.X1, s = "RECOGNIZED" });
        recognizedInX1.AssertNoErrors();
        Assert.Equal([Id(e2)], recognizedInX1.At("entries.nodes").AsArray().Select(n => Id(n!)));
        Assert.Equal(1, recognizedInX1.At("entries.totalCount").GetValue<int>());
        var registeredInX1 = await _s.Anonymous.Run(byStatus, new { u = w.X1, s = "REGISTERED" });
        Assert.Equal([Id(e1)], registeredInX1.At("entries.nodes").AsArray().Select(n => Id(n!)));

        var publicView = await _s.Anonymous.Run(resultsQuery, new { id = roundId });
        publicView.AssertNoErrors();
        Assert.Equal(afterClose.At("round.digest").GetValue<string>(), publicView.At("round.digest").GetValue<string>());
        Assert.Equal(Recompute(publicView.At("round")), publicView.At("round.digest").GetValue<string>());
        Assert.Equal(4, publicView.At("round.results").AsArray().Count);
    }

    private static string Key(JsonNode nomination) => nomination["key"]!.GetValue<string>();

    /// <summary>Written from docs/tally-digest.md, not from the production code.</summary>
    private static string Recompute(JsonNode round)
    {
        static string Frac(JsonNode f) => $"{f["numerator"]!.GetValue<int>()}/{f["denominator"]!.GetValue<int>()}";
        var rule = round["rule"]!;
        var text = new StringBuilder();
        text.Append("dvk-tally-digest/1\n");
        text.Append("round ").Append(round["key"]!.GetValue<string>()).Append('\n');
        text.Append("members ").Append(round["members"]!.AsArray().Count).Append('\n');
        text.Append("rubric ").Append(string.Join(" ", round["rubric"]!.AsArray().Select(c => $"{c!["weight"]}/{c["maxScore"]}"))).Append('\n');
        text.Append("quorum ").Append(Frac(rule["quorum"]!)).Append('\n');
        text.Append("threshold ").Append(Frac(rule["threshold"]!)).Append(' ').Append(rule["base"]!.GetValue<string>()).Append(' ')
            .Append(rule["comparison"]!.GetValue<string>() == "GREATER_THAN" ? "GT" : "GE").Append('\n');
        text.Append("min-score ").Append(rule["minimumAverageScore"] is { } min ? Frac(min) : "none").Append('\n');
        text.Append("cap ").Append(round["maxRecognitions"]?.ToString() ?? "none").Append('\n');
        text.Append("tie-break ").Append(string.Join(",", round["tieBreak"]!.AsArray().Select(k => k!.GetValue<string>()))).Append('\n');
        var lines = round["ballots"]!.AsArray()
            .Select(b => (Key: b!["nominationKey"]!.GetValue<string>(), Voter: b["voter"]!.GetValue<string>(), Choice: b["choice"]!.GetValue<string>(),
                Scores: b["scores"]!.AsArray().Select(s => s!.GetValue<int>()).ToList()))
            .OrderBy(b => b.Key, StringComparer.Ordinal).ThenBy(b => b.Voter, StringComparer.Ordinal);
        foreach (var b in lines)
            text.Append($"ballot {b.Key} {b.Voter} {b.Choice} {(b.Scores.Count == 0 ? "-" : string.Join(",", b.Scores))}\n");
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    [Fact]
    public async Task Every_round_mutation_refuses_callers_without_the_right_and_anonymous_callers_get_401()
    {
        const string tag = "acl";
        var w = await BuildWorld(tag);
        var now = DateTime.UtcNow;
        var x1Editor = _s.Registry.EditorOf(w.X1, "editor-x1");
        var member = _s.User(Member(tag, 5));
        var outsider = _s.User("nguoi-ngoai");

        Assert.Equal("FORBIDDEN", (await x1Editor.Run("mutation { createCouncil(input: { unitId: \"" + w.Province + "\", name: \"Hội đồng giả\" }) { errors { code } } }")).RefusalCode);
        Assert.Equal("FORBIDDEN", (await x1Editor.Run("mutation($i: AddCouncilMemberInput!) { addCouncilMember(input: $i) { errors { code } } }",
            new { i = new { councilId = w.CouncilId, version = w.CouncilVersion, userId = "x", displayName = "Người lạ", homeUnitId = w.X1, role = "MEMBER" } })).RefusalCode);
        Assert.Equal("FORBIDDEN", (await member.Run("mutation($i: RemoveCouncilMemberInput!) { removeCouncilMember(input: $i) { errors { code } } }",
            new { i = new { councilId = w.CouncilId, version = w.CouncilVersion, userId = Member(tag, 1) } })).RefusalCode);
        Assert.Equal("FORBIDDEN", (await _s.CreateRound(x1Editor, RoundInput(w.CouncilId, w.Province, now.AddDays(1), now.AddDays(2)))).RefusalCode);

        var round = await _s.CreateRound(_s.Admin, RoundInput(w.CouncilId, w.Province, now.AddMinutes(2), now.AddMinutes(4)));
        Ok(round, "createRound");
        var roundId = Id(round.At("createRound.round"));
        foreach (var client in new[] { x1Editor, member, outsider })
        {
            Assert.Equal("FORBIDDEN", (await client.Run("mutation($i: UpdateRoundInput!) { updateRound(input: $i) { errors { code } } }",
                new { i = new { id = roundId, version = 1, name = "Đổi tên trái phép" } })).RefusalCode);
            Assert.Equal("FORBIDDEN", (await _s.Step(client, "openNominations", roundId, 1)).RefusalCode);
        }
        var renamed = await _s.Admin.Run("mutation($i: UpdateRoundInput!) { updateRound(input: $i) { round { name version } errors { code } } }",
            new { i = new { id = roundId, version = 1, name = "Đợt xét chọn kiểm tra quyền" } });
        Ok(renamed, "updateRound");
        Ok(await _s.Step(_s.Admin, "openNominations", roundId, 2), "openNominations");
        var entry = await _s.RegisteredEntry(w.X2, "Mô hình “Chợ an toàn” của xã");
        Assert.Equal("FORBIDDEN", (await _s.Nominate(x1Editor, roundId, Id(entry))).RefusalCode);
        var nomination = await _s.Nominate(_s.Registry.EditorOf(w.H1, "editor-h1"), roundId, Id(entry)); // the district acts for its communes
        Ok(nomination, "nominateEntry");
        var nominationId = Id(nomination.At("nominateEntry.nomination"));
        Assert.Equal("FORBIDDEN", (await x1Editor.Run("mutation($i: WithdrawNominationInput!) { withdrawNomination(input: $i) { errors { code } } }",
            new { i = new { id = nominationId, version = 1 } })).RefusalCode);
        foreach (var client in new[] { x1Editor, member, outsider })
            Assert.Equal("FORBIDDEN", (await _s.Step(client, "openVoting", roundId, 3)).RefusalCode);
        Ok(await _s.Step(_s.User(Member(tag, 0)), "openVoting", roundId, 3), "openVoting");
        Assert.Equal("FORBIDDEN", (await _s.Cast(outsider, nominationId, "APPROVE", [5, 3])).RefusalCode);
        Assert.Equal("FORBIDDEN", (await _s.Recuse(x1Editor, nominationId)).RefusalCode);
        Ok(await _s.Cast(member, nominationId, "APPROVE", [5, 3]), "castBallot");

        // Anonymous: every mutation is refused before it runs.
        foreach (var m in new[]
                 {
                     "mutation { createCouncil(input: { unitId: \"x\", name: \"abc\" }) { errors { code } } }",
                     "mutation { closeRound(input: { id: \"" + roundId + "\", version: 4 }) { errors { code } } }",
                     "mutation { castBallot(input: { nominationId: \"" + nominationId + "\", choice: APPROVE, scores: [5, 3] }) { errors { code } } }",
                 })
        {
            var r = await _s.Anonymous.Run(m);
            Assert.Equal(401, r.Status);
            Assert.Equal("UNAUTHENTICATED", r.FirstErrorCode);
        }

        // Nothing changed: the member's ballot is still the only one.
        var counts = await _s.Anonymous.Run("query($id: ID!) { round(id: $id) { status nominations { nodes { ballotCount } } } }", new { id = roundId });
        Assert.Equal(1, counts.At("round.nominations.nodes.0.ballotCount").GetValue<int>());

        // At the voting deadline the API closes the round by itself (its deadline service, run here with the clock past it).
        var pastDeadline = new RegistryClock(new FakeTimeProvider(new DateTimeOffset(now.AddMinutes(5))));
        await ActivatorUtilities.CreateInstance<RoundDeadlineService>(factory.Services, pastDeadline).CloseDueAsync(CancellationToken.None);
        var after = await _s.User(Member(tag, 0)).Run("query($id: ID!) { round(id: $id) { status digest results { approvals outcome } } }", new { id = roundId });
        after.AssertNoErrors();
        Assert.Equal("CLOSED", after.At("round.status").GetValue<string>());
        Assert.Matches("^[0-9a-f]{64}$", after.At("round.digest").GetValue<string>());
        Assert.Equal(1, after.At("round.results.0.approvals").GetValue<int>());
        Assert.Equal("NO_QUORUM", after.At("round.results.0.outcome").GetValue<string>());
    }
}
