using DanVanKheo.Api.Common;

namespace DanVanKheo.Api.Auth;

/// <summary>
/// The object-level half of the policies, for use cases (request-scoped): whether the caller may
/// act on a target (a unit lineage, a council's members). A refusal is recorded as a security
/// event and thrown as FORBIDDEN; the caller-level gate of a GraphQL field was already checked
/// before execution (<see cref="AuthorizationRule"/>), and is checked again here so a use case
/// called from elsewhere is just as safe.
/// </summary>
public sealed class Authorizer(RequestContext request)
{
    public Caller Caller => request.Caller;

    /// <summary>
    /// Refuses <paramref name="action"/> (a field of <paramref name="parentType"/>) unless the caller
    /// passes <paramref name="policy"/> for <paramref name="target"/>.
    /// </summary>
    public void Require(string action, string policy, object target, Message refusal, string parentType = "Mutation")
    {
        if (Allows(policy, target)) return;
        request.RecordDenial(action, parentType, policy, refusal);
        throw new DomainException(ErrorCodes.Forbidden, refusal);
    }

    /// <summary>The caller-level gate alone, for policies without a target (Registry.Admin).</summary>
    public void Require(string action, string policy, string parentType = "Mutation")
    {
        var p = Policies.Get(policy);
        if (p.Gate(request.Caller)) return;
        var refusal = new Message(Messages.MayNotUseField, action, p.Description);
        request.RecordDenial(action, parentType, policy, refusal);
        throw new DomainException(request.Caller.IsAuthenticated ? ErrorCodes.Forbidden : ErrorCodes.Unauthenticated, refusal);
    }

    public bool Allows(string policy, object target)
    {
        var p = Policies.Get(policy);
        return p.Gate(request.Caller) && (p.Target is null || p.Target(request.Caller, target));
    }

    /// <summary>The signed-in caller's id; use cases behind a policy gate always have one.</summary>
    public string CallerId => request.Caller.Id ?? throw new DomainException(ErrorCodes.Unauthenticated, new(Messages.SignInRequired));
}
