using DanVanKheo.Api.Auth;
using DanVanKheo.Api.Common;
using DanVanKheo.Api.GraphQL;
using GraphQL;
using GraphQL.MicrosoftDI;
using GraphQL.Types;

namespace DanVanKheo.Api.Audit;

public sealed class AuditKindGraphType : EnumerationGraphType<AuditKind>
{
    public AuditKindGraphType()
    {
        Name = "AuditKind";
        Description = "CHANGE: a successful mutation. SECURITY: a refused request (no token or no right); it changed nothing.";
        this.DescribeValues(
            ("CHANGE", "A successful mutation that changed registry data."),
            ("SECURITY", "A refused request (no token or no right) that changed nothing."));
    }
}

public sealed class AuditActorGraphType : ObjectGraphType<AuditEvent>
{
    public AuditActorGraphType()
    {
        Name = "AuditActor";
        Description = "Who acted, as their token said at the time.";
        Field<StringGraphType>("id").Description("The caller's stable id (token 'oid' or 'sub'); null for anonymous callers.").Resolve(c => c.Source.ActorId);
        Field<StringGraphType>("name").Description("The caller's display name.").Resolve(c => c.Source.ActorName);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("roles").Description("The caller's app roles.").Resolve(c => c.Source.ActorRoles);
    }
}

public sealed class AuditChangeGraphType : ObjectGraphType<AuditChange>
{
    public AuditChangeGraphType()
    {
        Name = "AuditChange";
        Description = "One changed field of one document.";
        Field<NonNullGraphType<StringGraphType>>("targetType").Description("The changed document's type, e.g. Entry.").Resolve(c => c.Source.TargetType);
        Field<NonNullGraphType<IdGraphType>>("targetId").Description("The changed document's global id.").Resolve(c => GlobalId.Encode(c.Source.TargetType, c.Source.TargetId));
        Field(x => x.Field).Description("The field's path, camelCase, nested objects dotted (e.g. results.householdsReached).");
        Field(x => x.Before, nullable: true).Description("The value before, as JSON; null when absent.");
        Field(x => x.After, nullable: true).Description("The value after, as JSON; null when absent.");
    }
}

public sealed class AuditEventGraphType : ObjectGraphType<AuditEvent>
{
    public AuditEventGraphType()
    {
        Name = "AuditEvent";
        Description = "An append-only audit event. Events are chained per stream by SHA-256 hashes (see verifyAuditChain).";
        Field<NonNullGraphType<IdGraphType>>("id").Description("The event's id.").Resolve(c => GlobalId.Encode("AuditEvent", c.Source.Id));
        Field<NonNullGraphType<AuditKindGraphType>>("kind").Description("A change or a security event.").Resolve(c => c.Source.Kind);
        Field(e => e.Timestamp).Description("Server time of the request (UTC).");
        Field(e => e.RequestId).Description("The HTTP request's id.");
        Field<NonNullGraphType<AuditActorGraphType>>("actor").Description("The user who acted, as recorded at the time.").Resolve(c => c.Source);
        Field(e => e.Action).Description("The mutation, e.g. createEntry; for security events, the refused field's name (updateEntry, auditEvents…).");
        Field(e => e.TargetType).Description("The target's type, e.g. Entry or Unit (for security events: the refused field's parent, Mutation or Query).");
        Field<IdGraphType>("targetId").Description("The target's global id; null for security events.")
            .Resolve(c => c.Source.TargetId is null ? null : GlobalId.Encode(c.Source.TargetType, c.Source.TargetId));
        Field<IdGraphType>("unitId").Description("The unit the change belongs to (the entry's unit, or the unit itself).")
            .Resolve(c => c.Source.UnitId is null ? null : GlobalId.Encode(AuditTargetTypes.Unit, c.Source.UnitId));
        Field<NonNullGraphType<BooleanGraphType>>("sealed").Description("Whether the changes are sealed (ballots until their round closes).")
            .Resolve().WithService<IAuditSeal>()
            .ResolveAsync(async (c, seal) => await IsSealedAsync(c, seal));
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<AuditChangeGraphType>>>>("changes")
            .Description("Changed fields with values before and after; empty while sealed and for security events.")
            .Resolve().WithService<IAuditSeal>()
            .ResolveAsync(async (c, seal) => await IsSealedAsync(c, seal) ? [] : c.Source.Changes);
        Field(e => e.Reason, nullable: true).Description("Security events: why the request was refused.");
        Field(e => e.Policy, nullable: true).Description("Security events: the authorization policy that refused the request, e.g. UnitEditorOfTarget; null for changes and for security events recorded before policies were kept apart.");
        Field(e => e.Stream).Description("The hash chain the event belongs to: Type:localId of its target, or 'security'.");
        Field<NonNullGraphType<LongGraphType>>("sequence").Description("Position in its stream, from 1.").Resolve(c => c.Source.Sequence);
        Field(e => e.PrevHash).Description("SHA-256 (hex) of the previous event of the stream; 64 zeros for the first.");
        Field(e => e.Hash).Description("SHA-256 (hex) of this event's canonical form (docs/audit.md).");
    }

