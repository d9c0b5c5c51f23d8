using DanVanKheo.Tests.Infrastructure;

namespace DanVanKheo.Tests.Api;

public sealed class ReplicationApiTests(RegistryApiFactory factory) : IClassFixture<RegistryApiFactory>
{
    private readonly RegistryScenario _s = new(factory);

    [Fact]
    public async Task Editor_records_updates_and_moves_a_replication_and_the_derived_entry_shows_its_source()
    {
        var (province, _, model) = await _s.RegisteredEntry("Mô hình \"Dân vận khéo\" trong xây dựng nông thôn mới");
        var adopting = await _s.CreateUnit("Xã Bình An", "COMMUNE", province.Id());
        var editor = _s.EditorOf(adopting.Id(), "editor-binh-an");
        var derived = await _s.Submit(editor, await _s.CreateEntry(editor, adopting.Id(), "Nhân rộng mô hình nông thôn mới tại xã Bình An"));

        var rec = await ReplicationScenario.RecordOk(editor, model.Id(), adopting.Id(), derived.Id(), plannedOn: "2025-02-01");
        Assert.Equal("PLANNED", rec["status"]!.GetValue<string>());
        Assert.Equal(1, rec["generation"]!.GetValue<int>());
        Assert.Equal("2025-02-01", rec["plannedOn"]!.GetValue<string>());
        Assert.Equal("REPLICATED", rec["derivedEntry"]!["novelty"]!.GetValue<string>());
        Assert.Equal(model.Id(), rec["derivedEntry"]!["replicatedFrom"]!.Id());

        var updated = await ReplicationScenario.Update(editor, rec);
        Assert.Null(updated.ErrorCode("updateReplication"));
        var u = updated.At("updateReplication.replication");
        Assert.Equal("Mở rộng ra toàn xã", u["adaptationNotes"]!.GetValue<string>());
        Assert.Equal(900, u["outcome"]!["peopleReached"]!.GetValue<long>());
        Assert.Equal("Thành lập 5 tổ tự quản", u["outcome"]!["otherResults"]!.GetValue<string>());

        var started = await ReplicationScenario.ChangeStatus(editor, u, "IMPLEMENTING", "2025-03-01");
        Assert.Null(started.ErrorCode("changeReplicationStatus"));
        var sustained = await ReplicationScenario.ChangeStatus(editor, started.At("changeReplicationStatus.replication"), "SUSTAINED", "2025-12-01");
        Assert.Null(sustained.ErrorCode("changeReplicationStatus"));
        var s = sustained.At("changeReplicationStatus.replication");
        Assert.Equal(("SUSTAINED", "2025-03-01", "2025-12-01"), (s["status"]!.GetValue<string>(), s["startedOn"]!.GetValue<string>(), s["sustainedOn"]!.GetValue<string>()));

        var read = await _s.Anonymous.Run("query($id: ID!) { node(id: $id) { ... on Replication { status sourceEntry { id } adoptingUnit { name } } } replications(where: { sourceEntryId: $e }) { totalCount } }"
            .Replace("query($id: ID!)", "query($id: ID!, $e: ID!)"), new { id = rec.Id(), e = model.Id() });
        read.AssertNoErrors();
        Assert.Equal("SUSTAINED", read.At("node.status").GetValue<string>());
        Assert.Equal("Xã Bình An", read.At("node.adoptingUnit.name").GetValue<string>());
        Assert.Equal(1, read.At("replications.totalCount").GetValue<int>());
    }

