using System.Text.Json.Nodes;
using DanVanKheo.Api.Audit;
using DanVanKheo.Api.Auth;
using DanVanKheo.Api.GraphQL;
using DanVanKheo.Api.Storage.LiteDb;
using DanVanKheo.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace DanVanKheo.Tests.Api;

/// <summary>The audit log over HTTP: one event per mutation, security events, queries, history and the hash chain.</summary>
public sealed class AuditApiTests(RegistryApiFactory factory) : IClassFixture<RegistryApiFactory>
{
    private readonly RegistryScenario _s = new(factory);
    private GraphQLClient Auditor => factory.Client(RegistryApiFactory.Token("kiem-toan-1", [Roles.Auditor], name: "Lê Thị Kiểm"));

    private const string Events = """
        query($w: AuditEventFilterInput, $first: Int) { auditEvents(where: $w, first: $first) { totalCount nodes {
          kind action targetType targetId unitId requestId timestamp reason sealed
          actor { id name roles } changes { targetId field before after } } } }
        """;

    private async Task<JsonArray> Find(object where, int first = 50)
    {
        var r = (await Auditor.Run(Events, new { w = where, first })).AssertNoErrors();
        return r.At("auditEvents.nodes").AsArray();
    }

    private static string? Text(string? json) => json is null ? null : JsonNode.Parse(json)!.ToString();

    [Fact]
    public async Task Every_mutation_in_the_schema_writes_exactly_one_event_with_its_before_and_after()
    {
        var schema = factory.Services.GetRequiredService<RegistrySchema>();
        schema.Initialize();
        var admin = factory.Client(RegistryApiFactory.Token("quan-tri-1", [Roles.Admin], name: "Phạm Quản Trị"));
        foreach (var field in schema.Mutation!.Fields)
        {
            Assert.True(MutationCases.All.TryGetValue(field.Name, out var arrange), $"Mutation {field.Name} has no case in MutationCases.");
            var world = await World.CreateAsync(_s);
            var call = await arrange!(_s, world);
            var countBefore = (await Auditor.Run(Events, new { w = new { kind = "CHANGE" }, first = 0 })).At("auditEvents.totalCount").GetValue<int>();
            var started = DateTime.UtcNow.AddSeconds(-1);
            var r = (await admin.Run(call.Query, call.Variables)).AssertNoErrors();
            Assert.Empty(r.At(field.Name + ".errors").AsArray());
            var targetId = r.At(call.TargetIdPath).GetValue<string>();

            var countAfter = (await Auditor.Run(Events, new { w = new { kind = "CHANGE" }, first = 0 })).At("auditEvents.totalCount").GetValue<int>();
            Assert.True(countAfter == countBefore + 1, $"{field.Name} wrote {countAfter - countBefore} events");
            var e = (await Find(new { kind = "CHANGE", action = field.Name }, 1))[0]!;
            Assert.Equal(call.TargetType, e["targetType"]!.GetValue<string>());
            Assert.Equal(targetId, e["targetId"]!.GetValue<string>());
            Assert.Equal("quan-tri-1", e["actor"]!["id"]!.GetValue<string>());
            Assert.Equal("Phạm Quản Trị", e["actor"]!["name"]!.GetValue<string>());
            Assert.Equal([Roles.Admin], e["actor"]!["roles"]!.AsArray().Select(x => x!.GetValue<string>()));
            Assert.False(string.IsNullOrEmpty(e["requestId"]!.GetValue<string>()));
            Assert.InRange(e["timestamp"]!.GetValue<DateTime>().ToUniversalTime(), started, DateTime.UtcNow.AddSeconds(1));
            Assert.NotNull(e["unitId"]);
            var changes = e["changes"]!.AsArray();
            foreach (var expected in call.Expect(targetId))
            {
                var change = changes.FirstOrDefault(c => c!["targetId"]!.GetValue<string>() == expected.TargetId && c["field"]!.GetValue<string>() == expected.Field);
                Assert.True(change is not null, $"{field.Name}: no change of {expected.Field} on {expected.TargetId} in {changes.ToJsonString()}");
                Assert.Equal(expected.Before, Text(change!["before"]?.GetValue<string>()));
                Assert.Equal(expected.After, Text(change["after"]?.GetValue<string>()));
            }
        }
    }

