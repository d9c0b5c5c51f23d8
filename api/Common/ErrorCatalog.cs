using System.Collections.Immutable;

namespace DanVanKheo.Api.Common;

/// <summary>Where a code can appear (docs/errors.md states the rule).</summary>
[Flags]
public enum ErrorChannel
{
    /// <summary>Top-level <c>errors[].extensions.code</c>: the request could not run as asked.</summary>
    TopLevel = 1,

    /// <summary>A mutation payload's <c>errors[].code</c>: a refusal the user can correct; nothing changed.</summary>
    Payload = 2,
}

/// <summary>One error code: its stable name, where it appears and what it means (the schema's description).</summary>
public sealed record ErrorCodeInfo(string Code, ErrorChannel Channel, string Description);

/// <summary>
/// Every code the API sends, in one list: the schema's <c>ErrorCode</c> enum is built from it, each
/// code has a default message in Messages.resx (vi) and Messages.en.resx (en), and docs/errors.md
/// lists it (tests keep the four in step with the code constants).
/// </summary>
public static class ErrorCatalog
{
    private const ErrorChannel Top = ErrorChannel.TopLevel;
    private const ErrorChannel Payload = ErrorChannel.Payload;
    private const ErrorChannel Both = ErrorChannel.TopLevel | ErrorChannel.Payload;

    public static readonly ImmutableArray<ErrorCodeInfo> All =
    [
        new("UNAUTHENTICATED", Top, "No bearer token where one is needed (every mutation), or a token that is invalid or expired (HTTP 401)."),
        new("FORBIDDEN", Both, "The caller may not do this: top-level (HTTP 403) when the caller's role does not allow the field at all; in the payload when the caller may not act on the unit, council or round the input names."),
        new("BAD_REQUEST", Top, "The HTTP request is malformed: method, body, media type, or no operation to run."),
        new("MUTATION_OVER_GET", Top, "A mutation was sent with GET; mutations need POST (HTTP 405)."),
        new("GRAPHQL_PARSE_FAILED", Top, "The document is not valid GraphQL syntax."),
        new("GRAPHQL_VALIDATION_FAILED", Top, "The document does not fit the schema."),
        new("QUERY_TOO_COMPLEX", Top, "The operation is deeper, costlier or selects more fields than the limits allow."),
        new("BAD_USER_INPUT", Both, "An argument, variable or input value has the wrong shape or breaks a rule (length, range, format)."),
        new("QUERY_NOT_SERVED", Top, "A list's where or order asks for a field, operator or order that no index of that list serves (docs/querying.md); refused instead of scanning the store."),
        new("PERSISTED_QUERY_NOT_FOUND", Top, "A trusted-document id the API does not know."),
        new("TRUSTED_DOCUMENTS_ONLY", Top, "An arbitrary document where only trusted documents (schema/operations) are accepted."),
        new("RATE_LIMITED", Top, "The caller's request budget for the minute is spent (HTTP 429 with Retry-After)."),
        new("EXECUTION_TIMEOUT", Top, "The operation ran longer than the time limit and was stopped."),
        new("SUBSCRIPTION_NEEDS_STREAM", Top, "A subscription sent as a plain HTTP request; use WebSocket or Server-Sent Events."),
        new("TOO_MANY_SUBSCRIPTIONS", Top, "More subscriptions on one connection than allowed."),
        new("SLOW_CONSUMER", Top, "A subscriber fell too far behind and its subscription was ended."),
        new("CURSOR_EXPIRED", Top, "A resume cursor older than the live feed's retention window."),
        new("INTERNAL_SERVER_ERROR", Top, "A fault of the API; details are logged with the request id, never sent."),
        new("NOT_FOUND", Both, "An id that names nothing the caller may see, or names another type."),
        new("STALE_VERSION", Payload, "The object changed since the caller read it: reload and retry."),
        new("INVALID_STATUS", Payload, "The step does not apply in the object's current status."),
        new("DUPLICATE_CODE", Payload, "The unit code is already taken."),
        new("UNIT_CYCLE", Payload, "A unit would be placed under itself or its own descendant."),
        new("ALREADY_ENDED", Payload, "A predecessor of a succession has already ended."),
        new("UNIT_NOT_ACTIVE", Payload, "The unit does not exist today; register under its successor."),
        new("CODE_SPACE_EXHAUSTED", Payload, "No entry codes are left for the year."),
        new("SELF_REPLICATION", Payload, "An entry or unit would replicate its own unit's model."),
        new("MEMBER_EXISTS", Payload, "The user is already a member of the council."),
        new("ROLE_TAKEN", Payload, "The council already has a member in that role (CHAIR or SECRETARY)."),
        new("COUNCIL_FROZEN", Payload, "The council's membership cannot change while one of its rounds is VOTING."),
        new("COUNCIL_EMPTY", Payload, "Voting cannot open with a council that has no members."),
        new("INVALID_RUBRIC", Payload, "The rubric is invalid: criteria missing, weights not summing to 100, or bad maximum scores."),
        new("INVALID_RULE", Payload, "The approval rule is invalid: quorum, threshold, minimum score or tie-break out of range."),
        new("ROUND_FROZEN", Payload, "The rubric, rule, council or scope cannot change once voting opened."),
        new("ROUND_NOT_OPEN", Payload, "The round is not taking nominations (not NOMINATING)."),
        new("DEADLINE_PASSED", Payload, "The deadline for this step has passed."),
        new("ENTRY_NOT_REGISTERED", Payload, "Only REGISTERED (or RECOGNIZED) entries can be nominated."),
        new("NOT_IN_SCOPE", Payload, "The unit is outside the round's (or council's) scope."),
        new("ALREADY_NOMINATED", Payload, "The entry already has an active nomination in the round."),
        new("NOMINATION_WITHDRAWN", Payload, "The nomination was withdrawn or is not an active nomination of the round."),
        new("ROUND_NOT_VOTING", Payload, "The round is not (or no longer) VOTING."),
        new("INVALID_SCORE", Payload, "Scores are missing, in the wrong number, or outside a criterion's range."),
        new("CONFLICT_OF_INTEREST", Payload, "The member works for the nominating unit, an ancestor or a descendant of it."),
        new("ALREADY_RECUSED", Payload, "The member recused from the nomination; a recusal is final."),
        new("SOURCE_NOT_REGISTERED", Payload, "Only registered (or recognized) models can be replicated."),
        new("DUPLICATE_REPLICATION", Payload, "The unit already has an active replication of the model."),
        new("REPLICATION_CYCLE", Payload, "The adoption would make a model replicate itself through its lineage."),
        new("INVALID_STATUS_TRANSITION", Payload, "The replication's status cannot move that way (PLANNED → IMPLEMENTING → SUSTAINED or DISCONTINUED)."),
        new("DERIVED_ENTRY_WRONG_UNIT", Payload, "The derived entry does not belong to the adopting unit."),
        new("DERIVED_ENTRY_IN_USE", Payload, "The derived entry is already linked to another replication."),
        new("DERIVED_ENTRY_LOCKED", Payload, "The derived entry can no longer be changed."),
        new("DERIVED_ENTRY_SOURCE_MISMATCH", Payload, "The derived entry already names another source."),
    ];

    public static bool Contains(string code) => All.Any(c => c.Code == code);
}
