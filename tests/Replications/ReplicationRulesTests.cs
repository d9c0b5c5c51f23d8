using DanVanKheo.Api.Common;
using DanVanKheo.Api.Entries;
using DanVanKheo.Api.Replications;
using DanVanKheo.Api.Reports;
using DanVanKheo.Api.Units;
using DanVanKheo.Tests.Storage;

namespace DanVanKheo.Tests.Replications;

/// <summary>The replication, lineage and report rules without storage or HTTP.</summary>
public sealed class ReplicationRulesTests
{
    private readonly StoreFixtures _f = new();
    private static readonly DateTime Now = StoreFixtures.Now;

    [Fact]
    public void Status_moves_forward_only_with_dates_that_never_go_back_and_frees_the_pair_when_discontinued()
    {
        var r = StoreFixtures.Replicate(_f.Entry(_f.Unit("Xã A", UnitKind.Commune), "Mô hình A"), _f.Unit("Xã B", UnitKind.Commune));
        var activeKey = r.ActiveKey;
        Assert.Equal("INVALID_STATUS_TRANSITION", Assert.Throws<DomainException>(() =>
            ReplicationRules.ChangeStatus(r, ReplicationStatus.Sustained, new DateOnly(2024, 5, 1), null, Now)).Code);
        Assert.Equal(ErrorCodes.InvalidInput, Assert.Throws<DomainException>(() =>
            ReplicationRules.ChangeStatus(r, ReplicationStatus.Implementing, new DateOnly(2024, 2, 1), null, Now)).Code);
        ReplicationRules.ChangeStatus(r, ReplicationStatus.Implementing, new DateOnly(2024, 4, 1), null, Now);
        ReplicationRules.ChangeStatus(r, ReplicationStatus.Sustained, new DateOnly(2024, 9, 1), null, Now);
        ReplicationRules.ChangeStatus(r, ReplicationStatus.Discontinued, new DateOnly(2025, 1, 1), "  Hết kinh phí ", Now);
        Assert.Equal((4, "Hết kinh phí"), (r.Version, r.DiscontinuedReason));
        Assert.NotEqual(activeKey, r.ActiveKey);
        Assert.Equal("INVALID_STATUS_TRANSITION", Assert.Throws<DomainException>(() =>
            ReplicationRules.ChangeStatus(r, ReplicationStatus.Implementing, new DateOnly(2025, 2, 1), null, Now)).Code);
    }

    [Fact]
    public void Record_refuses_own_entries_drafts_foreign_derived_entries_and_cycles()
    {
        var a = _f.Unit("Xã A", UnitKind.Commune);
        var b = _f.Unit("Xã B", UnitKind.Commune);
        var model = _f.Entry(a, "Mô hình gốc");
        string Code(Action act) => Assert.Throws<DomainException>(act).Code;
        Assert.Equal("SELF_REPLICATION", Code(() => StoreFixtures.Replicate(model, a)));
        Assert.Equal("SOURCE_NOT_REGISTERED", Code(() => StoreFixtures.Replicate(_f.Entry(a, "Bản nháp", status: EntryStatus.Draft), b)));
        Assert.Equal("DERIVED_ENTRY_WRONG_UNIT", Code(() => StoreFixtures.Replicate(model, b, _f.Entry(a, "Của xã A"))));
        var derived = _f.Entry(b, "Bản nhân rộng của xã B");
        var r = StoreFixtures.Replicate(model, b, derived);
        Assert.Equal("REPLICATION_CYCLE", Code(() => StoreFixtures.Replicate(derived, a, model, r)));
        Assert.Equal("DERIVED_ENTRY_SOURCE_MISMATCH", Code(() => StoreFixtures.Replicate(model, b, _f.Entry(b, "Nhân rộng chỗ khác", replicatedFrom: "other"))));
        Assert.True(ReplicationRules.MarkDerived(derived, model.Id, Now));
        Assert.Equal((EntryNovelty.Replicated, model.Id), (derived.Novelty, derived.ReplicatedFromEntryId));
        Assert.False(ReplicationRules.MarkDerived(derived, model.Id, Now));
    }

