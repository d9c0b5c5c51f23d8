using DanVanKheo.Api.Audit;
using DanVanKheo.Api.Common;

namespace DanVanKheo.Api.Entries;

public enum EntrySortField
{
    Code,
    Title,
    UpdatedAt,
    StartDate,
    Year,
}

public sealed record EntrySortKey(EntrySortField Field, SortDirection Direction);

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
    /// <summary>A filter tree on top of the fields above (all must hold); its fields are those of <see cref="EntryQuerying.Capabilities"/>.</summary>
    public FilterNode? Where { get; init; }
    public EntryVisibility Visibility { get; init; } = EntryVisibility.Public;
}

/// <summary>
/// A multi-key order. <see cref="Keys"/> are the keys asked for, <see cref="Effective"/> what
/// the stores sort by: up to the first unique key, with the code appended when none is, so every
/// order is total and a cursor (the effective keys' values) is stable.
/// </summary>
public sealed record EntrySort
{
    public EntrySort(EntrySortField field = EntrySortField.Code, SortDirection direction = SortDirection.Desc)
        : this([new EntrySortKey(field, direction)])
    {
    }

    public EntrySort(IReadOnlyList<EntrySortKey> keys)
    {
        if (keys.Count == 0) keys = [new EntrySortKey(EntrySortField.Code, SortDirection.Desc)];
        Keys = keys;
        var effective = new List<EntrySortKey>();
        foreach (var key in keys)
        {
            effective.Add(key);
            if (IsUnique(key.Field)) break;
        }
        if (!IsUnique(effective[^1].Field)) effective.Add(new EntrySortKey(EntrySortField.Code, effective[^1].Direction));
        Effective = effective;
    }

    public IReadOnlyList<EntrySortKey> Keys { get; }
    public IReadOnlyList<EntrySortKey> Effective { get; }

    public EntrySortField Field => Keys[0].Field;
    public SortDirection Direction => Keys[0].Direction;

    /// <summary>Names the order inside cursors, so a cursor of another order is refused.</summary>
    public string Tag => string.Join(",", Effective.Select(k => $"{k.Field}:{k.Direction}".ToUpperInvariant()));

    /// <summary>Title, updated and start keys end with the code, so they never tie.</summary>
    public static bool IsUnique(EntrySortField field) => field != EntrySortField.Year;

    /// <summary>An order-preserving string of one sort field (what indexes, cursors and scans compare).</summary>
    public static string ValueOf(Entry e, EntrySortField field) => field switch
    {
        EntrySortField.Code => e.Code,
        EntrySortField.Title => e.TitleKey,
        EntrySortField.UpdatedAt => e.UpdatedKey,
        EntrySortField.StartDate => e.StartKey,
        EntrySortField.Year => YearValue(e.Year),
        _ => throw new ArgumentOutOfRangeException(nameof(field)),
    };

    public static string YearValue(int year) => year.ToString("D4", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The order-preserving value of one sort field (<see cref="ValueOf"/>).</summary>
    public static string KeyOf(Entry e, EntrySortField field) => ValueOf(e, field);

    /// <summary>The cursor key of an entry: its effective sort values.</summary>
    public string CursorOf(Entry e) => EncodeKey(Effective.Select(k => ValueOf(e, k.Field)).ToList());

    public static string EncodeKey(IReadOnlyList<string> values) => System.Text.Json.JsonSerializer.Serialize(values);

    /// <summary>The effective sort values inside a cursor key; null when it is not one of this order.</summary>
    public IReadOnlyList<string>? DecodeKey(string? key)
    {
        if (key is null) return null;
        try
        {
            var values = System.Text.Json.JsonSerializer.Deserialize<List<string>>(key);
            if (values is not null && values.Count == Effective.Count && values.All(v => v is not null)) return values;
        }
        catch (System.Text.Json.JsonException)
        {
        }
        return null;
    }

    /// <summary>The keyset plan of one page in this order.</summary>
    public TupleKeysetPlan Plan(PageRequest page) => TupleKeysetPlan.For(Effective.Select(k => k.Direction).ToList(), page, DecodeKey);
}

/// <summary>How entry filters compare the fields they read, the same in every store.</summary>
public static class EntryFilterValues
{
    /// <summary>
    /// The folded title inside a title sort key (title filters compare folded text): the middle part of
    /// a current key (collation key, folded title, code), the head of a key of the older folded format.
    /// </summary>
    public static string FoldedTitle(string titleKey)
    {
        var start = VietnameseCollation.IsCurrent(titleKey) ? titleKey.IndexOf('\u0001') + 1 : 0;
        var end = titleKey.IndexOf('\u0001', start);
        return end < 0 ? titleKey[start..] : titleKey[start..end];
    }

    public static string UpdatedValue(DateTime instant) =>
        instant.ToUniversalTime().Ticks.ToString("D19", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// An updatedAt comparison as bounds on the updated key ("ticks|code"): the lower bound
    /// inclusive, the upper exclusive ('}' sorts right after the '|' every key has after its ticks).
    /// </summary>
    public static (string? From, string? Before) UpdatedBounds(FilterOperator op, DateTime instant)
    {
        var v = UpdatedValue(instant);
        return op switch
        {
            FilterOperator.Gt => (v + "}", null),
            FilterOperator.Gte => (v, null),
            FilterOperator.Lt => (null, v),
            FilterOperator.Lte => (null, v + "}"),
            _ => throw new ArgumentOutOfRangeException(nameof(op)),
        };
    }
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
