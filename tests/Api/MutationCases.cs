using System.Text.Json.Nodes;
using DanVanKheo.Tests.Infrastructure;

namespace DanVanKheo.Tests.Api;

/// <summary>
/// The units a mutation is tried against: <see cref="Target"/> with its <see cref="Parent"/>
/// above and <see cref="Child"/> below, and an unrelated <see cref="Other"/>.
/// </summary>
public sealed record World(JsonNode Parent, JsonNode Target, JsonNode Child, JsonNode Other)
{
    public static string Id(JsonNode n) => n["id"]!.GetValue<string>();

    public static async Task<World> CreateAsync(RegistryScenario s)
    {
        var parent = await s.CreateUnit("Tỉnh Hậu Giang", "PROVINCE");
        var target = await s.CreateUnit("Xã Vị Thủy", "COMMUNE", Id(parent));
        var child = await s.CreateUnit("Ấp Vị Thành", "OTHER", Id(target));
        var other = await s.CreateUnit("Xã Long Mỹ", "COMMUNE");
        return new World(parent, target, child, other);
    }
}

/// <summary>One expected field change: the target (global id), the field path, and the values before and after (null: absent).</summary>
public sealed record ExpectedChange(string TargetId, string Field, string? Before, string? After);

/// <summary>
/// How to call one mutation against a world: the operation, its variables, where the payload's
/// target id is, and the changes the audit event must record (ids from the response may be
/// used through <see cref="Expect"/>).
/// </summary>
public sealed record MutationCall(string Query, object Variables, string TargetType, string TargetIdPath,
    Func<string, IReadOnlyList<ExpectedChange>> Expect);

/// <summary>
/// The "how to call it" table for every mutation in the schema. A mutation missing here makes the
/// authorization matrix and the audit test fail: add its case when adding the mutation.
/// </summary>
public static class MutationCases
{
    private const string Field = "VAN_HOA_XA_HOI";

    private static readonly IReadOnlyDictionary<string, Func<RegistryScenario, World, Task<MutationCall>>> Core =
        new Dictionary<string, Func<RegistryScenario, World, Task<MutationCall>>>
        {
            ["createUnit"] = (_, w) =>
            {
                var code = RegistryScenario.UniqueCode("HG.");
                return Task.FromResult(new MutationCall(
                    "mutation($i: CreateUnitInput!) { createUnit(input: $i) { unit { id } errors { code message } } }",
                    new { i = new { code, name = "Ấp Tân Thành", kind = "OTHER", parentId = World.Id(w.Target) } },
                    "Unit", "createUnit.unit.id",
                    id => [new(id, "name", null, "Ấp Tân Thành"), new(id, "code", null, code), new(id, "parentId", null, World.Id(w.Target))]));
            },
            ["updateUnit"] = (_, w) => Task.FromResult(new MutationCall(
                "mutation($i: UpdateUnitInput!) { updateUnit(input: $i) { unit { id } errors { code message } } }",
                new { i = new { id = World.Id(w.Target), version = 1, code = w.Target["code"]!.GetValue<string>(), name = "Xã Vị Thủy mới", kind = "COMMUNE", parentId = World.Id(w.Parent) } },
                "Unit", "updateUnit.unit.id",
                id => [new(id, "name", "Xã Vị Thủy", "Xã Vị Thủy mới"), new(id, "version", "1", "2")])),
            ["recordUnitSuccession"] = async (s, w) =>
            {
                var successor = await s.CreateUnit("Xã Vị Thủy Mới", "COMMUNE", World.Id(w.Parent));
                return new MutationCall(
                    "mutation($i: RecordUnitSuccessionInput!) { recordUnitSuccession(input: $i) { units { id } errors { code message } } }",
                    new { i = new { predecessorIds = new[] { World.Id(w.Target) }, successorIds = new[] { World.Id(successor) }, effectiveDate = "2025-07-01" } },
                    "Unit", "recordUnitSuccession.units.0.id",
                    _ => [new(World.Id(w.Target), "validTo", null, "2025-07-01"), new(World.Id(successor), "validFrom", null, "2025-07-01")]);
            },
            ["createEntry"] = async (s, w) => new MutationCall(
                "mutation($i: CreateEntryInput!) { createEntry(input: $i) { entry { id } errors { code message } } }",
                new { i = new { unitId = World.Id(w.Target), title = "Mô hình Dân vận khéo xây nhà đại đoàn kết", summary = "Vận động xây nhà cho hộ nghèo.", kind = "MODEL", fieldId = await s.FieldId(Field), level = "COMMUNE" } },
                "Entry", "createEntry.entry.id",
                id => [new(id, "title", null, "Mô hình Dân vận khéo xây nhà đại đoàn kết"), new(id, "status", null, "DRAFT"),
                       new(id, "unitId", null, World.Id(w.Target))]),
            ["updateEntry"] = async (s, w) =>
            {
                var draft = await s.CreateEntry(s.Admin, World.Id(w.Target), "Mô hình Tổ hòa giải ở cơ sở", await s.FieldId(Field));
                return new MutationCall(
                    "mutation($i: UpdateEntryInput!) { updateEntry(input: $i) { entry { id } errors { code message } } }",
                    new { i = new { id = World.Id(draft), version = draft["version"]!.GetValue<int>(), title = "Mô hình Tổ hòa giải giỏi ở cơ sở", summary = "Hòa giải tại ấp.", kind = "MODEL", fieldId = await s.FieldId(Field), level = "COMMUNE" } },
                    "Entry", "updateEntry.entry.id",
                    id => [new(id, "title", "Mô hình Tổ hòa giải ở cơ sở", "Mô hình Tổ hòa giải giỏi ở cơ sở"), new(id, "version", "1", "2")]);
            },
            ["submitEntry"] = async (s, w) =>
            {
                var draft = await s.CreateEntry(s.Admin, World.Id(w.Target), "Mô hình Đèn đường tự quản", await s.FieldId(Field));
                return new MutationCall(
                    "mutation($i: SubmitEntryInput!) { submitEntry(input: $i) { entry { id } errors { code message } } }",
                    new { i = new { id = World.Id(draft), version = 1 } },
                    "Entry", "submitEntry.entry.id",
                    id => [new(id, "status", "DRAFT", "REGISTERED"), new(id, "version", "1", "2")]);
            },
            ["discontinueEntry"] = async (s, w) =>
            {
                var entry = await s.Submit(s.Admin, await s.CreateEntry(s.Admin, World.Id(w.Target), "Mô hình Nồi cháo tình thương", await s.FieldId(Field)));
                return new MutationCall(
                    "mutation($i: DiscontinueEntryInput!) { discontinueEntry(input: $i) { entry { id } errors { code message } } }",
                    new { i = new { id = World.Id(entry), version = entry["version"]!.GetValue<int>(), reason = "Sáp nhập xã" } },
                    "Entry", "discontinueEntry.entry.id",
                    id => [new(id, "status", "REGISTERED", "DISCONTINUED"), new(id, "discontinuedReason", null, "Sáp nhập xã")]);
            },
        };

    public static readonly IReadOnlyDictionary<string, Func<RegistryScenario, World, Task<MutationCall>>> All =
        new[] { Core, RoundMutationCases.All, ReplicationMutationCases.All }.SelectMany(d => d).ToDictionary(kv => kv.Key, kv => kv.Value);
}
