using System.Text.Json.Nodes;
using DanVanKheo.Api.Common;
using DanVanKheo.Api.Entries;
using DanVanKheo.Api.Units;
using DanVanKheo.Tests.Infrastructure;
using DanVanKheo.Tests.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace DanVanKheo.Tests.Api;

/// <summary>
/// HotChocolate-style `where` and multi-key `order` on the entries lists, through HTTP, compared
/// with a brute-force reading of the entries the test stored. Runs on LiteDB (the Lucene index, or
/// the store scan while it catches up) and, with DVK_TEST_STORE=mongo, on MongoDB.
/// </summary>
public sealed class EntryFilteringApiTests(RegistryApiFactory factory) : IClassFixture<RegistryApiFactory>
{
    private readonly RegistryScenario _s = new(factory);

    private const string List = """
        query($w: EntryFilterInput, $o: [EntrySortInput!], $first: Int, $after: String, $last: Int, $before: String) {
          entries(where: $w, order: $o, first: $first, after: $after, last: $last, before: $before) {
            totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } nodes { code }
          }
        }
        """;

    private sealed record World(JsonNode Province, JsonNode CommuneA, JsonNode CommuneB, Unit A, Unit B, List<Entry> Entries);

    private static string Id(JsonNode node) => node["id"]!.GetValue<string>();

    private static readonly string[] Titles =
    [
        "Đường hoa nông thôn mới", "Dân vận khéo hiến đất làm đường", "Nước sạch cho bà con vùng sâu", "Ánh sáng đường quê",
        "Áo ấm cho em", "Khéo vận động nhân dân", "Dọn vệ sinh môi trường", "Zalo kết nối khu phố",
        "Nuôi heo đất giúp hộ nghèo", "Dân vận khéo", "Dân vận khéo", "Tổ tự quản đường hoa",
    ];

    /// <summary>
    /// Two communes of a fresh province and 24 entries over three years, both kinds, every status and
    /// shuffled update times, stored directly: an entry's year comes from the clock when created
    /// through the API, and this test needs several years.
    /// </summary>
    private async Task<World> SeedAsync()
    {
        var province = await _s.CreateUnit("Tỉnh lọc thử", "PROVINCE");
        var communeA = await _s.CreateUnit("Xã lọc A", "COMMUNE", Id(province));
        var communeB = await _s.CreateUnit("Xã lọc B", "COMMUNE", Id(province));
        using var scope = factory.Services.CreateScope();
        var units = scope.ServiceProvider.GetRequiredService<IUnitStore>();
        var loaded = await units.GetByIdsAsync([RegistryScenario.LocalId(Id(communeA)), RegistryScenario.LocalId(Id(communeB))]);
        var a = loaded.Single(u => u.Id == RegistryScenario.LocalId(Id(communeA)));
        var b = loaded.Single(u => u.Id == RegistryScenario.LocalId(Id(communeB)));
        var store = scope.ServiceProvider.GetRequiredService<IEntryStore>();
        var entries = new List<Entry>();
        foreach (var year in new[] { 2023, 2024, 2025 })
        {
            var first = await store.ReserveSequenceAsync(year, 8);
            for (var i = 0; i < 8; i++)
            {
                var n = entries.Count;
                var now = TestData.T0.AddMinutes(n * 7 % 24).AddSeconds(n);
                var unit = n % 3 == 0 ? b : a;
                var field = n % 2 == 0 ? TestData.KinhTe : TestData.VanHoa;
                var entry = TestData.Draft(unit, Titles[n % Titles.Length], first + i, year, field, now,
                    c => c with
                    {
                        Kind = n % 4 == 1 ? EntryKind.Exemplar : EntryKind.Model,
                        ExemplarType = n % 4 == 1 ? ExemplarType.Collective : null,
                        StartDate = n % 4 == 0 ? null : new DateOnly(2020 + n % 3, 1 + n % 12, 1 + n * 5 % 28),
                    });
                if (n % 5 != 0)
                {
                    EntryRules.Submit(entry, now);
                    TestData.WithCode(entry, first + i, year); // what the store does at registration
                }
                if (n % 5 == 3) EntryRules.Recognize(entry, now);
                if (n % 7 == 6) EntryRules.Discontinue(entry, "Không còn duy trì.", now);
                entries.Add(entry);
            }
        }
        await store.InsertManyAsync(entries);
        return new World(province, communeA, communeB, a, b, entries);
    }

