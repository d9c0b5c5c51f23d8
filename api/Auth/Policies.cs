using System.Collections.Frozen;
using DanVanKheo.Api.Common;
using DanVanKheo.Api.Councils;
using DanVanKheo.Api.GraphQL;
using DanVanKheo.Api.Rounds;
using GraphQL;
using GraphQL.Builders;
using GraphQL.Types;

namespace DanVanKheo.Api.Auth;

/// <summary>What happens when a caller fails a policy.</summary>
public enum DenialMode
{
    /// <summary>The request is refused: UNAUTHENTICATED for anonymous callers, FORBIDDEN otherwise.</summary>
    Refuse,

    /// <summary>The field resolves to null: the rest of the answer is still given.</summary>
    Redact,

    /// <summary>
    /// Rows the caller may not see are dropped: by the resolver through the policy's access method
    /// (pushed into the store query), and, for a policy with a <see cref="Policy.Target"/>, also by
    /// <see cref="AuthorizationMiddleware"/>, which returns an empty list when the gate fails and
    /// otherwise keeps only the rows whose target check passes.
    /// </summary>
    FilterRows,
}

/// <summary>
/// One named authorization policy. <see cref="Gate"/> is checked before anything executes
/// (from the caller alone); <see cref="Target"/>, when present, is the object-level half that
/// needs the object (a unit lineage, an entry) and is called by the field's resolver or by the
/// authorization middleware.
/// </summary>
public sealed record Policy(string Name, string Description, Func<Caller, bool> Gate, DenialMode Mode,
    Func<Caller, object, bool>? Target = null);

/// <summary>
/// The registry's authorization model in one place. Fields declare a policy next to their
/// definition (<c>.RequirePolicy(Policies.X)</c>, stored with GraphQL.NET's AuthorizationExtensions);
/// <see cref="AuthorizationRule"/> and <see cref="AuthorizationMiddleware"/> enforce it.
/// Council roles (for rounds and ballots) come from council membership, not from token roles:
/// such policies have a permissive gate for authenticated callers and a target check against the council.
/// </summary>
public static class Policies
{
    public const string Admin = "Registry.Admin";
    public const string UnitEditorOfTarget = "UnitEditorOfTarget";
    public const string AuditReader = "AuditReader";
    public const string PersonalDataOfTarget = "PersonalDataOfTarget";
    public const string DraftsOfOwnUnits = "DraftsOfOwnUnits";
    public const string CouncilOfficerOrAdminOfTarget = "CouncilOfficerOrAdminOfTarget";
    public const string CouncilOfficerOfTarget = "CouncilOfficerOfTarget";
    public const string CouncilMemberOfTarget = "CouncilMemberOfTarget";
    public const string CouncilMemberOrAdminOfTarget = "CouncilMemberOrAdminOfTarget";
    public const string CouncilMemberIdsOfTarget = "CouncilMemberIdsOfTarget";
    public const string RoundResultsVisible = "RoundResultsVisible";
    public const string OwnBallots = "OwnBallots";

    /// <summary>Every policy, by name: a constant table, frozen when first read (no lock on the hot path).</summary>
    private static readonly FrozenDictionary<string, Policy> All = Definitions().ToFrozenDictionary(p => p.Name, StringComparer.Ordinal);

