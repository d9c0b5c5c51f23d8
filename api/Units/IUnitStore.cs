using DanVanKheo.Api.Audit;
using DanVanKheo.Api.Common;

namespace DanVanKheo.Api.Units;

public sealed record UnitFilter(
    string? Search = null,
    string? ParentId = null,
    bool RootsOnly = false,
    string? SubtreeOf = null,
    UnitKind? Kind = null,
    DateOnly? ValidOn = null,
    string? DescendantsOf = null);

/// <summary>Storage port for units. Pages are ordered by code.</summary>
public interface IUnitStore
{
    Task<IReadOnlyList<Unit>> GetByIdsAsync(IReadOnlyCollection<string> ids, CancellationToken ct = default);
    Task<Unit?> GetByCodeAsync(string code, CancellationToken ct = default);

    /// <exception cref="DuplicateKeyException">the code is taken.</exception>
    Task InsertAsync(Unit unit, CancellationToken ct = default) => InsertAsync(unit, null, ct);

    /// <summary>Inserts the unit with <paramref name="audit"/>'s event (none when null), all or nothing.</summary>
    Task InsertAsync(Unit unit, AuditScope? audit, CancellationToken ct = default);

    Task InsertManyAsync(IReadOnlyList<Unit> units, CancellationToken ct = default);

    /// <summary>
    /// Replaces every unit whose stored version is one less than its new version, all or none.
    /// Returns false (and changes nothing) if any of them changed meanwhile.
    /// </summary>
    /// <exception cref="DuplicateKeyException">a new code is taken.</exception>
    Task<bool> ReplaceAllAsync(IReadOnlyList<Unit> units, AuditScope? audit, CancellationToken ct = default);

    Task<bool> ReplaceAllAsync(IReadOnlyList<Unit> units, CancellationToken ct = default) => ReplaceAllAsync(units, null, ct);

    /// <summary>The unit and all its descendants.</summary>
    Task<IReadOnlyList<Unit>> GetSubtreeAsync(string unitId, CancellationToken ct = default);

    Task<Page<Unit>> FindAsync(UnitFilter filter, PageRequest page, CancellationToken ct = default);

    Task<long> CountAsync(CancellationToken ct = default);
}
