using System.Text.Json.Nodes;
using DanVanKheo.Api.Audit;
using DanVanKheo.Api.Auth;
using DanVanKheo.Api.GraphQL;
using DanVanKheo.Tests.Infrastructure;
using DanVanKheo.Tests.Storage;
using GraphQL;
using GraphQL.Types;
using Microsoft.Extensions.DependencyInjection;

namespace DanVanKheo.Tests.Api;

public enum Role { Anonymous, Admin, Auditor, Editor }

/// <summary>
/// Where the editor's unit sits relative to the target's unit (ignored for the other roles' rights, but tried too).
/// Reads of a round's results and ballots depend on council membership and the round's status, not on
/// units: for them the relation picks the round (<see cref="RoundMutationCases.ReadRound"/>): Own = CLOSED
/// with the editor a member who voted, Other = CLOSED with the editor not a member, Parent = PUBLISHED,
/// Child = still VOTING.
/// </summary>
public enum Relation { Own, Other, Parent, Child }

public enum Outcome { Allowed, Denied }

/// <summary>
/// The specification the matrix is checked against, written independently of the API's
/// policy table: for each policy, who may. A field whose policy is missing here, or a
/// mutation or non-public field without a policy, fails the matrix.
/// </summary>
public static class AccessSpec
{
    public static Outcome? Expected(string policy, Role role, Relation relation) => policy switch
    {
        Policies.Admin => role == Role.Admin ? Outcome.Allowed : Outcome.Denied,
        Policies.UnitEditorOfTarget or Policies.PersonalDataOfTarget or Policies.DraftsOfOwnUnits or Policies.CouncilMemberIdsOfTarget => role switch
        {
            Role.Admin => Outcome.Allowed,
            Role.Auditor => policy == Policies.UnitEditorOfTarget ? Outcome.Denied : Outcome.Allowed,
            Role.Editor => relation is Relation.Own or Relation.Parent ? Outcome.Allowed : Outcome.Denied,
            _ => Outcome.Denied,
        },
        Policies.AuditReader => role is Role.Admin or Role.Auditor ? Outcome.Allowed : Outcome.Denied,
        // Council roles come from membership, whatever the token's unit: in RoundMutationCases the matrix's
        // editor is the council's SECRETARY; the matrix's admin and auditor are not members.
        Policies.CouncilOfficerOrAdminOfTarget => role is Role.Admin or Role.Editor ? Outcome.Allowed : Outcome.Denied,
        Policies.CouncilOfficerOfTarget or Policies.CouncilMemberOfTarget => role == Role.Editor ? Outcome.Allowed : Outcome.Denied,
        Policies.CouncilMemberOrAdminOfTarget => role is Role.Admin or Role.Editor ? Outcome.Allowed : Outcome.Denied,
        // Round reads (relation = the round's state, see Relation): everyone once PUBLISHED; nobody while
        // VOTING, admins included; once CLOSED admins, auditors and members (the editor in Own, not in Other).
        Policies.RoundResultsVisible => relation switch
        {
            Relation.Parent => Outcome.Allowed,
            Relation.Child => Outcome.Denied,
            _ => role is Role.Admin or Role.Auditor || (role == Role.Editor && relation == Relation.Own) ? Outcome.Allowed : Outcome.Denied,
        },
        // myBallots shows a ballot only to the member who cast it: the editor voted in Own, Parent and Child,
        // in Other only the round's members did; the matrix's admin and auditor never vote.
        Policies.OwnBallots => role == Role.Editor && relation != Relation.Other ? Outcome.Allowed : Outcome.Denied,
        _ => null,
    };
}

/// <summary>
/// Walks every mutation and every non-public field of <see cref="RegistrySchema"/> × every role
/// × own/other/parent/child unit, over HTTP, and compares with <see cref="AccessSpec"/>.
/// </summary>
public sealed class AuthorizationMatrixTests(RegistryApiFactory factory) : IClassFixture<RegistryApiFactory>
{
    private readonly RegistryScenario _s = new(factory);

    private static readonly (Role Role, Relation Relation)[] Callers =
        [.. Enum.GetValues<Role>().SelectMany(r => Enum.GetValues<Relation>().Select(rel => (r, rel)))];