    private static object InProvince(World w, object where) =>
        new { and = new[] { new { subtreeOf = new { eq = Id(w.Province) } }, where } };

    private async Task<List<string>> Codes(object where, object? order = null, GraphQLClient? client = null)
    {
        var r = await (client ?? _s.Admin).Run(List, new { w = where, o = order, first = 200 });
        r.AssertNoErrors();
        var codes = r.At("entries.nodes").AsArray().Select(n => n!["code"]!.GetValue<string>()).ToList();
        Assert.Equal(codes.Count, r.At("entries.totalCount").GetValue<int>());
        return codes;
    }

    /// <summary>Whether a word of the title, code or tags starts with <paramref name="prefix"/> (what search matches).</summary>
    private static bool Words(Entry e, string prefix) =>
        TextFolding.Tokens(e.Title + " " + e.Code + " " + string.Join(' ', e.Tags)).Any(t => t.StartsWith(prefix, StringComparison.Ordinal));

    private static List<string> Expected(World w, Func<Entry, bool> predicate) =>
        w.Entries.Where(predicate).Select(e => e.Code).OrderByDescending(c => c, StringComparer.Ordinal).ToList();

    [Fact]
    public async Task Every_operator_and_and_or_select_what_a_brute_force_reading_selects()
    {
        var w = await SeedAsync();
        var e0 = w.Entries[0];
        var e5 = w.Entries[5];
        // Codes carry the registration year: take the earliest one the seeded entries got.
        var yearPrefix = w.Entries.Select(e => e.Code).Where(c => c.StartsWith("DVK-", StringComparison.Ordinal)).Min(StringComparer.Ordinal)![..9];
        var at = e5.UpdatedAt;
        var iso = at.ToString("O");
        var kinhTe = Api.GlobalIdOf("Field", TestData.KinhTe.Id);
        var cases = new (string Name, object Where, Func<Entry, bool> Truth)[]
        {
            ("code eq", new { code = new { eq = e5.Code.ToLowerInvariant() } }, e => e.Code == e5.Code),
            ("code neq", new { code = new { neq = e5.Code } }, e => e.Code != e5.Code),
            ("code in", new { code = new { @in = new[] { e0.Code, e5.Code } } }, e => e.Code == e0.Code || e.Code == e5.Code),
            ("code nin", new { code = new { nin = new[] { e0.Code, e5.Code } } }, e => e.Code != e0.Code && e.Code != e5.Code),
            ("code startsWith", new { code = new { startsWith = yearPrefix } }, e => e.Code.StartsWith(yearPrefix, StringComparison.Ordinal)),
            ("code contains", new { code = new { contains = e5.Code[^3..] } }, e => e.Code.Contains(e5.Code[^3..], StringComparison.Ordinal)),
            ("title startsWith", new { title = new { startsWith = "DAN VAN" } }, e => TextFolding.Fold(e.Title).StartsWith("dan van", StringComparison.Ordinal)),
            ("title contains", new { title = new { contains = "đuờng" } }, e => TextFolding.Fold(e.Title).Contains("duong", StringComparison.Ordinal)),
            ("year eq", new { year = new { eq = 2024 } }, e => e.Year == 2024),
            ("year neq", new { year = new { neq = 2024 } }, e => e.Year != 2024),
            ("year in", new { year = new { @in = new[] { 2023, 2025 } } }, e => e.Year is 2023 or 2025),
            ("year nin", new { year = new { nin = new[] { 2023, 2025 } } }, e => e.Year is not (2023 or 2025)),
            ("year gt", new { year = new { gt = 2023 } }, e => e.Year > 2023),
            ("year gte", new { year = new { gte = 2024 } }, e => e.Year >= 2024),
            ("year lt", new { year = new { lt = 2025 } }, e => e.Year < 2025),
            ("year lte", new { year = new { lte = 2023 } }, e => e.Year <= 2023),
            ("year range", new { year = new { gt = 2023, lte = 2024 } }, e => e.Year == 2024),
            ("status eq", new { status = new { eq = "REGISTERED" } }, e => e.Status == EntryStatus.Registered),
            ("status neq", new { status = new { neq = "DRAFT" } }, e => e.Status != EntryStatus.Draft),
            ("status in", new { status = new { @in = new[] { "REGISTERED", "RECOGNIZED" } } }, e => e.Status is EntryStatus.Registered or EntryStatus.Recognized),
            ("status nin", new { status = new { nin = new[] { "DRAFT", "DISCONTINUED" } } }, e => e.Status is not (EntryStatus.Draft or EntryStatus.Discontinued)),
            ("kind eq", new { kind = new { eq = "EXEMPLAR" } }, e => e.Kind == EntryKind.Exemplar),
            ("kind neq", new { kind = new { neq = "EXEMPLAR" } }, e => e.Kind != EntryKind.Exemplar),
            ("kind in", new { kind = new { @in = new[] { "MODEL" } } }, e => e.Kind == EntryKind.Model),
            ("kind nin", new { kind = new { nin = new[] { "MODEL" } } }, e => e.Kind != EntryKind.Model),
            ("unitId eq", new { unitId = new { eq = Id(w.CommuneB) } }, e => e.UnitId == w.B.Id),
            ("unitId in", new { unitId = new { @in = new[] { Id(w.CommuneA), Id(w.CommuneB) } } }, _ => true),
            ("subtreeOf eq", new { subtreeOf = new { eq = Id(w.CommuneA) } }, e => e.UnitId == w.A.Id),
            ("subtreeOf in", new { subtreeOf = new { @in = new[] { Id(w.CommuneB) } } }, e => e.UnitId == w.B.Id),
            ("fieldId eq", new { fieldId = new { eq = kinhTe } }, e => e.FieldId == TestData.KinhTe.Id),
            ("fieldId in", new { fieldId = new { @in = new[] { kinhTe } } }, e => e.FieldId == TestData.KinhTe.Id),
            ("id eq", new { id = new { eq = Api.GlobalIdOf("Entry", e5.Id) } }, e => e.Id == e5.Id),
            ("id in", new { id = new { @in = new[] { Api.GlobalIdOf("Entry", e0.Id), Api.GlobalIdOf("Entry", e5.Id) } } }, e => e.Id == e0.Id || e.Id == e5.Id),
            ("updatedAt gt", new { updatedAt = new { gt = iso } }, e => e.UpdatedAt > at),
            ("updatedAt gte", new { updatedAt = new { gte = iso } }, e => e.UpdatedAt >= at),
            ("updatedAt lt", new { updatedAt = new { lt = iso } }, e => e.UpdatedAt < at),
            ("updatedAt lte", new { updatedAt = new { lte = iso } }, e => e.UpdatedAt <= at),
            ("search", new { search = "khéo dan" }, e => Words(e, "kheo") && Words(e, "dan")),
            ("and", new { and = new object[] { new { year = new { gte = 2024 } }, new { kind = new { eq = "MODEL" } } } },
                e => e.Year >= 2024 && e.Kind == EntryKind.Model),
            ("or", new { or = new object[] { new { year = new { eq = 2023 } }, new { status = new { eq = "RECOGNIZED" } } } },
                e => e.Year == 2023 || e.Status == EntryStatus.Recognized),
            ("or inside and with fields", new
            {
                unitId = new { eq = Id(w.CommuneA) },
                or = new object[] { new { title = new { contains = "khéo" } }, new { and = new object[] { new { year = new { eq = 2025 } }, new { status = new { neq = "DRAFT" } } } } },
            }, e => e.UnitId == w.A.Id && (TextFolding.Fold(e.Title).Contains("kheo", StringComparison.Ordinal) || (e.Year == 2025 && e.Status != EntryStatus.Draft))),
            ("search in or", new { or = new object[] { new { search = "nuoc" }, new { search = "zalo" } } },
                e => Words(e, "nuoc") || Words(e, "zalo")),
        };
        var failures = new List<string>();
        foreach (var (name, where, truth) in cases)
        {
            var expected = Expected(w, truth);
            var got = await Codes(InProvince(w, where));
            if (!expected.SequenceEqual(got))
                failures.Add($"{name}: expected [{string.Join(", ", expected)}], got [{string.Join(", ", got)}]");
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        // Every case selects something and leaves something out, so none passes by accident.
        Assert.All(cases.Where(c => c.Name != "unitId in"), c => Assert.InRange(Expected(w, c.Truth).Count, 1, w.Entries.Count - 1));
    }

    public static TheoryData<string, string, string> Orders() => new()
    {
        { "year", "DESC", "title:ASC" },
        { "year", "ASC", "updatedAt:DESC" },
        { "year", "DESC", "code:ASC" },
        { "year", "ASC", "" },
        { "title", "ASC", "" },
        { "updatedAt", "DESC", "" },
        { "startDate", "ASC", "" },
    };

    [Theory]
    [MemberData(nameof(Orders))]
    public async Task A_multi_key_order_pages_forwards_and_backwards_like_a_brute_force_sort(string first, string firstDir, string then)
    {
        var w = await SeedAsync();
        var keys = new List<(string Field, string Dir)> { (first, firstDir) };
        if (then.Length > 0) keys.Add((then.Split(':')[0], then.Split(':')[1]));
        var order = keys.Select(k => new Dictionary<string, string> { [k.Field] = k.Dir }).ToArray();
        var sort = new EntrySort(keys.Select(k => new EntrySortKey(EntryQuerying.SortField(k.Field), k.Dir == "ASC" ? SortDirection.Asc : SortDirection.Desc)).ToList());
        var expected = w.Entries.ToList();
        expected.Sort((x, y) =>
        {
            foreach (var k in sort.Effective)
            {
                var c = string.CompareOrdinal(EntrySort.ValueOf(x, k.Field), EntrySort.ValueOf(y, k.Field));
                if (c != 0) return k.Direction == SortDirection.Asc ? c : -c;
            }
            return 0;
        });
        var want = expected.Select(e => e.Code).ToList();
        var where = new { subtreeOf = new { eq = Id(w.Province) } };

        var forward = new List<string>();
        string? after = null;
        for (var pages = 0; ; pages++)
        {
            Assert.InRange(pages, 0, 10);
            var r = await _s.Admin.Run(List, new { w = where, o = order, first = 5, after });
            r.AssertNoErrors();
            Assert.Equal(want.Count, r.At("entries.totalCount").GetValue<int>());
            Assert.Equal(after is not null, r.At("entries.pageInfo.hasPreviousPage").GetValue<bool>());
            forward.AddRange(r.At("entries.nodes").AsArray().Select(n => n!["code"]!.GetValue<string>()));
            if (!r.At("entries.pageInfo.hasNextPage").GetValue<bool>()) break;
            after = r.At("entries.pageInfo.endCursor").GetValue<string>();
        }
        Assert.Equal(want, forward);

        var backward = new List<string>();
        string? before = null;
        for (var pages = 0; ; pages++)
        {
            Assert.InRange(pages, 0, 10);
            var r = await _s.Admin.Run(List, new { w = where, o = order, last = 5, before });
            r.AssertNoErrors();
            backward.InsertRange(0, r.At("entries.nodes").AsArray().Select(n => n!["code"]!.GetValue<string>()));
            if (!r.At("entries.pageInfo.hasPreviousPage").GetValue<bool>()) break;
            before = r.At("entries.pageInfo.startCursor").GetValue<string>();
        }
        Assert.Equal(want, backward);

        // Between two cursors: exactly the entries strictly between them.
        var page1 = await _s.Admin.Run(List, new { w = where, o = order, first = 3 });
        var page3 = await _s.Admin.Run(List, new { w = where, o = order, first = 3, after = (await _s.Admin.Run(List, new { w = where, o = order, first = 6 })).At("entries.pageInfo.endCursor").GetValue<string>() });
        var between = await _s.Admin.Run(List, new
        {
            w = where, o = order, first = 20,
            after = page1.At("entries.pageInfo.endCursor").GetValue<string>(),
            before = page3.At("entries.pageInfo.startCursor").GetValue<string>(),
        });
        between.AssertNoErrors();
        Assert.Equal(want[3..6], between.At("entries.nodes").AsArray().Select(n => n!["code"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Combinations_no_index_serves_are_refused_with_a_code_and_a_cursor_of_another_order_is_bad_input()
    {
        var w = await SeedAsync();
        var where = new { subtreeOf = new { eq = Id(w.Province) } };
        async Task Refused(object? filter, object? order, string code, string field)
        {
            var r = await _s.Admin.Run(List, new { w = filter, o = order, first = 5 });
            Assert.Equal(code, r.FirstErrorCode);
            if (field.Length > 0) Assert.Equal(field, r.Errors![0]!["extensions"]!["field"]!.GetValue<string>());
            Assert.Null(r.Data?["entries"]);
        }

        await Refused(where, new object[] { new { startDate = "ASC" }, new { year = "DESC" } }, "QUERY_NOT_SERVED", "order");
        await Refused(where, new object[] { new { year = "DESC" }, new { startDate = "ASC" } }, "QUERY_NOT_SERVED", "order");
        await Refused(where, new object[] { new { title = "ASC" }, new { year = "DESC" } }, "QUERY_NOT_SERVED", "order");
        await Refused(new { title = new { eq = "Dân vận khéo" } }, null, "QUERY_NOT_SERVED", "where.title");
        await Refused(new { or = new object[] { where, new { updatedAt = new { eq = TestData.T0.ToString("O") } } } }, null, "QUERY_NOT_SERVED", "where.updatedAt");
        await Refused(new { year = new { contains = "2" } }, null, "BAD_USER_INPUT", "");
        await Refused(where, new object[] { new { year = "DESC" }, new { year = "ASC" } }, "BAD_USER_INPUT", "order");
        await Refused(where, new object[] { new { year = "DESC", title = "ASC" } }, "BAD_USER_INPUT", "order[0]");
        await Refused(new { year = new { eq = 0 } }, null, "BAD_USER_INPUT", "where.year.eq");
        await Refused(new { or = Array.Empty<object>() }, null, "BAD_USER_INPUT", "where.or");
        await Refused(new { unitId = new { eq = Api.GlobalIdOf("Entry", w.Entries[0].Id) } }, null, "BAD_USER_INPUT", "where.unitId.eq");
        var deep = (object)where;
        for (var i = 0; i < 6; i++) deep = new { and = new[] { deep } };
        await Refused(deep, null, "BAD_USER_INPUT", "where.and[0].and[0].and[0].and[0].and[0]");

        var byYear = await _s.Admin.Run(List, new { w = where, o = new object[] { new { year = "DESC" }, new { title = "ASC" } }, first = 2 });
        var cursor = byYear.At("entries.pageInfo.endCursor").GetValue<string>();
        var other = await _s.Admin.Run(List, new { w = where, o = new object[] { new { title = "ASC" } }, first = 2, after = cursor });
        Assert.Equal("BAD_USER_INPUT", other.FirstErrorCode);
    }

    [Fact]
    public async Task Unit_entries_and_children_are_connections_that_page()
    {
        var w = await SeedAsync();
        const string query = """
            query($id: ID!, $after: String, $childAfter: String) {
              node(id: $id) {
                ... on Unit {
                  children(first: 1, after: $childAfter) { totalCount pageInfo { hasNextPage endCursor } nodes { code } }
                  descendants(first: 1, after: $childAfter) { totalCount nodes { code } }
                  entries(where: { year: { gte: 2024 } }, order: [{ year: ASC }, { updatedAt: DESC }], first: 4, after: $after) {
                    totalCount pageInfo { hasNextPage endCursor } nodes { code }
                  }
                }
              }
            }
            """;
        var children = new List<string>();
        string? childAfter = null;
        while (true)
        {
            var r = await _s.Anonymous.Run(query, new { id = Id(w.Province), childAfter });
            r.AssertNoErrors();
            Assert.Equal(2, r.At("node.children.totalCount").GetValue<int>());
            Assert.Equal(2, r.At("node.descendants.totalCount").GetValue<int>());
            Assert.Equal(r.At("node.children.nodes").ToJsonString(), r.At("node.descendants.nodes").ToJsonString());
            Assert.Equal(0, r.At("node.entries.totalCount").GetValue<int>());
            children.AddRange(r.At("node.children.nodes").AsArray().Select(n => n!["code"]!.GetValue<string>()));
            if (!r.At("node.children.pageInfo.hasNextPage").GetValue<bool>()) break;
            childAfter = r.At("node.children.pageInfo.endCursor").GetValue<string>();
        }
        Assert.Equal(new[] { w.A.Code, w.B.Code }.Order(StringComparer.Ordinal), children);

        // The anonymous public sees the commune's entries without drafts, in the order asked for.
        var want = w.Entries.Where(e => e.UnitId == w.A.Id && e.Year >= 2024 && e.Status != EntryStatus.Draft)
            .OrderBy(e => e.Year).ThenByDescending(e => e.UpdatedKey, StringComparer.Ordinal).Select(e => e.Code).ToList();
        Assert.InRange(want.Count, 5, 20);
        var got = new List<string>();
        string? after = null;
        while (true)
        {
            var r = await _s.Anonymous.Run(query, new { id = Id(w.CommuneA), after });
            r.AssertNoErrors();
            Assert.Equal(want.Count, r.At("node.entries.totalCount").GetValue<int>());
            got.AddRange(r.At("node.entries.nodes").AsArray().Select(n => n!["code"]!.GetValue<string>()));
            if (!r.At("node.entries.pageInfo.hasNextPage").GetValue<bool>()) break;
            after = r.At("node.entries.pageInfo.endCursor").GetValue<string>();
        }
        Assert.Equal(want, got);
    }
}

public sealed class CouncilFilteringApiTests(RegistryApiFactory factory) : IClassFixture<RegistryApiFactory>
{
    private readonly RegistryScenario _s = new(factory);

    [Fact]
    public async Task Councils_filter_by_unit_through_where_or_the_deprecated_argument_and_refuse_what_the_store_does_not_serve()
    {
        var a = await _s.CreateUnit("Xã hội đồng A", "COMMUNE");
        var b = await _s.CreateUnit("Xã hội đồng B", "COMMUNE");
        async Task<string> Create(JsonNode unit, string name)
        {
            var r = await _s.Admin.Run("mutation($i: CreateCouncilInput!) { createCouncil(input: $i) { council { id } errors { code } } }",
                new { i = new { name, unitId = unit["id"]!.GetValue<string>() } });
            r.AssertNoErrors();
            return r.At("createCouncil.council.id").GetValue<string>();
        }
        var a1 = await Create(a, "Hội đồng thi đua xã A");
        var a2 = await Create(a, "Hội đồng khen thưởng xã A");
        await Create(b, "Hội đồng thi đua xã B");
        const string query = "query($w: CouncilFilterInput, $u: ID) { councils(where: $w, unitId: $u, first: 50) { totalCount nodes { id } } }";
        async Task<GraphQLResponse> Run(object? w, string? u = null) => await _s.Anonymous.Run(query, new { w, u });
        List<string> Ids(GraphQLResponse r) => r.AssertNoErrors().At("councils.nodes").AsArray().Select(n => n!["id"]!.GetValue<string>()).ToList();

        var unitA = a["id"]!.GetValue<string>();
        Assert.Equal([a1, a2], Ids(await Run(new { unitId = new { eq = unitA } })));
        Assert.Equal([a1, a2], Ids(await Run(null, unitA)));
        Assert.Equal([a1, a2], Ids(await Run(new { and = new[] { new { unitId = new { eq = unitA } } } })));
        Assert.Empty(Ids(await Run(new { and = new[] { new { unitId = new { eq = unitA } }, new { unitId = new { eq = b["id"]!.GetValue<string>() } } } })));

        Assert.Equal("QUERY_NOT_SERVED", (await Run(new { unitId = new { @in = new[] { unitA } } })).FirstErrorCode);
        Assert.Equal("QUERY_NOT_SERVED", (await Run(new { or = new[] { new { unitId = new { eq = unitA } } } })).FirstErrorCode);
        Assert.Equal("BAD_USER_INPUT", (await Run(new { unitId = new { eq = unitA } }, unitA)).FirstErrorCode);
    }
}

file static class Api
{
    public static string GlobalIdOf(string type, string localId) => DanVanKheo.Api.Common.GlobalId.Encode(type, localId);
}
