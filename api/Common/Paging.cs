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

/// <summary>
/// A keyset page over a multi-key order: each row's key is the tuple of its sort values
/// (order-preserving strings), compared key by key in each key's direction. A backward page
/// reads the order reversed from <see cref="Start"/> and is turned round at the end.
/// </summary>
public sealed record TupleKeysetPlan(IReadOnlyList<SortDirection> Directions, bool Backward,
    IReadOnlyList<string>? Start, IReadOnlyList<string>? End, int Take)
{
    public static TupleKeysetPlan For(IReadOnlyList<SortDirection> directions, PageRequest page, Func<string?, IReadOnlyList<string>?> decode) =>
        new(directions, page.Backward,
            decode(page.Backward ? page.Before : page.After),
            decode(page.Backward ? page.After : page.Before),
            page.Size + 1);

    /// <summary>The direction each key is read in (flipped for a backward page).</summary>
    public IReadOnlyList<SortDirection> ReadDirections => Backward
        ? Directions.Select(d => d == SortDirection.Asc ? SortDirection.Desc : SortDirection.Asc).ToList()
        : Directions;

    /// <summary>Compares two tuples in reading order.</summary>
    public int CompareInReadOrder(IReadOnlyList<string> a, IReadOnlyList<string> b)
    {
        var read = ReadDirections;
        for (var i = 0; i < read.Count; i++)
        {
            var c = string.CompareOrdinal(a[i], b[i]);
            if (c != 0) return read[i] == SortDirection.Asc ? Math.Sign(c) : -Math.Sign(c);
        }
        return 0;
    }

    /// <summary>Whether a row lies strictly between the page's bounds.</summary>
    public bool Within(IReadOnlyList<string> row) =>
        (Start is null || CompareInReadOrder(row, Start) > 0) && (End is null || CompareInReadOrder(row, End) < 0);

    /// <summary>Turns the rows read (in reading order, up to <see cref="Take"/>) into a page in display order.</summary>
    public Page<T> ToPage<T>(List<T> rows, PageRequest page, long totalCount)
    {
        var more = rows.Count > page.Size;
        if (more) rows.RemoveAt(rows.Count - 1);
        if (Backward) rows.Reverse();
        return page.Backward
            ? new Page<T>(rows, page.Before is not null, more, totalCount)
            : new Page<T>(rows, more, page.After is not null, totalCount);
    }
}
