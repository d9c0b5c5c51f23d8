using DanVanKheo.Api.Audit;
using DanVanKheo.Api.Auth;
using DanVanKheo.Api.Common;
using DanVanKheo.Api.Entries;
using DanVanKheo.Api.Storage.LiteDb;
using LiteDB;
using static DanVanKheo.Tests.Storage.TestData;

namespace DanVanKheo.Tests.Storage;

/// <summary>What every <see cref="IAuditStore"/> and every audited write must do; one subclass per store.</summary>
public abstract class AuditStoreContract : StoreContract
{
    private IAuditStore Audit => Stores.Audit;

    public static AuditScope Scope(string action, DateTime? at = null) => new()
    {
        Actor = new Caller("can-bo-1", "Trần Văn Bình", new HashSet<string> { Roles.Editor }, "don-vi-1"),
        Action = action,
        RequestId = "req-" + action,
        Timestamp = at ?? T0,
    };

    [StoreFact]
    public async Task Writes_inside_a_scope_append_one_chained_event_with_before_and_after_and_writes_outside_append_none()
    {
        var unit = Unit("CT", "Thành phố Cần Thơ", kind: DanVanKheo.Api.Units.UnitKind.Province);
        await Stores.Units.InsertAsync(unit); // outside a mutation: not audited
        Assert.Empty(await Audit.ListStreamsAsync(null, 10));

        var entry = Draft(unit, "Mô hình Chợ nổi văn minh", 1);
        var create = Scope("createEntry");
        await Stores.Entries.InsertAsync(entry, create);
        Assert.Equal(1, create.Appended);

        var changed = (await Stores.Entries.GetByIdsAsync([entry.Id]))[0];
        EntryRules.Submit(changed, T0.AddHours(1));
        var submit = Scope("submitEntry", T0.AddHours(1));
        Assert.True(await Stores.Entries.ReplaceAsync(changed, 1, submit));
        Assert.Equal(1, submit.Appended);

        var stale = Scope("submitEntry", T0.AddHours(2));
        Assert.False(await Stores.Entries.ReplaceAsync(changed, 1, stale));
        Assert.Equal(0, stale.Appended);

        var stream = await Audit.GetStreamAsync(AuditEvent.StreamOf(AuditTargetTypes.Entry, entry.Id), 1, 100);
        Assert.Equal(2, stream.Count);
        Assert.Equal([1L, 2L], stream.Select(e => e.Sequence));
        Assert.Equal(AuditChain.Genesis, stream[0].PrevHash);
        Assert.Equal(stream[0].Hash, stream[1].PrevHash);
        Assert.True(AuditChain.Verify(stream[0].Stream, stream).Valid);
        var status = Assert.Single(stream[1].Changes, c => c.Field == "status");
        Assert.Equal("\"DRAFT\"", status.Before);
        Assert.Equal("\"REGISTERED\"", status.After);
        Assert.Equal("Trần Văn Bình", stream[1].ActorName);
        Assert.Equal(unit.Id, stream[1].UnitId);
        Assert.Contains(stream[0].Changes, c => c is { Field: "title", Before: null, After: "\"Mô hình Chợ nổi văn minh\"" });
    }

    [StoreFact]
    public async Task A_multi_unit_write_is_one_event_naming_every_unit()
    {
        var a = Unit("KG.A", "Xã Vĩnh Hòa Hiệp", validFrom: new DateOnly(2000, 1, 1));
        var b = Unit("KG.B", "Xã Vĩnh Hòa Phú", validFrom: new DateOnly(2000, 1, 1));
        await Stores.Units.InsertManyAsync([a, b]);
        var changed = DanVanKheo.Api.Units.UnitRules.RecordSuccession([a], [b], new DateOnly(2025, 7, 1), T0);
        var scope = Scope("recordUnitSuccession");
        Assert.True(await Stores.Units.ReplaceAllAsync(changed, scope));
        Assert.Equal(1, scope.Appended);
        var e = Assert.Single((await Audit.FindAsync(new AuditFilter(TargetId: a.Id), new PageRequest(10))).Items);
        Assert.Equal(new[] { a.Id, b.Id }.Order(), e.TargetIds.Order());
        Assert.Contains(e.Changes, c => c.TargetId == a.Id && c.Field == "validTo" && c.After == "\"2025-07-01\"");
    }

    [StoreFact]
    public async Task Security_events_chain_in_their_own_stream_and_filters_page_newest_first()
    {
        for (var i = 0; i < 5; i++)
            await Audit.AppendAsync(new AuditEvent
            {
                Kind = AuditKind.Security, Stream = AuditEvent.SecurityStream, Timestamp = T0.AddMinutes(i), RequestId = $"r{i}",
                ActorId = i % 2 == 0 ? "ke-la" : null, Action = "createUnit", Reason = "Không có quyền.",
                // The first two as written before the policy had its own field (it sat in targetType).
                TargetType = i < 2 ? Policies.Admin : "Mutation", Policy = i < 2 ? null : Policies.Admin,
            });
        var stream = await Audit.GetStreamAsync(AuditEvent.SecurityStream, 1, 100);
        Assert.True(AuditChain.Verify(AuditEvent.SecurityStream, stream).Valid);
        Assert.Equal(5, stream.Count);
        Assert.Equal([null, null, Policies.Admin, Policies.Admin, Policies.Admin], stream.Select(e => e.Policy));
        Assert.Equal([Policies.Admin, Policies.Admin, "Mutation", "Mutation", "Mutation"], stream.Select(e => e.TargetType));
        // An event without a policy hashes as it did before the field existed.
        Assert.DoesNotContain("\"policy\"", System.Text.Encoding.UTF8.GetString(AuditChain.Canonical(stream[0])));
        Assert.Contains("\"policy\":\"Registry.Admin\"", System.Text.Encoding.UTF8.GetString(AuditChain.Canonical(stream[2])));

        var page = await Audit.FindAsync(new AuditFilter(ActorId: "ke-la"), new PageRequest(2));
        Assert.Equal(3, page.TotalCount);
        Assert.Equal(["r4", "r2"], page.Items.Select(e => e.RequestId));
        Assert.True(page.HasNextPage);
        var window = await Audit.FindAsync(new AuditFilter(From: T0.AddMinutes(1), To: T0.AddMinutes(3), Kind: AuditKind.Security), new PageRequest(10));
        Assert.Equal(["r2", "r1"], window.Items.Select(e => e.RequestId));
        Assert.Equal(0, (await Audit.FindAsync(new AuditFilter(Action: "updateUnit"), new PageRequest(10))).TotalCount);
        Assert.Equal([AuditEvent.SecurityStream], await Audit.ListStreamsAsync(null, 10));
    }

