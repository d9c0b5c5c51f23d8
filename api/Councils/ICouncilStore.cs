using DanVanKheo.Api.Audit;
using DanVanKheo.Api.Common;

namespace DanVanKheo.Api.Councils;

/// <summary>Storage port for councils. Pages are ordered by id (creation order).</summary>
public interface ICouncilStore
{
    Task InsertAsync(Council council, AuditScope? audit, CancellationToken ct = default);

    Task InsertAsync(Council council, CancellationToken ct = default) => InsertAsync(council, null, ct);

    Task<IReadOnlyList<Council>> GetByIdsAsync(IReadOnlyCollection<string> ids, CancellationToken ct = default);

    /// <summary>Replaces the council if the stored version is <paramref name="expectedVersion"/>; false and no change otherwise.</summary>
    Task<bool> ReplaceAsync(Council council, int expectedVersion, AuditScope? audit, CancellationToken ct = default);

    Task<bool> ReplaceAsync(Council council, int expectedVersion, CancellationToken ct = default) => ReplaceAsync(council, expectedVersion, null, ct);

    /// <summary>Councils of <paramref name="unitId"/> (or all when null).</summary>
    Task<Page<Council>> FindAsync(string? unitId, PageRequest page, CancellationToken ct = default);
}
