using System.Collections.Concurrent;
using DanVanKheo.Api.Units;

namespace DanVanKheo.Api.Storage.LiteDb;

/// <summary>
/// Every unit of the embedded store in memory, loaded on first use and updated after each
/// committed unit write (under the write gate; Direct mode keeps other writers out).
/// </summary>
internal sealed class UnitSnapshot(LiteDbContext db)
{
    private volatile ConcurrentDictionary<string, Unit>? _units;

    private ConcurrentDictionary<string, Unit> Units
    {
        get
        {
            if (_units is { } loaded) return loaded;
            // Under the write gate: no unit commits while the snapshot is read from the store.
            lock (db.WriteGate)
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
