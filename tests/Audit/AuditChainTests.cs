using DanVanKheo.Api.Audit;
using DanVanKheo.Api.Entries;

namespace DanVanKheo.Tests.Audit;

public sealed class AuditChainTests
{
    private static AuditEvent Event(string id, int minute) => new()
    {
        Id = id, Stream = "Entry:e1", Kind = AuditKind.Change, Timestamp = new DateTime(2025, 7, 1, 1, minute, 0, DateTimeKind.Utc),
        RequestId = "r", ActorId = "u1", ActorName = "Võ Thị Sáu", ActorRoles = ["Unit.Editor", "Registry.Admin"], Action = "updateEntry",
        TargetType = "Entry", TargetId = "e1", TargetIds = ["e1"], UnitId = "u9",
        Changes = [new AuditChange { TargetType = "Entry", TargetId = "e1", Field = "title", Before = "\"Cũ\"", After = "\"Mới\"" }],
    };

    [Fact]
    public void Canonical_form_is_fixed_and_documented()
    {
        var e = Event("a", 0);
        AuditChain.Link(e, 0, null);
        var text = System.Text.Encoding.UTF8.GetString(AuditChain.Canonical(e));
        Assert.StartsWith("{\"stream\":\"Entry:e1\",\"sequence\":1,\"prevHash\":\"0000000000000000000000000000000000000000000000000000000000000000\",\"id\":\"a\",\"kind\":\"Change\",\"timestamp\":\"2025-07-01T01:00:00.000Z\"", text);
        Assert.Contains("\"roles\":[\"Registry.Admin\",\"Unit.Editor\"]", text);
        Assert.Equal(64, e.Hash.Length);
        Assert.Equal(e.Hash, AuditChain.HashOf(e));
    }

    [Fact]
    public void Verify_finds_altered_removed_and_reordered_events()
    {
        var events = Enumerable.Range(0, 4).Select(i => Event("e" + i, i)).ToList();
        string? prev = null;
        for (var i = 0; i < events.Count; i++)
        {
            AuditChain.Link(events[i], i, prev);
            prev = events[i].Hash;
        }
        Assert.True(AuditChain.Verify("Entry:e1", events).Valid);

        events[2].Changes[0].After = "\"Khác\"";
        var altered = AuditChain.Verify("Entry:e1", events);
        Assert.False(altered.Valid);
        Assert.Equal(3, altered.FirstInvalidSequence);
        events[2].Changes[0].After = "\"Mới\"";

        var removed = AuditChain.Verify("Entry:e1", [events[0], events[2], events[3]]);
        Assert.False(removed.Valid);
        Assert.Equal(3, removed.FirstInvalidSequence);
    }

    [Fact]
    public void Diff_records_changed_fields_with_json_values_and_skips_derived_keys()
    {
        var before = new Entry { Id = "e1", Title = "Cũ", Status = EntryStatus.Draft, TitleKey = "cu", Results = new EntryResults { Workdays = 3 } };
        var after = new Entry { Id = "e1", Title = "Mới", Status = EntryStatus.Registered, TitleKey = "moi", Results = new EntryResults { Workdays = 5 } };
        var changes = AuditDiff.Changes("Entry", "e1", before, after).ToDictionary(c => c.Field);
        Assert.Equal(["results.workdays", "status", "title"], changes.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("\"DRAFT\"", changes["status"].Before);
        Assert.Equal("\"Mới\"", changes["title"].After);
        Assert.Equal("5", changes["results.workdays"].After);
        Assert.All(AuditDiff.Changes("Entry", "e1", null, after), c => Assert.Null(c.Before));
    }
}