    [Fact]
    public async Task A_refused_mutation_is_a_security_event_and_changes_nothing()
    {
        var a = await _s.CreateUnit("Xã Tân Lộc", "COMMUNE");
        var b = await _s.CreateUnit("Xã Tân Hòa", "COMMUNE");
        var changes = (await Auditor.Run(Events, new { w = new { kind = "CHANGE" }, first = 0 })).At("auditEvents.totalCount").GetValue<int>();
        var intruder = factory.Client(RegistryApiFactory.EditorToken(RegistryScenario.LocalId(World.Id(b)), "ke-xam-nhap"));
        var r = await intruder.Run("mutation($i: CreateEntryInput!) { createEntry(input: $i) { entry { id } errors { code } } }",
            new { i = new { unitId = World.Id(a), title = "Mô hình không được phép", kind = "MODEL", fieldId = await _s.FieldId(), level = "COMMUNE" } });
        Assert.Equal("FORBIDDEN", r.RefusalCode);
        var forbiddenUnit = await intruder.Run("mutation { createUnit(input: { code: \"XX.KHONG\", name: \"Không được\", kind: COMMUNE }) { errors { code } } }");
        Assert.Equal(403, forbiddenUnit.Status);

        Assert.Equal(changes, (await Auditor.Run(Events, new { w = new { kind = "CHANGE" }, first = 0 })).At("auditEvents.totalCount").GetValue<int>());
        var security = await Find(new { kind = "SECURITY", actorId = "ke-xam-nhap" });
        Assert.Equal(["createUnit", "createEntry"], security.Select(e => e!["action"]!.GetValue<string>()));
        Assert.All(security, e => Assert.Empty(e!["changes"]!.AsArray()));
        Assert.Contains("Xã Tân Lộc", security[1]!["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task Events_are_filtered_by_target_actor_unit_action_and_time_and_history_lists_an_objects_changes()
    {
        var unit = await _s.CreateUnit("Phường Vĩnh Thanh Vân", "COMMUNE");
        var editor = _s.EditorOf(World.Id(unit), "bien-tap-vtv");
        var entry = await _s.CreateEntry(editor, World.Id(unit), "Mô hình Khu phố văn minh");
        await Task.Delay(5); // distinct millisecond timestamps for the time-range checks below
        await _s.Submit(editor, entry);

        var byTarget = await Find(new { targetId = World.Id(entry) });
        Assert.Equal(["submitEntry", "createEntry"], byTarget.Select(e => e!["action"]!.GetValue<string>()));
        Assert.Equal(2, (await Find(new { actorId = "bien-tap-vtv" })).Count);
        Assert.Equal(3, (await Find(new { unitId = World.Id(unit) })).Count); // the unit's creation and the entry's two changes
        Assert.Single(await Find(new { action = "submitEntry", targetId = World.Id(entry) }));
        Assert.Empty(await Find(new { targetId = World.Id(entry), from = DateTime.UtcNow.AddMinutes(1) }));
        Assert.Equal(2, (await Find(new { targetId = World.Id(entry), to = DateTime.UtcNow.AddMinutes(1) })).Count);
        // 'from' is inclusive and 'to' exclusive: the submission's own timestamp splits the two events.
        var submittedAt = byTarget[0]!["timestamp"]!.GetValue<DateTime>().ToUniversalTime();
        Assert.True(byTarget[1]!["timestamp"]!.GetValue<DateTime>().ToUniversalTime() < submittedAt, "createEntry and submitEntry share a millisecond");
        Assert.Equal(["submitEntry"], (await Find(new { targetId = World.Id(entry), from = submittedAt })).Select(e => e!["action"]!.GetValue<string>()));
        Assert.Equal(["createEntry"], (await Find(new { targetId = World.Id(entry), to = submittedAt })).Select(e => e!["action"]!.GetValue<string>()));

        var history = (await Auditor.Run("query($id: ID!) { node(id: $id) { ... on Entry { history { totalCount nodes { action } } } } }",
            new { id = World.Id(entry) })).AssertNoErrors();
        Assert.Equal(2, history.At("node.history.totalCount").GetValue<int>());
        var unitHistory = (await Auditor.Run("query($id: ID!) { unit(id: $id) { history { nodes { action } } } }", new { id = World.Id(unit) })).AssertNoErrors();
        Assert.Equal("createUnit", unitHistory.At("unit.history.nodes.0.action").GetValue<string>());

        var securityBefore = await Find(new { kind = "SECURITY", action = "auditEvents" });
        var denied = await editor.Run("{ auditEvents { totalCount } }");
        Assert.Equal(403, denied.Status);
        Assert.Equal("FORBIDDEN", denied.RefusalCode);
        Assert.Null(denied.Data?["auditEvents"]);
        var anonymous = await _s.Anonymous.Run("{ auditEvents { totalCount } }");
        Assert.Equal(401, anonymous.Status);
        Assert.Equal("UNAUTHENTICATED", anonymous.FirstErrorCode);
        Assert.Null(anonymous.Data?["auditEvents"]);
        var deniedHistory = await editor.Run("query($id: ID!) { unit(id: $id) { history { totalCount } } }", new { id = World.Id(unit) });
        Assert.Equal(403, deniedHistory.Status);

        // Each refused read is a security event: who tried which field, and why; it records no change.
        var refusals = await Find(new { kind = "SECURITY", from = DateTime.UtcNow.AddMinutes(-1) });
        Assert.Equal(securityBefore.Count + 2, (await Find(new { kind = "SECURITY", action = "auditEvents" })).Count);
        var byEditor = refusals.Where(e => e!["actor"]!["id"]?.GetValue<string>() == "bien-tap-vtv").ToList();
        Assert.Equal(["history", "auditEvents"], byEditor.Select(e => e!["action"]!.GetValue<string>()));
        Assert.All(byEditor, e => Assert.Contains(Policies.Get(Policies.AuditReader).Description, e!["reason"]!.GetValue<string>()));
        var byAnonymous = refusals.First(e => e!["actor"]!["id"] is null);
        Assert.Equal("auditEvents", byAnonymous!["action"]!.GetValue<string>());
        Assert.Contains("cần có token đăng nhập", byAnonymous["reason"]!.GetValue<string>()); // the audit log is kept in Vietnamese
        Assert.All(refusals, e => Assert.Empty(e!["changes"]!.AsArray()));
    }

    [Fact]
    public async Task Bad_filters_are_refused_with_a_clear_error_naming_the_argument()
    {
        var unit = await _s.CreateUnit("Xã Mỹ Hòa Hưng", "COMMUNE");
        var entry = await _s.CreateEntry(_s.Admin, World.Id(unit), "Mô hình Tổ tự quản");
        var total = (await Auditor.Run(Events, new { first = 0 })).AssertNoErrors().At("auditEvents.totalCount").GetValue<int>();
        var now = DateTime.UtcNow;
        var cases = new (object Where, string Argument)[]
        {
            (new { from = now, to = now.AddMinutes(-1) }, "where.from"),
            (new { targetId = "không-phải-id" }, "where.targetId"),
            (new { unitId = World.Id(entry) }, "where.unitId"), // an Entry id where a Unit id belongs
            (new { unitId = "không-phải-id" }, "where.unitId"),
        };
        foreach (var (where, argument) in cases)
        {
            var r = await Auditor.Run(Events, new { w = where, first = 10 });
            Assert.True(r.FirstErrorCode == "BAD_USER_INPUT", $"{argument}: {r.Body}");
            Assert.Contains($"'{argument}'", r.Errors![0]!["message"]!.GetValue<string>());
            Assert.Null(r.Data?["auditEvents"]);
        }
        // An empty range (from = to) is not an error, it just holds nothing; nothing was written by the refusals.
        Assert.Empty(await Find(new { targetId = World.Id(entry), from = now, to = now }));
        Assert.Equal(total, (await Auditor.Run(Events, new { first = 0 })).At("auditEvents.totalCount").GetValue<int>());
    }

    [Fact]
    public async Task The_hash_chain_verifies_and_detects_a_tampered_event()
    {
        var unit = await _s.CreateUnit("Xã Thạnh Phú", "COMMUNE");
        var entry = await _s.CreateEntry(_s.Admin, World.Id(unit), "Mô hình Ngày chủ nhật xanh");
        await _s.Submit(_s.Admin, entry);
        // Every stream, one stream per call, following continueAfter: each call checks one, the last says there is no more.
        var reports = new List<JsonNode>();
        string? after = null;
        for (var calls = 0; ; calls++)
        {
            Assert.True(calls < 500, "verifyAuditChain did not finish");
            var call = (await Auditor.Run("query($a: String) { verifyAuditChain(first: 1, after: $a) { reports { stream valid events fromSequence complete } eventsChecked hasMore continueAfter } }",
                new { a = after })).AssertNoErrors().At("verifyAuditChain");
            var part = call["reports"]!.AsArray();
            Assert.True(part.Count <= 1, call.ToJsonString());
            reports.AddRange(part.Select(r => r!));
            Assert.Equal(part.Sum(r => r!["events"]!.GetValue<int>()), call["eventsChecked"]!.GetValue<int>());
            Assert.Equal(call["hasMore"]!.GetValue<bool>(), call["continueAfter"] is not null);
            if (!call["hasMore"]!.GetValue<bool>()) break;
            after = call["continueAfter"]!.GetValue<string>();
        }
        Assert.True(reports.Count >= 3, "expected the unit's, the entry's and the security streams");
        Assert.All(reports, r => Assert.True(r["valid"]!.GetValue<bool>() && r["complete"]!.GetValue<bool>(), r.ToJsonString()));
        Assert.Equal(reports.Count, reports.Select(r => r["stream"]!.GetValue<string>()).Distinct().Count());
        // A token that is not a continueAfter, or one for another stream, is refused with the argument named; nothing is checked.
        foreach (var (query, variables, argument) in new (string, object, string)[]
                 {
                     ("query($a: String) { verifyAuditChain(after: $a) { eventsChecked } }", new { a = "không-phải-mã" }, "after"),
                     ("query($a: String) { verifyAuditChain(stream: \"security\", after: $a) { eventsChecked } }", new { a = after ?? "" }, "after"),
                     ("{ verifyAuditChain(first: 0) { eventsChecked } }", new { }, "first"),
                     ("{ verifyAuditChain(first: 201) { eventsChecked } }", new { }, "first"),
                 })
        {
            var refused = await Auditor.Run(query, variables);
            Assert.Equal("BAD_USER_INPUT", refused.FirstErrorCode);
            Assert.Contains($"'{argument}'", refused.Errors![0]!["message"]!.GetValue<string>());
        }

        // Somebody with file access rewrites the first event: submitted by someone else.
        var stream = AuditEvent.StreamOf(AuditTargetTypes.Entry, RegistryScenario.LocalId(World.Id(entry)));
        var db = factory.Services.GetRequiredService<LiteDbContext>();
        var first = db.AuditEvents.FindOne(e => e.Stream == stream && e.Sequence == 1);
        first.ActorName = "Người khác";
        db.AuditEvents.Update(first);

        var check = (await Auditor.Run("query($s: String) { verifyAuditChain(stream: $s) { reports { valid events firstInvalidSequence problem } } }", new { s = stream }))
            .AssertNoErrors().At("verifyAuditChain.reports.0");
        Assert.False(check["valid"]!.GetValue<bool>());
        Assert.Equal(1, check["firstInvalidSequence"]!.GetValue<long>());
        Assert.Contains("altered", check["problem"]!.GetValue<string>());

        // Re-hashing the altered event does not help: the next event no longer links to it.
        first.Hash = AuditChain.HashOf(first);
        db.AuditEvents.Update(first);
        var relinked = (await Auditor.Run("query($s: String) { verifyAuditChain(stream: $s) { reports { valid firstInvalidSequence } } }", new { s = stream }))
            .AssertNoErrors().At("verifyAuditChain.reports.0");
        Assert.False(relinked["valid"]!.GetValue<bool>());
        Assert.Equal(2, relinked["firstInvalidSequence"]!.GetValue<long>());
    }

    [Fact]
    public void No_mutation_updates_or_deletes_audit_events()
    {
        var schema = factory.Services.GetRequiredService<RegistrySchema>();
        schema.Initialize();
        Assert.DoesNotContain(schema.Mutation!.Fields, f => f.Name.Contains("audit", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(typeof(IAuditStore).GetMethods(), m => m.Name.Contains("Update") || m.Name.Contains("Delete") || m.Name.Contains("Replace"));
    }
}