    private static async Task<bool> IsSealedAsync(IResolveFieldContext<AuditEvent> c, IAuditSeal seal) =>
        c.Source.SealedUntil is { } until && !await seal.IsOpenAsync(until, c.CancellationToken);
}

public sealed class AuditChainReportGraphType : ObjectGraphType<AuditChainReport>
{
    public AuditChainReportGraphType()
    {
        Name = "AuditChainReport";
        Description = "The result of re-computing one stream's hash chain.";
        Field(r => r.Stream).Description("The stream checked.");
        Field(r => r.Valid).Description("Whether every event links to the previous one and matches its hash.");
        Field(r => r.Events).Description("How many events of the stream this call checked (from fromSequence on).");
        Field<NonNullGraphType<LongGraphType>>("fromSequence").Description("The sequence number this call started checking at: 1, or where the previous call stopped.")
            .Resolve(c => c.Source.FromSequence);
        Field(r => r.Complete).Description("False when this call's event budget ended inside the stream: the call with continueAfter goes on from the next event.");
        Field<LongGraphType>("firstInvalidSequence").Description("The first event that fails, if any.").Resolve(c => c.Source.FirstInvalidSequence);
        Field(r => r.Problem, nullable: true).Description("What is wrong with it.");
    }
}

public sealed class AuditChainVerificationGraphType : ObjectGraphType<AuditChainVerification>
{
    public AuditChainVerificationGraphType()
    {
        Name = "AuditChainVerification";
        Description = "One call's share of a chain verification: a bounded number of streams and events, and where the next call goes on.";
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<AuditChainReportGraphType>>>>("reports")
            .Description("The streams (or parts of a stream) checked by this call, in order.").Resolve(c => c.Source.Reports);
        Field(v => v.EventsChecked).Description("How many events this call re-hashed, at most 10,000.");
        Field<NonNullGraphType<BooleanGraphType>>("hasMore").Description("Whether streams or events remain to be checked after this call.")
            .Resolve(c => c.Source.Next is not null);
        Field<StringGraphType>("continueAfter").Description("Pass as 'after' to check what remains; null when everything asked for has been checked.")
            .Resolve(c => c.Source.Next is { } next ? AuditQueries.EncodeChainPosition(next) : null);
    }
}

public sealed class AuditEventFilterInput
{
    public string? TargetId { get; set; }
    public string? ActorId { get; set; }
    public string? UnitId { get; set; }
    public string? Action { get; set; }
    public DateTime? From { get; set; }
    public DateTime? To { get; set; }
    public AuditKind? Kind { get; set; }
}

public sealed class AuditEventFilterInputGraphType : InputObjectGraphType<AuditEventFilterInput>
{
    public AuditEventFilterInputGraphType()
    {
        Name = "AuditEventFilterInput";
        Description = "Filters for the audit log; all given conditions must hold.";
        Field<IdGraphType>("targetId").Description("Events that changed this object (global id of a unit, entry, …).");
        Field(f => f.ActorId, nullable: true).Description("Events by this caller id (token 'oid' or 'sub').");
        Field<IdGraphType>("unitId").Description("Events belonging to this unit.");
        Field(f => f.Action, nullable: true).Description("Events of this mutation, e.g. submitEntry.");
        Field(f => f.From, nullable: true).Description("Events at or after this time (UTC).");
        Field(f => f.To, nullable: true).Description("Events before this time (UTC).");
        Field<AuditKindGraphType>("kind").Description("Only changes or only security events.");
    }
}

/// <summary>The audit log's queries, for auditors and admins.</summary>
public static class AuditQueries
{
    public const string SortTag = "AUDIT";