    private async Task AppendSecurityEventsAsync(string stream, int count)
    {
        for (var i = 0; i < count; i++)
            await Audit.AppendAsync(new AuditEvent
            {
                Kind = AuditKind.Security, Stream = stream, Timestamp = T0.AddSeconds(i), RequestId = $"{stream}-{i}",
                Action = "createUnit", TargetType = Policies.Admin, Reason = "Không có quyền.",
            });
    }

    [StoreFact]
    public async Task Chains_verify_in_bounded_calls_that_continue_where_the_last_one_stopped()
    {
        // Three streams of 7, 3 and 5 events; a budget of 4 events and 2 streams per call.
        var names = new[] { "security-a", "security-b", "security-c" };
        await AppendSecurityEventsAsync(names[0], 7);
        await AppendSecurityEventsAsync(names[1], 3);
        await AppendSecurityEventsAsync(names[2], 5);
        Assert.Equal(names[1..], await Audit.ListStreamsAsync(names[0], 10));
        Assert.Equal([names[0]], await Audit.ListStreamsAsync(null, 1));
        Assert.Equal([3L, 4L], (await Audit.GetStreamAsync(names[0], 3, 2)).Select(e => e.Sequence));

        var calls = new List<AuditChainVerification>();
        AuditChainPosition? next = null;
        do
        {
            var call = await AuditChainPages.VerifyAsync(Audit, null, next, 2, default, eventBudget: 4);
            Assert.InRange(call.EventsChecked, 0, 4);
            Assert.InRange(call.Reports.Count, 1, 2);
            calls.Add(call);
            next = call.Next;
        } while (next is not null && calls.Count < 20);
        Assert.Null(next);
        var reports = calls.SelectMany(c => c.Reports).ToList();
        Assert.All(reports, r => Assert.True(r.Valid, r.ToString()));
        // Every event checked exactly once, each stream from 1 to its end in consecutive parts.
        foreach (var (name, count) in names.Zip([7, 3, 5]))
        {
            var parts = reports.Where(r => r.Stream == name).ToList();
            Assert.Equal(count, parts.Sum(p => p.Events));
            Assert.Equal(1, parts[0].FromSequence);
            for (var i = 1; i < parts.Count; i++) Assert.Equal(parts[i - 1].FromSequence + parts[i - 1].Events, parts[i].FromSequence);
            Assert.True(parts[^1].Complete);
            Assert.All(parts[..^1], p => Assert.False(p.Complete));
        }
        Assert.Equal(15, calls.Sum(c => c.EventsChecked));

        // One stream asked for by name is continued the same way and nothing else is read.
        var first = await AuditChainPages.VerifyAsync(Audit, names[0], null, 5, default, eventBudget: 4);
        Assert.Equal((4, false), (Assert.Single(first.Reports).Events, first.Reports[0].Complete));
        var rest = await AuditChainPages.VerifyAsync(Audit, names[0], first.Next, 5, default, eventBudget: 4);
        Assert.Equal((5L, 3, true), (rest.Reports[0].FromSequence, rest.Reports[0].Events, rest.Reports[0].Complete));
        Assert.Null(rest.Next);
    }
}

public sealed class LiteDbAuditStoreTests : AuditStoreContract
{
    protected override Task<IStoreHarness> CreateStoresAsync() => Task.FromResult<IStoreHarness>(new LiteDbHarness());

    [Fact]
    public async Task When_the_audit_append_fails_the_change_is_not_visible_either()
    {
        var stores = (LiteDbHarness)Stores;
        var unit = Unit("BL", "Tỉnh Bạc Liêu");
        await stores.Units.InsertAsync(unit);
        var entry = Draft(unit, "Mô hình Cánh đồng lớn", 7);
        // A corrupt chain head for the entry's stream makes the append throw inside the transaction.
        stores.Context.AuditHeads.Insert(new BsonDocument
        {
            ["_id"] = AuditEvent.StreamOf(AuditTargetTypes.Entry, entry.Id), ["Sequence"] = "không phải số", ["Hash"] = "x",
        });
        await Assert.ThrowsAnyAsync<Exception>(() => stores.Entries.InsertAsync(entry, Scope("createEntry")));
        Assert.Empty(await stores.Entries.GetByIdsAsync([entry.Id]));
        Assert.Equal(0, stores.Context.AuditEvents.Count());
    }
}

[RequiresMongo]
public sealed class MongoAuditStoreTests : AuditStoreContract
{
    protected override async Task<IStoreHarness> CreateStoresAsync() => await MongoHarness.CreateAsync();
}