    [Fact]
    public void Linking_a_derived_entry_late_repaths_everything_below_it()
    {
        var units = Enumerable.Range(0, 4).Select(i => _f.Unit($"Xã {i}", UnitKind.Commune)).ToList();
        var e0 = _f.Entry(units[0], "Mô hình gốc");
        var e1 = _f.Entry(units[1], "Mô hình đời 1");
        var rb = StoreFixtures.Replicate(e0, units[1]);
        var rc = StoreFixtures.Replicate(e1, units[2]);
        Assert.True(ReplicationRules.Update(rb, new ReplicationContent(), e1, e0, units[1], Now));
        var changed = ReplicationRules.Repath(rb, [rc], Now);
        Assert.Equal([e0.Id, e1.Id], Assert.Single(changed).Path);
        Assert.Equal("DERIVED_ENTRY_LOCKED", Assert.Throws<DomainException>(() =>
            ReplicationRules.Update(rb, new ReplicationContent(), _f.Entry(units[1], "Mô hình khác"), e0, units[1], Now)).Code);
        var lineage = LineageRules.Build(e0.Id, [rb, rc], null, new Dictionary<string, Replication>());
        Assert.Equal([1, 2], lineage.Descendants.Select(d => d.Depth));
        Assert.Equal(2, lineage.Generations);
    }

    [Fact]
    public void Reach_counts_units_as_their_successors_and_leaves_discontinued_out()
    {
        var province = _f.Unit("Tỉnh", UnitKind.Province);
        var x = _f.Unit("Xã X", UnitKind.Commune, province);
        var y = _f.Unit("Xã Y", UnitKind.Commune, province);
        var z = _f.Unit("Xã Z", UnitKind.Commune, province);
        var w = _f.Unit("Xã W", UnitKind.Commune, province);
        UnitRules.RecordSuccession([x, y], [z], new DateOnly(2025, 7, 1), Now);
        var model = _f.Entry(_f.Unit("Xã nguồn", UnitKind.Commune), "Mô hình");
        var reps = new[] { x, y, w }.Select(u => StoreFixtures.Replicate(model, u, people: 10)).ToList();
        ReplicationRules.ChangeStatus(reps[2], ReplicationStatus.Discontinued, new DateOnly(2024, 6, 1), null, Now);
        var units = new[] { province, x, y, z, w }.ToDictionary(u => u.Id);
        var lineage = LineageRules.Build(model.Id, reps, null, new Dictionary<string, Replication>());
        Assert.Equal(new Reach(2, 2, 2, 0, 1, 1, 20, 0, 0), LineageRules.ComputeReach(lineage, new DateOnly(2025, 6, 30), units.GetValueOrDefault));
        Assert.Equal(new Reach(1, 2, 1, 0, 1, 1, 20, 0, 0), LineageRules.ComputeReach(lineage, new DateOnly(2025, 7, 1), units.GetValueOrDefault));
    }

    [Fact]
    public void Report_rules_roll_summaries_up_by_child_and_fall_back_to_recognized_entries()
    {
        var p = _f.Unit("Tỉnh", UnitKind.Province);
        var d = _f.Unit("Huyện", UnitKind.District, p);
        var c = _f.Unit("Xã", UnitKind.Commune, d);
        var entries = new[]
        {
            _f.Entry(c, "Mô hình một", status: EntryStatus.Recognized, level: EntryLevel.Province, results: new EntryResults { PeopleReached = 5 }),
            _f.Entry(c, "Điển hình hai", kind: EntryKind.Exemplar, exemplarType: ExemplarType.Individual),
            _f.Entry(p, "Mô hình ba", status: EntryStatus.Draft),
        };
        var scope = new ReportScope([p.Id], true, 2024, EntryVisibility.Public);
        var report = ReportRules.Build(new ReportInput
        {
            Unit = p, Year = 2024, IncludeSubunits = true,
            Summaries = ReportRules.SummarizeInMemory(entries, scope),
            Attribute = id => ReportAssembler.AttributeAsRegistered(id, id == c.Id ? c.Lineage() : p.Lineage(), p.Id, true),
            Recognitions = [new RecognitionTally(EntryLevel.Province, "Bằng khen", 1)],
        });
        Assert.Equal(2, report.TotalEntries);
        Assert.Equal(5, report.Results.PeopleReached);
        Assert.Equal((ReportRules.RecognitionStore, 1L), (report.Recognitions.Source, report.Recognitions.Total));
        Assert.Equal(1, report.Recognitions.ByForm.Single(t => t.Key == "Bằng khen").Count);
        Assert.Equal(1, report.Recognitions.ByLevel.Single(t => t.Key == EntryLevel.Province).Count);
        Assert.Equal(1, report.ByKind.Single(t => t.Key == ReportEntryKind.IndividualExemplar).Count);
        var row = Assert.Single(report.Children);
        Assert.Equal((d.Id, 2L, 1L, 1L), (row.UnitId, row.Entries, row.Models, row.Recognized));
    }
}
