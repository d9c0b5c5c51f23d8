using DanVanKheo.Api.Common;
using DanVanKheo.Tests.Infrastructure;

namespace DanVanKheo.Tests.Api;

public sealed class LineageApiTests(RegistryApiFactory factory) : IClassFixture<RegistryApiFactory>
{
    private readonly RegistryScenario _s = new(factory);

    private const string LineageQuery = """
        query($id: ID!, $asOf: DateOnly) {
          lineage(entryId: $id) {
            entry { id } original { id } generations
            ancestors { distance entry { id title } derivedBy { adoptingUnit { name } } }
            adopters { adoptingUnit { name } }
            descendants { depth replication { generation adoptingUnit { name } derivedEntry { id } } }
            reach(asOf: $asOf) { adoptingUnits directAdopters communes districts provinces generations peopleReached }
          }
        }
        """;

    [Fact]
    public async Task Lineage_answers_in_both_directions_over_several_generations_including_a_late_link()
    {
        var (province, communeA, e0) = await _s.RegisteredEntry("Mô hình gốc: Ngày thứ Bảy tình nguyện");
        async Task<(string Unit, Infrastructure.GraphQLClient Editor)> Commune(string name)
        {
            var u = await _s.CreateUnit(name, "COMMUNE", province.Id());
            return (u.Id(), _s.EditorOf(u.Id(), "editor-" + u.Id()[..8]));
        }
        var (b, editorB) = await Commune("Xã Bình Sơn");
        var (c, editorC) = await Commune("Xã Cửa Dương");
        var (d, editorD) = await Commune("Xã Dương Tơ");
        var (e, editorE) = await Commune("Xã Gành Dầu");
        var e1 = await _s.Submit(editorB, await _s.CreateEntry(editorB, b, "Ngày thứ Bảy tình nguyện xã Bình Sơn"));
        var e2 = await _s.Submit(editorC, await _s.CreateEntry(editorC, c, "Ngày thứ Bảy tình nguyện xã Cửa Dương"));

        // B adopts e0 but links its own entry only later; C adopts B's entry meanwhile.
        var rb = await ReplicationScenario.RecordOk(editorB, e0.Id(), b, people: 100);
        await ReplicationScenario.RecordOk(editorC, e1.Id(), c, e2.Id(), people: 200);
        await ReplicationScenario.RecordOk(editorD, e2.Id(), d, people: 300);
        await ReplicationScenario.RecordOk(editorE, e0.Id(), e, people: 400);
        Assert.Null((await ReplicationScenario.Update(editorB, rb, e1.Id(), new { peopleReached = 100 })).ErrorCode("updateReplication"));

        var down = await _s.Anonymous.Run(LineageQuery, new { id = e0.Id() });
        down.AssertNoErrors();
        Assert.Equal(3, down.At("lineage.generations").GetValue<int>());
        Assert.Equal(["Xã Bình Sơn", "Xã Gành Dầu"], down.At("lineage.adopters").AsArray().Select(a => a!["adoptingUnit"]!["name"]!.GetValue<string>()).Order());
        Assert.Equal([(1, "Xã Bình Sơn"), (1, "Xã Gành Dầu"), (2, "Xã Cửa Dương"), (3, "Xã Dương Tơ")],
            down.At("lineage.descendants").AsArray().Select(n => (n!["depth"]!.GetValue<int>(), n["replication"]!["adoptingUnit"]!["name"]!.GetValue<string>())).Order());
        Assert.All(down.At("lineage.descendants").AsArray(), n => Assert.Equal(n!["depth"]!.GetValue<int>(), n["replication"]!["generation"]!.GetValue<int>()));
        var reach = down.At("lineage.reach");
        Assert.Equal((4, 2, 4, 1, 3, 1000L), (reach["adoptingUnits"]!.GetValue<int>(), reach["directAdopters"]!.GetValue<int>(), reach["communes"]!.GetValue<int>(),
            reach["provinces"]!.GetValue<int>(), reach["generations"]!.GetValue<int>(), reach["peopleReached"]!.GetValue<long>()));

        var up = await _s.Anonymous.Run(LineageQuery, new { id = e2.Id() });
        up.AssertNoErrors();
        Assert.Equal(e0.Id(), up.At("lineage.original.id").GetValue<string>());
        Assert.Equal([(1, e1.Id()), (2, e0.Id())], up.At("lineage.ancestors").AsArray().Select(a => (a!["distance"]!.GetValue<int>(), a["entry"]!.Id())));
        Assert.Equal("Xã Bình Sơn", up.At("lineage.ancestors.0.derivedBy.adoptingUnit.name").GetValue<string>());
        Assert.Equal([(1, "Xã Dương Tơ")], up.At("lineage.descendants").AsArray().Select(n => (n!["depth"]!.GetValue<int>(), n["replication"]!["adoptingUnit"]!["name"]!.GetValue<string>())));

        var top = await _s.Anonymous.Run("query($u: ID!) { mostReplicated(unitId: $u) { entry { id } replications adoptingUnits } }", new { u = province.Id() });
        top.AssertNoErrors();
        Assert.Equal(e0.Id(), top.At("mostReplicated.0.entry.id").GetValue<string>());
        Assert.Equal(2, top.At("mostReplicated.0.replications").GetValue<int>());
    }