    [Fact]
    public async Task Refuses_each_invalid_replication_with_its_own_code_and_changes_nothing()
    {
        var (province, communeA, model) = await _s.RegisteredEntry("Mô hình tổ tự quản an ninh trật tự");
        var editorA = _s.EditorOf(communeA.Id(), "editor-a");
        var communeB = await _s.CreateUnit("Xã Vĩnh Hòa", "COMMUNE", province.Id());
        var communeC = await _s.CreateUnit("Xã Tân Hiệp", "COMMUNE", province.Id());
        var editorB = _s.EditorOf(communeB.Id(), "editor-b");
        var editorC = _s.EditorOf(communeC.Id(), "editor-c");
        var derivedB = await _s.Submit(editorB, await _s.CreateEntry(editorB, communeB.Id(), "Tổ tự quản an ninh xã Vĩnh Hòa"));
        var otherB = await _s.Submit(editorB, await _s.CreateEntry(editorB, communeB.Id(), "Tổ tự quản thứ hai xã Vĩnh Hòa"));
        var entryC = await _s.Submit(editorC, await _s.CreateEntry(editorC, communeC.Id(), "Mô hình chợ an toàn xã Tân Hiệp"));
        var draftA = await _s.CreateEntry(editorA, communeA.Id(), "Bản nháp chưa đăng ký");

        // Anonymous: the transport refuses the mutation before it runs.
        Assert.Equal(401, (await ReplicationScenario.Record(_s.Anonymous, model.Id(), communeB.Id())).Status);
        // Another unit's editor: a GraphQL error FORBIDDEN, nothing recorded.
        var forbidden = await ReplicationScenario.Record(editorC, model.Id(), communeB.Id());
        Assert.Equal("FORBIDDEN", forbidden.RefusalCode);
        Assert.Equal("SELF_REPLICATION", (await ReplicationScenario.Record(editorA, model.Id(), communeA.Id())).ErrorCode("recordReplication"));
        Assert.Equal("SOURCE_NOT_REGISTERED", (await ReplicationScenario.Record(_s.Admin, draftA.Id(), communeB.Id())).ErrorCode("recordReplication"));
        Assert.Equal("NOT_FOUND", (await ReplicationScenario.Record(editorB, draftA.Id(), communeB.Id())).ErrorCode("recordReplication"));
        Assert.Equal("DERIVED_ENTRY_WRONG_UNIT", (await ReplicationScenario.Record(editorB, model.Id(), communeB.Id(), entryC.Id())).ErrorCode("recordReplication"));
        Assert.Equal("BAD_USER_INPUT", (await ReplicationScenario.Record(editorB, model.Id(), communeB.Id(), outcome: new { peopleReached = -1 })).ErrorCode("recordReplication"));
        Assert.Equal(0, (await _s.Anonymous.Run("query($e: ID!) { replications(where: { sourceEntryId: $e }) { totalCount } }", new { e = model.Id() })).At("replications.totalCount").GetValue<int>());

        var rep = await ReplicationScenario.RecordOk(editorB, model.Id(), communeB.Id(), derivedB.Id());
        Assert.Equal("DUPLICATE_REPLICATION", (await ReplicationScenario.Record(editorB, model.Id(), communeB.Id())).ErrorCode("recordReplication"));
        Assert.Equal("DERIVED_ENTRY_SOURCE_MISMATCH", (await ReplicationScenario.Record(editorB, entryC.Id(), communeB.Id(), derivedB.Id())).ErrorCode("recordReplication"));
        // The model's own unit adopting the derived entry back, with the model as "derived": a cycle.
        Assert.Equal("REPLICATION_CYCLE", (await ReplicationScenario.Record(editorA, derivedB.Id(), communeA.Id(), model.Id())).ErrorCode("recordReplication"));

        Assert.Equal("INVALID_STATUS_TRANSITION", (await ReplicationScenario.ChangeStatus(editorB, rep, "SUSTAINED")).ErrorCode("changeReplicationStatus"));
        Assert.Equal("BAD_USER_INPUT", (await ReplicationScenario.ChangeStatus(editorB, rep, "IMPLEMENTING", "2000-01-01")).ErrorCode("changeReplicationStatus"));
        Assert.Equal("DERIVED_ENTRY_LOCKED", (await ReplicationScenario.Update(editorB, rep, otherB.Id())).ErrorCode("updateReplication"));
        Assert.Equal("STALE_VERSION", (await ReplicationScenario.Update(editorB, rep, version: 7)).ErrorCode("updateReplication"));
        Assert.Equal("FORBIDDEN", (await ReplicationScenario.Update(editorC, rep)).RefusalCode);

        var ended = await ReplicationScenario.ChangeStatus(editorB, rep, "DISCONTINUED", reason: "Thiếu kinh phí duy trì");
        Assert.Null(ended.ErrorCode("changeReplicationStatus"));
        Assert.Equal("INVALID_STATUS_TRANSITION", (await ReplicationScenario.ChangeStatus(editorB, ended.At("changeReplicationStatus.replication"), "IMPLEMENTING")).ErrorCode("changeReplicationStatus"));
        // A new active replication of the pair is fine now, but the derived entry stays with the first one.
        Assert.Equal("DERIVED_ENTRY_IN_USE", (await ReplicationScenario.Record(editorB, model.Id(), communeB.Id(), derivedB.Id())).ErrorCode("recordReplication"));
        await ReplicationScenario.RecordOk(editorB, model.Id(), communeB.Id());
    }
}