    private static IEnumerable<Policy> Definitions()
    {
        yield return new Policy(Admin, "Registry administrators only.", AccessRules.IsAdmin, DenialMode.Refuse);
        yield return new Policy(UnitEditorOfTarget,
            "Unit.Editor of the target's unit or one of its ancestors, or Registry.Admin. The gate admits admins and editors; the resolver checks the target.",
            AccessRules.MayEditSomeUnit, DenialMode.Refuse,
            (caller, target) => AccessRules.MayEditUnit(caller, (IReadOnlyCollection<string>)target));
        yield return new Policy(AuditReader, "Registry.Auditor or Registry.Admin.", AccessRules.MayReadAudit, DenialMode.Refuse);
        yield return new Policy(PersonalDataOfTarget,
            "Editors of the entry's unit (or its ancestors), admins and auditors; null for everyone else.",
            _ => true, DenialMode.Redact,
            (caller, target) => AccessRules.MaySeePersonalData(caller, (IReadOnlyCollection<string>)target));
        yield return new Policy(DraftsOfOwnUnits,
            "Everyone sees non-draft entries; drafts only their unit subtree's editors, admins and auditors.",
            _ => true, DenialMode.FilterRows);
        // Council roles come from council membership (the token's oid, else sub, matched to the
        // members), not from token roles: the gate only asks for a token, the target is the
        // round's electorate (its member snapshot once voting opened, else the council's members).
        yield return new Policy(CouncilOfficerOrAdminOfTarget,
            "The CHAIR or SECRETARY of the round's council, or Registry.Admin. The gate admits any signed-in caller; the resolver checks the council.",
            AccessRules.IsSignedIn, DenialMode.Refuse,
            (caller, target) => caller.IsAdmin || AccessRules.IsCouncilOfficer(caller, (IReadOnlyCollection<CouncilMember>)target));
        yield return new Policy(CouncilOfficerOfTarget,
            "The CHAIR or SECRETARY of the round's council (not admins). The gate admits any signed-in caller; the resolver checks the council.",
            AccessRules.IsSignedIn, DenialMode.Refuse,
            (caller, target) => AccessRules.IsCouncilOfficer(caller, (IReadOnlyCollection<CouncilMember>)target));
        yield return new Policy(CouncilMemberOfTarget,
            "Members of the round's council only (admins do not vote). The gate admits any signed-in caller; the resolver checks membership.",
            AccessRules.IsSignedIn, DenialMode.Refuse,
            (caller, target) => AccessRules.IsCouncilMember(caller, (IReadOnlyCollection<CouncilMember>)target));
        yield return new Policy(CouncilMemberOrAdminOfTarget,
            "Members of the round's council (its electorate once voting opened), or Registry.Admin: live round progress. The gate admits any signed-in caller; the subscription checks membership.",
            AccessRules.IsSignedIn, DenialMode.Refuse,
            (caller, target) => caller.IsAdmin || AccessRules.IsCouncilMember(caller, (IReadOnlyCollection<CouncilMember>)target));
        // Reads of councils and rounds. The target of a round's results is the round (its status
        // and frozen electorate); of a member's user id, the member with the council it is listed in.
        yield return new Policy(CouncilMemberIdsOfTarget,
            "A council member's user id: the members listed with it (the council's, or the round's electorate; the member themself included), editors of the council's unit (or its ancestors), admins and auditors; null for everyone else.",
            _ => true, DenialMode.Redact,
            (caller, target) => AccessRules.MaySeeCouncilMemberId(caller, (CouncilMemberListing)target));
        yield return new Policy(RoundResultsVisible,
            "A round's results, digest and published ballots: nobody before CLOSED (admins included); once CLOSED admins, auditors and the round's members; everyone once PUBLISHED. Null otherwise.",
            _ => true, DenialMode.Redact,
            (caller, target) => AccessRules.MaySeeRoundResults(caller, (Round)target));
        yield return new Policy(OwnBallots,
            "A signed-in caller's own ballots only, whatever the round's status (nobody reads another member's ballot; after CLOSED only pseudonymised); an empty list for anonymous callers.",
            AccessRules.IsSignedIn, DenialMode.FilterRows,
            (caller, target) => AccessRules.IsOwnBallot(caller, (Ballot)target));
    }

    public static Policy Get(string name) =>
        All.TryGetValue(name, out var p) ? p
            : throw new InvalidOperationException($"Authorization policy '{name}' is not defined in Policies.");

    public static IReadOnlyList<Policy> List() => [.. All.Values];
}

/// <summary>The rules themselves: plain static methods over the caller, testable without GraphQL.</summary>
public static class AccessRules
{
    public static bool IsAdmin(Caller c) => c.IsAdmin;
    public static bool IsSignedIn(Caller c) => c.IsAuthenticated;
    public static bool IsCouncilMember(Caller c, IReadOnlyCollection<CouncilMember> members) =>
        c.Id is not null && members.Any(m => m.UserId == c.Id);
    public static bool IsCouncilOfficer(Caller c, IReadOnlyCollection<CouncilMember> members) =>
        c.Id is not null && members.Any(m => m.UserId == c.Id && m.Role is CouncilRole.Chair or CouncilRole.Secretary);
    public static bool MayEditSomeUnit(Caller c) => c.IsAdmin || c.IsEditor;
    public static bool MayEditUnit(Caller c, IReadOnlyCollection<string> lineage) => c.CanActForUnit(lineage);
    public static bool MayReadAudit(Caller c) => c.IsAdmin || c.IsAuditor;
    public static bool MaySeePersonalData(Caller c, IReadOnlyCollection<string> lineage) =>
        c.IsAdmin || c.IsAuditor || c.CanActForUnit(lineage);

    /// <summary>Results, digest and published ballots: everyone once PUBLISHED; once CLOSED, admins, auditors and the round's members; nobody before.</summary>
    public static bool MaySeeRoundResults(Caller c, Round round) =>
        round.Status == RoundStatus.Published ||
        (round.Status == RoundStatus.Closed && (c.IsAdmin || c.IsAuditor || IsCouncilMember(c, round.Members ?? [])));

    public static bool IsOwnBallot(Caller c, Ballot ballot) => c.Id is not null && ballot.MemberId == c.Id;

    /// <summary>
    /// A member's user id: the member themself, admins, auditors, editors of the council's unit (or
    /// above) and the members it is listed with (the council's, or the round's frozen electorate).
    /// </summary>
    public static bool MaySeeCouncilMemberId(Caller c, CouncilMemberListing listing) =>
        c.IsAdmin || c.IsAuditor || c.CanActForUnit(listing.CouncilUnitLineage) || IsCouncilMember(c, listing.ListedWith);
}

public static class AuthorizationFieldExtensions
{
    /// <summary>Declares the policy a field requires (GraphQL.NET's policy metadata; enforced by our rule and middleware).</summary>
    public static FieldBuilder<TSource, TReturn> RequirePolicy<TSource, TReturn>(this FieldBuilder<TSource, TReturn> field, string policy)
    {
        _ = Policies.Get(policy);
        field.FieldType.AuthorizeWithPolicy(policy);
        return field;
    }

    public static IReadOnlyList<string> DeclaredPolicies(this IMetadataReader field) =>
        field.GetPolicies() is { } p ? [.. p] : [];
}