    [Fact]
    public async Task Reach_counts_merged_communes_as_their_successor()
    {
        var source = await _s.RegisteredEntry("Mô hình Dân vận khéo trong cải cách hành chính");
        var province = await _s.CreateUnit("Tỉnh An Giang", "PROVINCE");
        var x = await _s.CreateUnit("Xã Mỹ Hòa Hưng", "COMMUNE", province.Id());
        var y = await _s.CreateUnit("Xã Mỹ Khánh", "COMMUNE", province.Id());
        var z = await _s.CreateUnit("Phường Mỹ Thới", "COMMUNE", province.Id());
        await ReplicationScenario.RecordOk(_s.Admin, source.Entry.Id(), x.Id(), people: 10);
        await ReplicationScenario.RecordOk(_s.Admin, source.Entry.Id(), y.Id(), people: 20);
        var merge = await _s.Admin.Run("mutation($i: RecordUnitSuccessionInput!) { recordUnitSuccession(input: $i) { errors { code } } }",
            new { i = new { predecessorIds = new[] { x.Id(), y.Id() }, successorIds = new[] { z.Id() }, effectiveDate = "2025-07-01" } });
        merge.AssertNoErrors();
        Assert.Empty(merge.At("recordUnitSuccession.errors").AsArray());

        async Task<(int Units, int Communes, int Provinces, long People)> Reach(string asOf)
        {
            var r = await _s.Anonymous.Run(LineageQuery, new { id = source.Entry.Id(), asOf });
            r.AssertNoErrors();
            var n = r.At("lineage.reach");
            return (n["adoptingUnits"]!.GetValue<int>(), n["communes"]!.GetValue<int>(), n["provinces"]!.GetValue<int>(), n["peopleReached"]!.GetValue<long>());
        }
        Assert.Equal((2, 2, 1, 30L), await Reach("2025-06-30"));
        Assert.Equal((1, 1, 1, 30L), await Reach("2025-07-01"));
    }

    [Fact]
    public async Task Query_arguments_that_name_nothing_are_refused_or_answer_null()
    {
        // The messages compared below are the English ones (Accept-Language: en).
        var english = factory.Client();
        english.Http.DefaultRequestHeaders.Add("Accept-Language", "en");
        static void Refused(GraphQLResponse r, string field, string message)
        {
            Assert.Equal("BAD_USER_INPUT", r.FirstErrorCode);
            Assert.Equal(message, r.Errors![0]!["message"]!.GetValue<string>());
            Assert.Equal(field, r.Errors![0]!["extensions"]!["field"]!.GetValue<string>());
        }
        Refused(await english.Run("{ mostReplicated(first: 0) { replications } }"), "first", "'first' must be between 1 and 100.");
        Refused(await english.Run("{ mostReplicated(first: 101) { replications } }"), "first", "'first' must be between 1 and 100.");
        Refused(await english.Run("query($f: ID) { mostReplicated(fieldId: $f) { replications } }", new { f = DanVanKheo.Api.Common.GlobalId.Encode("Unit", "x") }),
            "fieldId", "'fieldId' is not a Field id.");
        Refused(await english.Run("query($e: ID) { replications(where: { sourceEntryId: $e }) { totalCount } }", new { e = "khong-phai-id" }),
            "where.sourceEntryId", "'where.sourceEntryId' is not an Entry id.");

        var unknown = await _s.Anonymous.Run("query($r: ID!, $e: ID!) { replication(id: $r) { id } lineage(entryId: $e) { generations } }",
            new { r = DanVanKheo.Api.Common.GlobalId.Encode("Replication", "khong-co"), e = DanVanKheo.Api.Common.GlobalId.Encode("Replication", "khong-co") });
        unknown.AssertNoErrors();
        Assert.Null(unknown.Data!["replication"]);
        Assert.Null(unknown.Data!["lineage"]);
    }
}
