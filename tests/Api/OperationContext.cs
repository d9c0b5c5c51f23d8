using System.Text.Json.Nodes;
using DanVanKheo.Tests.Infrastructure;

namespace DanVanKheo.Tests.Api;

/// <summary>
/// Data and variables for each named operation in schema/operations. A new operation file
/// needs a case here, otherwise the operations test fails and says which one.
/// </summary>
public sealed class OperationContext
{
    private readonly RegistryScenario _s;
    private readonly Dictionary<string, Func<object?>> _variables = [];

    private OperationContext(RegistryScenario s) => _s = s;

    public GraphQLClient ClientFor(string operationText) =>
        operationText.TrimStart().Split('\n').SkipWhile(l => l.TrimStart().StartsWith('#')).First().StartsWith("mutation", StringComparison.Ordinal)
            ? _s.Admin
            : _s.Anonymous;

    public object? VariablesFor(string operationName) =>
        _variables.TryGetValue(operationName, out var make) ? make()
            : throw new InvalidOperationException($"No variables for operation '{operationName}': add a case in OperationContext.");

    private static string Id(JsonNode n) => n["id"]!.GetValue<string>();

    public static async Task<OperationContext> CreateAsync(RegistryScenario s)
    {
        var c = new OperationContext(s);
        var province = await s.CreateUnit("Tỉnh An Giang", "PROVINCE", validFrom: "2025-07-01");
        var commune = await s.CreateUnit("Xã Mỹ Hòa Hưng", "COMMUNE", Id(province));
        var oldA = await s.CreateUnit("Xã Vĩnh Hòa Hiệp", "COMMUNE", Id(province), validFrom: "2000-01-01");
        var oldB = await s.CreateUnit("Xã Vĩnh Hòa Phú", "COMMUNE", Id(province), validFrom: "2000-01-01");
        var merged = await s.CreateUnit("Xã Vĩnh Hòa Phú Hiệp", "COMMUNE", Id(province));
        var fieldId = await s.FieldId("VAN_HOA_XA_HOI");
        var registered = await s.Submit(s.Admin, await s.CreateEntry(s.Admin, Id(commune), "Khéo vận động nhân dân hiến đất làm đường nông thôn", fieldId));
        var toUpdate = await s.CreateEntry(s.Admin, Id(commune), "Mô hình Tổ tự quản đường hoa", fieldId);
        var toSubmit = await s.CreateEntry(s.Admin, Id(commune), "Mô hình Chi hội phụ nữ tiết kiệm", fieldId);
        var toDiscontinue = await s.Submit(s.Admin, await s.CreateEntry(s.Admin, Id(commune), "Mô hình Bếp ăn tình thương", fieldId));
        var unitToRename = await s.CreateUnit("Ấp Mỹ Phú", "OTHER", Id(commune));

        c._variables["Fields"] = () => null;
        c._variables["UnitByCode"] = () => new { code = province["code"]!.GetValue<string>() };
        c._variables["UnitChildren"] = () => new { parentId = Id(province), validOn = "2026-01-01" };
        c._variables["SearchEntries"] = () => new { search = "khéo vận động", unitId = Id(province), includeSubunits = true };
        c._variables["EntryByCode"] = () => new { code = registered["code"]!.GetValue<string>() };
        c._variables["NodeById"] = () => new { id = Id(registered) };
        c._variables["CreateEntry"] = () => new
        {
            input = new
            {
                unitId = Id(commune), title = "Dân vận khéo trong cải cách thủ tục hành chính", summary = "Một cửa liên thông, trả kết quả tại nhà.",
                kind = "MODEL", fieldId, level = "COMMUNE", startDate = "2025-01-15", novelty = "NEW",
                results = new { householdsReached = 1200, peopleReached = 4500, moneyMobilizedVnd = 150_000_000L },
                evidence = new[] { new { title = "Báo cáo sơ kết", url = "https://example.vn/bao-cao.pdf" } },
                tags = new[] { "cải cách hành chính", "chuyển đổi số" },
            },
        };
        c._variables["UpdateEntry"] = () => new
        {
            input = new
            {
                id = Id(toUpdate), version = toUpdate["version"]!.GetValue<int>(), title = "Mô hình Tổ tự quản đường hoa, đường sạch",
                summary = "Các hộ cùng trồng và chăm sóc hoa hai bên đường.", kind = "MODEL", fieldId, level = "COMMUNE",
            },
        };
        c._variables["SubmitEntry"] = () => new { id = Id(toSubmit), version = toSubmit["version"]!.GetValue<int>() };
        c._variables["DiscontinueEntry"] = () => new { id = Id(toDiscontinue), version = toDiscontinue["version"]!.GetValue<int>(), reason = "Đơn vị sáp nhập" };
        c._variables["CreateUnit"] = () => new { input = new { code = RegistryScenario.UniqueCode("AG."), name = "Phường Long Xuyên", kind = "COMMUNE", parentId = Id(province), validFrom = "2025-07-01" } };
        c._variables["UpdateUnit"] = () => new { input = new { id = Id(unitToRename), version = 1, code = unitToRename["code"]!.GetValue<string>(), name = "Ấp Mỹ Phú Đông", kind = "OTHER", parentId = Id(commune) } };
        c._variables["RecordUnitSuccession"] = () => new { input = new { predecessorIds = new[] { Id(oldA), Id(oldB) }, successorIds = new[] { Id(merged) }, effectiveDate = "2025-07-01" } };
        await c.AddReplicationCasesAsync(registered, province, fieldId);
        return c;
    }

