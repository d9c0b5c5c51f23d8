using System.Collections.Concurrent;
using DanVanKheo.Api.Common;

namespace DanVanKheo.Api.Auth;

/// <summary>
/// A field the caller was refused: its name, the type it belongs to (<c>Mutation</c>, <c>Entry</c>…;
/// empty when no field was reached, as for an invalid token), the policy that refused it and why.
/// </summary>
public sealed record Denial(string Field, string ParentType, string Policy, Message Reason);

/// <summary>
/// Who a unit of work runs for (request-scoped): the caller read from the validated token, the
/// request id, and the refusals the policies made during it. The transport starts it once per
/// request; background work (the voting-deadline service) starts its own.
/// </summary>
public sealed class RequestContext
{
    private readonly ConcurrentQueue<Denial> _denials = new();

    public Caller Caller { get; private set; } = Caller.Anonymous;
    public string RequestId { get; private set; } = "";

    /// <summary>Refusals by the authorization policies during this request; logged as security events.</summary>
    public IReadOnlyCollection<Denial> Denials => _denials;

    public RequestContext Start(Caller caller, string requestId)
    {
        if (RequestId.Length > 0) throw new InvalidOperationException("The request context was already started.");
        Caller = caller;
        RequestId = requestId;
        return this;
    }

    public void RecordDenial(string field, string parentType, string policy, Message reason) =>
        _denials.Enqueue(new Denial(field, parentType, policy, reason));
}