    public static void Register(ObjectGraphType query)
    {
        query.Field<NonNullGraphType<ConnectionGraphType<AuditEventGraphType, AuditEvent>>>("auditEvents")
            .Description("The audit log, newest first, paged by cursor. Requires Registry.Auditor or Registry.Admin.")
            .RequirePolicy(Policies.AuditReader)
            .Argument<AuditEventFilterInputGraphType>("where", "Filters; all must hold.")
            .ConnectionArguments()
            .Resolve().WithService<IAuditStore>()
            .ResolveAsync(async (c, store) => await FindAsync(c, store, FilterOf(c.GetArgument<AuditEventFilterInput?>("where"))));
        query.Field<NonNullGraphType<AuditChainVerificationGraphType>>("verifyAuditChain")
            .Description("Re-computes the hash chain of one stream (e.g. Entry:<local id>, security), or of every stream, in bounded calls: " +
                         "at most 'first' streams and 10,000 events per call; pass 'continueAfter' back as 'after' until hasMore is false. " +
                         "Requires Registry.Auditor or Registry.Admin.")
            .RequirePolicy(Policies.AuditReader)
            .Argument<StringGraphType>("stream", "The stream to check; omit for all.")
            .Argument<IntGraphType>("first", $"Streams to check in this call (default {AuditChainPages.DefaultStreams}, at most {AuditChainPages.MaxStreams}).")
            .Argument<StringGraphType>("after", "The continueAfter of the previous call.")
            .Resolve().WithService<IAuditStore>()
            .ResolveAsync(async (c, store) =>
            {
                var stream = c.GetArgument<string?>("stream");
                var first = c.GetArgument<int?>("first") ?? AuditChainPages.DefaultStreams;
                if (first is < 1 or > AuditChainPages.MaxStreams)
                    throw new InputException(new(Messages.FirstOutOfRange, AuditChainPages.MaxStreams), "first");
                var from = DecodeChainPosition(c.GetArgument<string?>("after"));
                if (from is not null && stream is not null && from.Stream != stream)
                    throw new InputException(new(Messages.AfterContinuesAnotherStream), "after");
                return await AuditChainPages.VerifyAsync(store, stream, from, first, c.CancellationToken);
            });
    }

    private const string ChainTag = "AUDITCHAIN";

    public static string EncodeChainPosition(AuditChainPosition p) =>
        Cursors.Encode(ChainTag, p.Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture) + "|" + p.Stream);

    /// <summary>A continueAfter token back into a position; anything else is refused with BAD_USER_INPUT on 'after'.</summary>
    public static AuditChainPosition? DecodeChainPosition(string? after)
    {
        var key = Cursors.Decode(after, ChainTag, "after");
        if (key is null) return null;
        var bar = key.IndexOf('|', StringComparison.Ordinal);
        if (bar > 0 && long.TryParse(key.AsSpan(0, bar), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var sequence)
            && bar + 1 < key.Length)
            return new AuditChainPosition(key[(bar + 1)..], sequence);
        throw new InputException(new(Messages.AfterNotAChainPosition), "after");
    }

    /// <summary>
    /// The store filter for a query's <c>where</c>: global ids decoded (the target of any type, the
    /// unit only as a Unit id), times in UTC, and a time range that is not reversed.
    /// </summary>
    public static AuditFilter FilterOf(AuditEventFilterInput? where)
    {
        var w = where ?? new AuditEventFilterInput();
        var from = w.From?.ToUniversalTime();
        var to = w.To?.ToUniversalTime();
        if (from > to) throw new InputException(new(Messages.WhereFromAfterWhere), "where.from");
        return new AuditFilter(
            TargetId: w.TargetId is null ? null : GlobalId.TryDecode(w.TargetId, out _, out var local) ? local
                : throw new InputException(new(Messages.WhereTargetIdNotAnId), "where.targetId"),
            ActorId: w.ActorId,
            UnitId: w.UnitId is null ? null : GlobalId.LocalIdOf(w.UnitId, AuditTargetTypes.Unit)
                ?? throw new InputException(new(Messages.WhereUnitIdNotAUnit), "where.unitId"),
            Action: w.Action, From: from, To: to, Kind: w.Kind);
    }

    /// <summary>Adds a `history` connection (events that changed the object, newest first) to an object type.</summary>
    public static void AddHistory<TSource>(ObjectGraphType<TSource> type, Func<TSource, string> localId)
    {
        type.Field<NonNullGraphType<ConnectionGraphType<AuditEventGraphType, AuditEvent>>>("history")
            .Description("Audit events that changed this object, newest first. Requires Registry.Auditor or Registry.Admin.")
            .RequirePolicy(Policies.AuditReader)
            .ConnectionArguments()
            .Resolve().WithService<IAuditStore>()
            .ResolveAsync(async (c, store) => await FindAsync(c, store, new AuditFilter(TargetId: localId((TSource)c.Source!), Kind: AuditKind.Change)));
    }

    private static async Task<Connection<AuditEvent>> FindAsync(IResolveFieldContext c, IAuditStore store, AuditFilter filter)
    {
        var page = await store.FindAsync(filter, Cursors.PageRequest(c, SortTag), c.CancellationToken);
        return new Connection<AuditEvent>(page, SortTag, e => e.OrderKey);
    }
}
