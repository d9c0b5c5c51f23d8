namespace DanVanKheo.Api.Common;

/// <summary>
/// A keyset page request. <see cref="After"/> and <see cref="Before"/> are sort keys taken from a
/// previous page, never offsets, so page 500 costs what page 1 costs. <see cref="Backward"/>
/// asks for the last <see cref="Size"/> items before <see cref="Before"/> (or of the whole list).
/// Counting every match costs a pass over them, so <see cref="CountTotal"/> is false when nobody asked.
/// </summary>
public sealed record PageRequest(int Size, string? After = null, string? Before = null, bool Backward = false, bool CountTotal = true)
{
    public const int MaxPageSize = 200;
    public const int DefaultPageSize = 20;
}

/// <summary>A page of items; <see cref="TotalCount"/> is -1 when it was not asked for.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, bool HasNextPage, bool HasPreviousPage, long TotalCount);

public enum SortDirection
{
    Asc,
    Desc,
}

/// <summary>What an adapter needs to run a keyset page: the bounds and the order to read in.</summary>
public sealed record KeysetPlan(bool ReadAscending, string? GreaterThan, string? LessThan, int Take, bool Reverse)
{
    public static KeysetPlan For(SortDirection direction, PageRequest page)
    {
        var asc = direction == SortDirection.Asc;
        var greater = asc ? page.After : page.Before;
        var less = asc ? page.Before : page.After;
        return new KeysetPlan(asc ^ page.Backward, greater, less, page.Size + 1, page.Backward);
    }

    /// <summary>Turns the rows read (up to <see cref="Take"/>) into a page in display order.</summary>
    public Page<T> ToPage<T>(List<T> rows, PageRequest page, long totalCount)
    {
        var more = rows.Count > page.Size;
        if (more) rows.RemoveAt(rows.Count - 1);
        if (Reverse) rows.Reverse();
        return page.Backward
            ? new Page<T>(rows, page.Before is not null, more, totalCount)
            : new Page<T>(rows, more, page.After is not null, totalCount);
    }
}
