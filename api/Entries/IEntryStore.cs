using DanVanKheo.Api.Audit;
using DanVanKheo.Api.Common;

namespace DanVanKheo.Api.Entries;

public enum EntrySortField
{
    Code,
    Title,
    UpdatedAt,
    StartDate,
}

/// <summary>
/// Which drafts the caller may see. Non-draft entries are public; drafts only to their unit
/// subtree's editors (<see cref="DraftUnitScope"/>) or to everyone with <see cref="AllDrafts"/>.
/// </summary>
public sealed record EntryVisibility(bool AllDrafts, string? DraftUnitScope)
{
    public static EntryVisibility Public { get; } = new(false, null);
    public static EntryVisibility Everything { get; } = new(true, null);

    public bool CanSee(Entry e) =>
        e.Status != EntryStatus.Draft || AllDrafts ||
        (DraftUnitScope is not null && e.UnitLineage.Contains(DraftUnitScope));
}

public sealed record EntryFilter
{
    /// <summary>Folded word prefixes; every one must prefix some token of the entry.</summary>
    public IReadOnlyList<string> SearchTerms { get; init; } = [];
    public string? UnitId { get; init; }
    public bool IncludeSubunits { get; init; }
    public string? FieldId { get; init; }
    public EntryKind? Kind { get; init; }
    public IReadOnlyList<EntryStatus> Statuses { get; init; } = [];
    public int? Year { get; init; }
    public EntryVisibility Visibility { get; init; } = EntryVisibility.Public;
}

public sealed record EntrySort(EntrySortField Field = EntrySortField.Code, SortDirection Direction = SortDirection.Desc)
{
    /// <summary>The unique, indexed key that orders entries for this sort.</summary>
    public static string KeyOf(Entry e, EntrySortField field) => field switch
    {
        EntrySortField.Code => e.Code,
        EntrySortField.Title => e.TitleKey,
        EntrySortField.UpdatedAt => e.UpdatedKey,
        EntrySortField.StartDate => e.StartKey,
        _ => throw new ArgumentOutOfRangeException(nameof(field)),
    };
}

/// <summary>Storage port for entries, shaped by the registry's use cases.</summary>
public interface IEntryStore
{
    /// <summary>
    /// Atomically reserves <paramref name="count"/> consecutive sequence numbers for
    /// <paramref name="year"/> and returns the first. Numbers are never handed out twice. For bulk
    /// loads of registered entries (the seed); the API registers entries with <see cref="RegisterAsync"/>.
    /// </summary>
    Task<long> ReserveSequenceAsync(int year, int count, CancellationToken ct = default);

    /// <summary>
    /// Stores a just-submitted entry (<see cref="EntryRules.Submit"/>) if the stored version is
    /// <paramref name="expectedVersion"/>, giving it the next code of its registration year
    /// (<see cref="EntryRules.AssignCode"/>), with <paramref name="audit"/>'s event: one transaction,
    /// so a refused or failed submit uses no number and two submits never share one (codes are
    /// contiguous per year). False, and nothing changed, when the version moved.
    /// </summary>
    Task<bool> RegisterAsync(Entry entry, int expectedVersion, AuditScope? audit, CancellationToken ct = default);

    /// <summary>
    /// The migration to codes reserved at registration: drafts stored with a public code give it up
    /// (<see cref="EntryRules.WithdrawDraftCode"/>); registered entries keep theirs. Idempotent;
    /// returns how many drafts changed.
    /// </summary>
    Task<int> WithdrawDraftCodesAsync(CancellationToken ct = default);

    /// <exception cref="DuplicateKeyException">the code exists.</exception>
    Task InsertAsync(Entry entry, CancellationToken ct = default) => InsertAsync(entry, null, ct);

    /// <summary>Inserts the entry with <paramref name="audit"/>'s event (none when null), all or nothing.</summary>
    /// <exception cref="DuplicateKeyException">the code exists.</exception>
    Task InsertAsync(Entry entry, AuditScope? audit, CancellationToken ct = default);

    Task InsertManyAsync(IReadOnlyList<Entry> entries, CancellationToken ct = default);

    Task<IReadOnlyList<Entry>> GetByIdsAsync(IReadOnlyCollection<string> ids, CancellationToken ct = default);
    Task<Entry?> GetByCodeAsync(string code, CancellationToken ct = default);

    /// <summary>
    /// Replaces the entry if the stored version is <paramref name="expectedVersion"/>;
    /// returns false and changes nothing otherwise.
    /// </summary>
    Task<bool> ReplaceAsync(Entry entry, int expectedVersion, AuditScope? audit, CancellationToken ct = default);

    Task<bool> ReplaceAsync(Entry entry, int expectedVersion, CancellationToken ct = default) => ReplaceAsync(entry, expectedVersion, null, ct);

    Task<Page<Entry>> FindAsync(EntryFilter filter, EntrySort sort, PageRequest page, CancellationToken ct = default);

    Task<long> CountAsync(CancellationToken ct = default);
}