    private async Task AddReplicationCasesAsync(JsonNode source, JsonNode province, string fieldId)
    {
        var s = _s;
        var adopter = await s.CreateUnit("Xã Bình Hòa", "COMMUNE", Id(province));
        var derived = await s.Submit(s.Admin, await s.CreateEntry(s.Admin, Id(adopter), "Nhân rộng mô hình hiến đất làm đường tại xã Bình Hòa", fieldId));
        var adopter2 = await s.CreateUnit("Xã An Hòa", "COMMUNE", Id(province));
        const string record = """
            mutation($input: RecordReplicationInput!) { recordReplication(input: $input) { replication { id version } errors { code message } } }
            """;
        var existing = await s.Admin.Run(record, new { input = new { sourceEntryId = Id(source), adoptingUnitId = Id(adopter2), plannedOn = "2025-02-01" } });
        existing.AssertNoErrors();
        var replication = existing.At("recordReplication.replication");
        var adopter3 = await s.CreateUnit("Xã Hòa Bình Thạnh", "COMMUNE", Id(province));
        var toAdvance = (await s.Admin.Run(record, new { input = new { sourceEntryId = Id(source), adoptingUnitId = Id(adopter3), plannedOn = "2025-02-01" } }))
            .At("recordReplication.replication");

        _variables["RecordReplication"] = () => new
        {
            input = new
            {
                sourceEntryId = Id(source), adoptingUnitId = Id(adopter), derivedEntryId = Id(derived), plannedOn = "2025-02-01",
                adaptationNotes = "Áp dụng tại 6 ấp, điều chỉnh lịch sinh hoạt theo mùa vụ",
                outcome = new { peopleReached = 1200, householdsReached = 340, moneyMobilizedVnd = 250_000_000L },
            },
        };
        _variables["UpdateReplication"] = () => new
        {
            input = new
            {
                id = Id(replication), version = replication["version"]!.GetValue<int>(),
                adaptationNotes = "Mở rộng ra toàn xã, mỗi ấp một tổ tự quản",
                outcome = new { peopleReached = 2100, householdsReached = 560, moneyMobilizedVnd = 410_000_000L, otherResults = "Làm mới 3,5 km đường giao thông nông thôn" },
            },
        };
        _variables["ChangeReplicationStatus"] = () => new
        {
            input = new { id = Id(toAdvance), version = toAdvance["version"]!.GetValue<int>(), status = "IMPLEMENTING", on = "2025-03-01" },
        };
        _variables["Replications"] = () => new { sourceEntryId = Id(source) };
        _variables["EntryLineage"] = () => new { entryId = Id(source), asOf = "2026-01-01" };
        _variables["MostReplicated"] = () => new { year = source["code"]!.GetValue<string>()[4..8] is var y ? int.Parse(y) : 2025, fieldId, unitId = Id(province) };
        _variables["AnnualReport"] = () => new { unitId = Id(province), year = int.Parse(source["code"]!.GetValue<string>()[4..8]), includeSubunits = true, asOf = "2026-01-01" };
    }
}
