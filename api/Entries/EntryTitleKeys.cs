using DanVanKheo.Api.Common;

namespace DanVanKheo.Api.Entries;

/// <summary>
/// Brings stored title keys to the current Vietnamese collation (<see cref="VietnameseCollation"/>):
/// keys of the older folded format or of another ICU version are rewritten, once, at start. Two
/// one-row reads tell whether anything is stale (stale keys sort before or after every current one).
/// </summary>
public static class EntryTitleKeys
{
    private const int Batch = 500;
    private static readonly EntryFilter All = new() { Visibility = EntryVisibility.Everything };

    public static async Task<bool> AllCurrentAsync(IEntryStore store, CancellationToken ct)
    {
        foreach (var direction in new[] { SortDirection.Asc, SortDirection.Desc })
        {
            var edge = await store.FindAsync(All, new EntrySort(EntrySortField.Title, direction), new PageRequest(1, CountTotal: false), ct);
            if (edge.Items.Count > 0 && !VietnameseCollation.IsCurrent(edge.Items[0].TitleKey)) return false;
        }
        return true;
    }

    /// <summary>Rewrites every stale key; returns how many. An entry changed meanwhile got a current key from that change.</summary>
    public static async Task<int> BackfillAsync(IEntryStore store, CancellationToken ct)
    {
        if (await AllCurrentAsync(store, ct)) return 0;
        var rewritten = 0;
        string? after = null;
        while (true)
        {
            var page = await store.FindAsync(All, new EntrySort(EntrySortField.Code, SortDirection.Asc), new PageRequest(Batch, after, CountTotal: false), ct);
            foreach (var entry in page.Items)
            {
                var key = EntryRules.TitleKeyOf(entry.Title, entry.Code);
                if (key == entry.TitleKey) continue;
                entry.TitleKey = key;
                // Same version: a key is not a change a client could conflict with.
                if (await store.ReplaceAsync(entry, entry.Version, ct)) rewritten++;
            }
            if (!page.HasNextPage || page.Items.Count == 0) return rewritten;
            after = page.Items[^1].Code;
        }
    }
}