    /// <summary>Field coordinates (Type.field) and their declared policies, read from the schema's metadata.</summary>
    public static Dictionary<string, List<string>> DeclaredPolicies(ISchema schema, bool mutationsOnly)
    {
        var result = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var type in schema.AllTypes.OfType<IObjectGraphType>().Where(t => !t.Name.StartsWith("__", StringComparison.Ordinal)))
        {
            var isMutation = ReferenceEquals(type, schema.Mutation);
            if (ReferenceEquals(type, schema.Subscription)) continue; // streams, checked over WebSocket by SubscriptionTests
            if (mutationsOnly != isMutation) continue;
            foreach (var field in type.Fields)
                if (isMutation || field.DeclaredPolicies().Count > 0)
                    result[$"{type.Name}.{field.Name}"] = [.. field.DeclaredPolicies()];
        }
        return result;
    }

    /// <summary>What the declared metadata says each caller should get, or the problems that make it unknowable.</summary>
    public static (Dictionary<(string, Role, Relation), Outcome> Expected, List<string> Problems) Expect(Dictionary<string, List<string>> declared)
    {
        var expected = new Dictionary<(string, Role, Relation), Outcome>();
        var problems = new List<string>();
        foreach (var (field, policies) in declared)
        {
            if (policies.Count == 0)
            {
                problems.Add($"{field} declares no authorization policy");
                continue;
            }
            foreach (var (role, relation) in Callers)
            {
                var outcomes = policies.Select(p => AccessSpec.Expected(p, role, relation)).ToList();
                if (outcomes.Any(o => o is null))
                {
                    problems.Add($"{field}: policy {string.Join(",", policies)} is not in AccessSpec");
                    break;
                }
                expected[(field, role, relation)] = outcomes.All(o => o == Outcome.Allowed) ? Outcome.Allowed : Outcome.Denied;
            }
        }
        return (expected, problems);
    }

    public static List<string> Compare(Dictionary<string, List<string>> declared, Dictionary<(string, Role, Relation), Outcome> observed)
    {
        var (expected, problems) = Expect(declared);
        foreach (var (key, outcome) in expected)
            if (!observed.TryGetValue(key, out var seen)) problems.Add($"{key.Item1}: no observation for {key.Item2}/{key.Item3}");
            else if (seen != outcome) problems.Add($"{key.Item1} as {key.Item2}/{key.Item3}: expected {outcome}, observed {seen}");
        return problems;
    }

    private GraphQLClient ClientFor(Role role, Relation relation, World w) => role switch
    {
        Role.Anonymous => factory.Client(),
        Role.Admin => factory.Client(RegistryApiFactory.AdminToken("admin-matrix")),
        Role.Auditor => factory.Client(RegistryApiFactory.Token("auditor-matrix", [Roles.Auditor])),
        _ => factory.Client(RegistryApiFactory.EditorToken(RegistryScenario.LocalId(World.Id(relation switch
        {
            Relation.Own => w.Target,
            Relation.Parent => w.Parent,
            Relation.Child => w.Child,
            _ => w.Other,
        })), "editor-matrix")),
    };

    private async Task<long> CountEvents(string kind) =>
        (await _s.Admin.Run($"{{ auditEvents(first: 0, where: {{ kind: {kind} }}) {{ totalCount }} }}")).AssertNoErrors()
        .At("auditEvents.totalCount").GetValue<long>();

    [ApiFact]
    [EmulatorGap("transactions slow down with collection size")]
    public async Task Every_mutation_allows_and_denies_each_role_and_unit_relation_as_declared()
    {
        var schema = factory.Services.GetRequiredService<RegistrySchema>();
        var declared = DeclaredPolicies(schema, mutationsOnly: true);
        Assert.NotEmpty(declared);
        var observed = new Dictionary<(string, Role, Relation), Outcome>();
        var problems = new List<string>();
        foreach (var field in declared.Keys)
        {
            var name = field["Mutation.".Length..];
            if (!MutationCases.All.TryGetValue(name, out var arrange))
            {
                problems.Add($"{field}: no case in MutationCases");
                continue;
            }
            foreach (var (role, relation) in Callers)
            {
                var w = await World.CreateAsync(_s);
                var call = await arrange(_s, w);
                var changesBefore = await CountEvents("CHANGE");
                var securityBefore = await CountEvents("SECURITY");
                var r = await ClientFor(role, relation, w).Run(call.Query, call.Variables);
                var code = r.FirstErrorCode;
                var payloadErrors = r.Data?[name]?["errors"] as JsonArray;
                Outcome outcome;
                if (code is "FORBIDDEN" or "UNAUTHENTICATED")
                {
                    // Top level only before execution: no token (401) or a role the field does not allow (403).
                    outcome = Outcome.Denied;
                    if (r.Status != (code == "FORBIDDEN" ? 403 : 401))
                        problems.Add($"{field} as {role}/{relation}: top-level {code} with HTTP {r.Status} (a target refusal belongs in the payload)");
                    if (await CountEvents("SECURITY") <= securityBefore) problems.Add($"{field} as {role}/{relation}: refusal not logged as a security event");
                }
                else if (code is null && payloadErrors is { Count: > 0 } && payloadErrors.Any(e => e!["code"]!.GetValue<string>() == "FORBIDDEN"))
                {
                    // A target the caller may not act on: a payload error, data present, HTTP 200 (docs/errors.md).
                    outcome = Outcome.Denied;
                    if (r.Status != 200) problems.Add($"{field} as {role}/{relation}: payload FORBIDDEN with HTTP {r.Status}");
                    if (await CountEvents("SECURITY") <= securityBefore) problems.Add($"{field} as {role}/{relation}: refusal not logged as a security event");
                }
                else if (code is null && payloadErrors is { Count: > 0 } && payloadErrors.All(e => e!["code"]!.GetValue<string>() == "NOT_FOUND"))
                    outcome = Outcome.Denied; // a draft the caller may not see is not found
                else if (code is null && payloadErrors is { Count: 0 })
                    outcome = Outcome.Allowed;
                else
                {
                    problems.Add($"{field} as {role}/{relation}: unexpected answer {r.Status} {r.Body}");
                    continue;
                }
                var changesAfter = await CountEvents("CHANGE");
                if (outcome == Outcome.Denied && changesAfter != changesBefore) problems.Add($"{field} as {role}/{relation}: denied but something changed");
                if (outcome == Outcome.Allowed && changesAfter != changesBefore + 1) problems.Add($"{field} as {role}/{relation}: {changesAfter - changesBefore} change events");
                observed[(field, role, relation)] = outcome;
            }
        }
        problems.AddRange(Compare(declared, observed));
        Assert.True(problems.Count == 0, string.Join("\n", problems));

        // Self-check: the same observations against metadata with a rule removed, or weakened, must fail.
        var removed = declared.ToDictionary(kv => kv.Key, kv => kv.Value.ToList());
        removed["Mutation.createUnit"].Clear();
        Assert.Contains(Compare(removed, observed), p => p.Contains("Mutation.createUnit declares no authorization policy", StringComparison.Ordinal));
        var weakened = declared.ToDictionary(kv => kv.Key, kv => kv.Value.ToList());
        weakened["Mutation.updateUnit"] = [Policies.UnitEditorOfTarget];
        Assert.Contains(Compare(weakened, observed), p => p.StartsWith("Mutation.updateUnit as Editor/Own: expected Allowed, observed Denied", StringComparison.Ordinal));
        var unknown = declared.ToDictionary(kv => kv.Key, kv => kv.Value.ToList());
        unknown["Mutation.castBallot"] = ["CouncilChairOnlyOfTarget"]; // a policy nobody specified
        var unknownProblems = Compare(unknown, observed);
        Assert.Contains(unknownProblems, p => p.Contains("not in AccessSpec", StringComparison.Ordinal));
    }

    /// <summary>
    /// The fields <see cref="Read"/> has a case for: each must declare a policy (so removing a
    /// field's declaration fails the matrix rather than dropping the field from it).
    /// </summary>
    public static readonly IReadOnlyList<string> ReadCases =
    [
        "Query.auditEvents", "Query.verifyAuditChain", "Entry.history", "Unit.history", "Entry.person",
        "Query.entry", "Query.node", "Query.nodes", "Query.entries", "Unit.entries",
        "CouncilMember.userId", "Round.results", "Round.digest", "Round.ballots", "Nomination.result", "Query.myBallots",
    ];

    public static List<string> Undeclared(Dictionary<string, List<string>> declared) =>
        [.. ReadCases.Where(f => !declared.TryGetValue(f, out var p) || p.Count == 0).Select(f => $"{f} has a read case but declares no authorization policy")];

    /// <summary>Rounds in each state the round reads need, made once per test (reads change nothing).</summary>
    private readonly Dictionary<Relation, (string Round, string Nomination)> _readRounds = [];

    private async Task<(string Round, string Nomination)> ReadRound(World w, Relation relation)
    {
        if (!_readRounds.TryGetValue(relation, out var round))
            _readRounds[relation] = round = await RoundMutationCases.ReadRound(_s, w, relation);
        return round;
    }

    /// <summary>How to read each non-public field, and whether the answer means it was allowed.</summary>
    private async Task<(GraphQLResponse Response, Func<GraphQLResponse, bool> Allowed)> Read(string field, GraphQLClient caller, World w, Relation relation)
    {
        var admin = _s.Admin;
        var fieldId = await _s.FieldId();
        async Task<string> Draft() => World.Id(await _s.CreateEntry(admin, World.Id(w.Target), "Mô hình Sổ tay dân vận (nháp)", fieldId));
        bool NoError(GraphQLResponse r) => r.FirstErrorCode is null;
        switch (field)
        {
            case "Query.auditEvents":
                return (await caller.Run("{ auditEvents(first: 1) { totalCount } }"), NoError);
            case "Query.verifyAuditChain":
                return (await caller.Run("{ verifyAuditChain(stream: \"security\") { reports { valid } } }"), NoError);
            case "Entry.history":
                return (await caller.Run("query($c: String!) { entry(code: $c) { history { totalCount } } }",
                    new { c = (await _s.Submit(admin, await _s.CreateEntry(admin, World.Id(w.Target), "Mô hình Chợ an toàn", fieldId)))["code"]!.GetValue<string>() }), NoError);
            case "Unit.history":
                return (await caller.Run("query($id: ID!) { unit(id: $id) { history { totalCount } } }", new { id = World.Id(w.Target) }), NoError);
            case "Entry.person":
            {
                var e = await _s.Submit(admin, await _s.CreateEntry(admin, World.Id(w.Target), "Điển hình Bà Nguyễn Thị Lan", fieldId,
                    kind: "EXEMPLAR", exemplarType: "INDIVIDUAL", person: new { fullName = "Nguyễn Thị Lan", phone = "0901234567", birthDate = "1968-02-03" }));
                return (await caller.Run("query($c: String!) { entry(code: $c) { person { phone } } }", new { c = e["code"]!.GetValue<string>() }),
                    r => r.Data?["entry"]?["person"] is not null);
            }
            case "Query.entry":
                return (await caller.Run("query($id: ID!) { entry(id: $id) { id } }", new { id = await Draft() }), r => r.Data?["entry"] is not null);
            case "Query.node":
                return (await caller.Run("query($id: ID!) { node(id: $id) { id } }", new { id = await Draft() }), r => r.Data?["node"] is not null);
            case "Query.nodes":
                return (await caller.Run("query($id: ID!) { nodes(ids: [$id]) { id } }", new { id = await Draft() }), r => r.Data?["nodes"]?[0] is not null);
            case "Query.entries":
                await Draft();
                return (await caller.Run("query($u: ID!) { entries(where: { unitId: { eq: $u }, status: { eq: DRAFT } }) { totalCount } }", new { u = World.Id(w.Target) }),
                    r => r.Data?["entries"]?["totalCount"]?.GetValue<int>() > 0);
            case "Unit.entries":
                await Draft();
                return (await caller.Run("query($u: ID!) { unit(id: $u) { entries(where: { status: { eq: DRAFT } }) { totalCount } } }", new { u = World.Id(w.Target) }),
                    r => r.Data?["unit"]?["entries"]?["totalCount"]?.GetValue<int>() > 0);
            case "CouncilMember.userId":
            {
                // A council of the target unit the matrix's callers do not sit on: only the ids of others are listed.
                var (council, _) = await RoundMutationCases.Council(_s, w, RoundMutationCases.OtherSecretary);
                return (await caller.Run("query($id: ID!) { council(id: $id) { members { userId } } }", new { id = council }),
                    r => r.Data?["council"]?["members"] is JsonArray m && m.Count > 0 && m.All(x => x!["userId"] is not null));
            }
            case "Round.results" or "Round.digest" or "Round.ballots":
            {
                var (round, _) = await ReadRound(w, relation);
                var name = field["Round.".Length..];
                var selection = name == "digest" ? name : name == "results" ? "results { rank outcome }" : "ballots { voter choice }";
                return (await caller.Run($"query($id: ID!) {{ round(id: $id) {{ status {selection} }} }}", new { id = round }),
                    r => r.Data?["round"]?[name] is JsonNode v && (v is not JsonArray a || a.Count > 0));
            }
            case "Nomination.result":
            {
                var (round, _) = await ReadRound(w, relation);
                return (await caller.Run("query($id: ID!) { round(id: $id) { nominations { nodes { result { approvals } } } } }", new { id = round }),
                    r => r.Data?["round"]?["nominations"]?["nodes"]?[0]?["result"] is not null);
            }
            case "Query.myBallots":
            {
                var (round, _) = await ReadRound(w, relation);
                return (await caller.Run("query($id: ID) { myBallots(roundId: $id) { id choice } }", new { id = round }),
                    r => r.Data?["myBallots"] is JsonArray a && a.Count > 0);
            }
            default:
                throw new KeyNotFoundException(field);
        }
    }

    [ApiFact]
    [EmulatorGap("transactions slow down with collection size")]
    public async Task Every_non_public_field_shows_or_hides_as_declared()
    {
        var schema = factory.Services.GetRequiredService<RegistrySchema>();
        var declared = DeclaredPolicies(schema, mutationsOnly: false);
        Assert.Contains("Query.auditEvents", declared.Keys);
        Assert.Contains("Entry.person", declared.Keys);
        var observed = new Dictionary<(string, Role, Relation), Outcome>();
        var problems = Undeclared(declared);
        foreach (var field in declared.Keys)
        {
            foreach (var (role, relation) in Callers)
            {
                var w = await World.CreateAsync(_s);
                (GraphQLResponse Response, Func<GraphQLResponse, bool> Allowed) read;
                try
                {
                    read = await Read(field, ClientFor(role, relation, w), w, relation);
                }
                catch (KeyNotFoundException)
                {
                    problems.Add($"{field}: no read case in AuthorizationMatrixTests.Read");
                    break;
                }
                var (r, allowed) = read;
                if (r.FirstErrorCode is { } code && code is not ("FORBIDDEN" or "UNAUTHENTICATED"))
                    problems.Add($"{field} as {role}/{relation}: unexpected error {r.Body}");
                if (r.FirstErrorCode is "UNAUTHENTICATED" && r.Status != 401) problems.Add($"{field} as {role}: UNAUTHENTICATED with HTTP {r.Status}");
                if (r.FirstErrorCode is "FORBIDDEN" && r.Status != 403) problems.Add($"{field} as {role}: FORBIDDEN with HTTP {r.Status}");
                observed[(field, role, relation)] = allowed(r) ? Outcome.Allowed : Outcome.Denied;
            }
        }
        problems.AddRange(Compare(declared, observed));
        Assert.True(problems.Count == 0, string.Join("\n", problems));

        var removed = declared.ToDictionary(kv => kv.Key, kv => kv.Value.ToList());
        removed["Entry.person"] = [Policies.AuditReader];
        Assert.Contains(Compare(removed, observed), p => p.StartsWith("Entry.person as Editor/Own: expected Denied, observed Allowed", StringComparison.Ordinal));
        // A round read whose declaration is removed, or replaced by a weaker or a different rule, is caught too.
        var undeclared = declared.Where(kv => kv.Key != "Round.results").ToDictionary(kv => kv.Key, kv => kv.Value.ToList());
        Assert.Contains(Undeclared(undeclared), p => p.StartsWith("Round.results has a read case but declares no authorization policy", StringComparison.Ordinal));
        var weakened = declared.ToDictionary(kv => kv.Key, kv => kv.Value.ToList());
        weakened["Round.digest"] = [Policies.PersonalDataOfTarget]; // admins would see it while the round is VOTING
        Assert.Contains(Compare(weakened, observed), p => p.StartsWith("Round.digest as Admin/Child: expected Allowed, observed Denied", StringComparison.Ordinal));
        weakened["Query.myBallots"] = [Policies.CouncilMemberOfTarget]; // any member, not only the ballot's own
        Assert.Contains(Compare(weakened, observed), p => p.StartsWith("Query.myBallots as Editor/Other: expected Allowed, observed Denied", StringComparison.Ordinal));
    }

    [Fact]
    public void Every_mutation_declares_a_policy_and_an_audit_and_every_policy_is_specified()
    {
        var schema = factory.Services.GetRequiredService<RegistrySchema>();
        schema.Initialize();
        foreach (var field in schema.Mutation!.Fields)
        {
            Assert.True(field.DeclaredPolicies().Count > 0, $"Mutation.{field.Name} declares no policy: add .RequirePolicy(...)");
            Assert.True(field.IsAudited(), $"Mutation.{field.Name} is not declared .Audited()");
            Assert.True(MutationCases.All.ContainsKey(field.Name), $"Mutation.{field.Name} has no case in MutationCases");
        }
        foreach (var policy in Policies.List())
            Assert.True(AccessSpec.Expected(policy.Name, Role.Admin, Relation.Own) is not null, $"Policy {policy.Name} is not in AccessSpec");
    }
}
