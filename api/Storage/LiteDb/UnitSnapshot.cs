using System.Collections.Concurrent;
using DanVanKheo.Api.Units;

namespace DanVanKheo.Api.Storage.LiteDb;

/// <summary>
/// Every unit of the embedded store in memory, loaded on first use and updated after each
/// committed unit write (under the write gate; Direct mode keeps other writers out).
/// </summary>
internal sealed class UnitSnapshot(LiteDbContext db)
{
    private readonly Lock _loadGate = new();
    private volatile ConcurrentDictionary<string, Unit>? _units;

    private ConcurrentDictionary<string, Unit> Units
    {
        get
        {
            if (_units is { } loaded) return loaded;
            lock (_loadGate)
                return _units ??= new ConcurrentDictionary<string, Unit>(db.Units.FindAll().Select(u => KeyValuePair.Create(u.Id, u)), StringComparer.Ordinal);
        }
    }

    public Unit? Get(string id) => Units.TryGetValue(id, out var u) ? Clone(u) : null;

    public void Apply(IEnumerable<Unit> written)
    {
        if (_units is not { } units) return; // not loaded yet: the first read loads what was stored
        foreach (var u in written) units[u.Id] = Clone(u);
    }

    private static Unit Clone(Unit u) => new()
    {
        Id = u.Id, Code = u.Code, Name = u.Name, NameKey = u.NameKey, Kind = u.Kind, ParentId = u.ParentId,
        AncestorIds = [.. u.AncestorIds], ValidFrom = u.ValidFrom, ValidTo = u.ValidTo,
        PredecessorIds = [.. u.PredecessorIds], SuccessorIds = [.. u.SuccessorIds],
        Version = u.Version, CreatedAt = u.CreatedAt, UpdatedAt = u.UpdatedAt,
    };
}
