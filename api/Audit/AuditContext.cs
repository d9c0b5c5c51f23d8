using DanVanKheo.Api.Auth;
using DanVanKheo.Api.Common;

namespace DanVanKheo.Api.Audit;

/// <summary>
/// The audit unit of work of one request (request-scoped, injected into the use cases and the
/// store adapters). A use case opens it with the action it performs; the adapters then append
/// the change's event in the same transaction as the change. Writes with no open scope (the
/// seed's bulk loads, store tests) are not audited.
/// </summary>
public sealed class AuditContext(RequestContext request, RegistryClock clock)
{
    /// <summary>The open scope, or null outside an audited change.</summary>
    public AuditScope? Current { get; private set; }

    /// <summary>Opens the scope of <paramref name="action"/> (the mutation's name) for this request.</summary>
    public AuditScope Begin(string action, string? sealedUntil = null)
    {
        if (Current is not null) throw new InvalidOperationException($"An audit scope ({Current.Action}) is already open in this request.");
        Current = new AuditScope
        {
            Actor = request.Caller,
            Action = action,
            RequestId = request.RequestId,
            Timestamp = clock.UtcNow(),
            SealedUntil = sealedUntil,
        };
        return Current;
    }
}
