using System.Buffers;
using System.Collections.Concurrent;
using System.Numerics;
using System.Runtime.CompilerServices;
using DanVanKheo.Api.Common;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Util;

namespace DanVanKheo.Api.Storage.LiteDb.Search;

/// <summary>One required condition: a document matches when any of its terms matches.</summary>
internal sealed record SearchClause(IReadOnlyList<SearchTerm> AnyOf);

/// <summary>A term of a field; <see cref="Prefix"/>: every term the text starts with (a long word's prefix scan).</summary>
internal sealed record SearchTerm(string Field, string Text, bool Prefix = false);

/// <summary>
/// Answers a page of an entry search on the Lucene index with bitsets instead of Lucene's
/// collectors. A broad search ("dan van kheo": a quarter of a million matches at national scale)
/// spent its time visiting every match twice over postings (count, then a sort-by-doc-values
/// collector keeping the best page). Here each clause becomes one bit per document (the bits of
/// terms that match many documents are kept per segment, as segments never change), clauses
/// are combined word by word (1M documents are 15,625 words), the total is a population count,
/// and the page is read by walking each segment's documents in the sort key's order (kept per
/// segment and sort field) until enough set bits are found: for a broad search that is a few
/// dozen documents, for a narrow one a few thousand, never a sort of the matches.
/// </summary>
internal sealed class BitsetSearch
{
    /// <summary>A term's bits are kept when it matches at least this share of a segment (1/n).</summary>
    private const int CacheShare = 128;
    /// <summary>Kept term bitsets per segment: bounds the cache at about this many bits per document.</summary>
    private const int MaxCachedTermsPerSegment = 256;

    private readonly ConditionalWeakTable<object, SegmentCache> _segments = new();
    private readonly ConditionalWeakTable<IBits, long[]> _liveBits = new();

    private sealed class SegmentCache
    {
        public readonly ConcurrentDictionary<(string Field, string Text), long[]> Terms = new();
        public readonly ConcurrentDictionary<string, Lazy<KeyOrder>> Orders = new();
    }

    /// <summary>A segment's documents in ascending order of one sort key; <see cref="Starts"/>[ord + 1] is where ord's documents begin (ord -1: no key).</summary>
    private sealed record KeyOrder(int[] Docs, int[] Starts, SortedDocValues Values);

    public readonly record struct Hit(BytesRef Key, AtomicReader Reader, int Doc);

    /// <summary>
    /// The first <paramref name="take"/> matches after <paramref name="greaterThan"/> and before
    /// <paramref name="lessThan"/> (both exclusive, either may be null) in the order of
    /// <paramref name="sortField"/>, and the number of all matches (cursors aside) when asked.
    /// </summary>
    public (List<Hit> Hits, long Total) Search(IndexReader reader, IReadOnlyList<SearchClause> clauses, string sortField,
        bool ascending, string? greaterThan, string? lessThan, int take, bool countTotal)
    {
        var hits = new List<Hit>();
        long total = 0;
        var low = greaterThan is null ? null : new BytesRef(greaterThan);
        var high = lessThan is null ? null : new BytesRef(lessThan);
        foreach (var leaf in reader.Leaves)
        {
            var segment = leaf.AtomicReader;
            var words = (segment.MaxDoc + 63) >> 6;
            if (words == 0) continue;
            var matches = ArrayPool<long>.Shared.Rent(words);
            var scratch = ArrayPool<long>.Shared.Rent(words);
            try
            {
                if (!Match(segment, clauses, matches, scratch, words)) continue;
                if (countTotal)
                    for (var i = 0; i < words; i++) total += BitOperations.PopCount((ulong)matches[i]);
                Collect(segment, Order(segment, sortField), matches, ascending, low, high, take, hits);
            }
            finally
            {
                ArrayPool<long>.Shared.Return(matches);
                ArrayPool<long>.Shared.Return(scratch);
            }
        }
        hits.Sort((a, b) => ascending ? a.Key.CompareTo(b.Key) : b.Key.CompareTo(a.Key));
        if (hits.Count > take) hits.RemoveRange(take, hits.Count - take);
        return (hits, countTotal ? total : -1);
    }

    /// <summary>Fills <paramref name="result"/> with the live documents matching every clause; false when none can.</summary>
    private bool Match(AtomicReader segment, IReadOnlyList<SearchClause> clauses, long[] result, long[] scratch, int words)
    {
        var maxDoc = segment.MaxDoc;
        if (clauses.Count == 0)
        {
            Array.Fill(result, -1L, 0, words);
            if ((maxDoc & 63) != 0) result[words - 1] = (long)((1UL << (maxDoc & 63)) - 1);
        }
        for (var c = 0; c < clauses.Count; c++)
        {
            var target = c == 0 ? result : scratch;
            var any = clauses[c].AnyOf;
            if (any.Count == 1 && CachedTerm(segment, any[0]) is { } cached)
            {
                if (c == 0) Array.Copy(cached, result, words);
                else And(result, cached, words);
                continue;
            }
            Array.Clear(target, 0, words);
            foreach (var term in any)
            {
                if (CachedTerm(segment, term) is { } bits) Or(target, bits, words);
                else SetBits(segment, term, target);
            }
            if (c > 0) And(result, scratch, words);
        }
        if (segment.LiveDocs is { } live) And(result, LiveBits(live, maxDoc, words), words);
        for (var i = 0; i < words; i++)
            if (result[i] != 0) return true;
        return false;
    }

    private static void And(long[] into, long[] other, int words)
    {
        for (var i = 0; i < words; i++) into[i] &= other[i];
    }

    private static void Or(long[] into, long[] other, int words)
    {
        for (var i = 0; i < words; i++) into[i] |= other[i];
    }

    /// <summary>The kept bits of a term that matches a good share of the segment, or null (a rare term is read from its postings each time).</summary>
    private long[]? CachedTerm(AtomicReader segment, SearchTerm term)
    {
        if (term.Prefix) return null;
        var cache = _segments.GetValue(segment.CoreCacheKey, static _ => new SegmentCache());
        if (cache.Terms.TryGetValue((term.Field, term.Text), out var bits)) return bits;
        var docFreq = segment.DocFreq(new Term(term.Field, term.Text));
        if (docFreq < segment.MaxDoc / CacheShare || docFreq == 0 || cache.Terms.Count >= MaxCachedTermsPerSegment) return null;
        bits = new long[(segment.MaxDoc + 63) >> 6];
        SetBits(segment, term, bits);
        return cache.Terms.GetOrAdd((term.Field, term.Text), bits);
    }

    /// <summary>Sets the bit of every document (deleted ones included) that has the term.</summary>
    private static void SetBits(AtomicReader segment, SearchTerm term, long[] bits)
    {
        var terms = segment.GetTerms(term.Field);
        if (terms is null) return;
        var termsEnum = terms.GetEnumerator();
        var text = new BytesRef(term.Text);
        DocsEnum? docs = null;
        if (!term.Prefix)
        {
            if (!termsEnum.SeekExact(text)) return;
            SetDocs(docs = termsEnum.Docs(null, docs, DocsFlags.NONE), bits);
            return;
        }
        if (termsEnum.SeekCeil(text) == TermsEnum.SeekStatus.END) return;
        do
        {
            if (!StringHelper.StartsWith(termsEnum.Term, text)) return;
            SetDocs(docs = termsEnum.Docs(null, docs, DocsFlags.NONE), bits);
        }
        while (termsEnum.MoveNext());
    }

    private static void SetDocs(DocsEnum docs, long[] bits)
    {
        int doc;
        while ((doc = docs.NextDoc()) != DocIdSetIterator.NO_MORE_DOCS) bits[doc >> 6] |= 1L << (doc & 63);
    }

    private long[] LiveBits(IBits live, int maxDoc, int words) =>
        _liveBits.GetValue(live, l =>
        {
            var bits = new long[words];
            for (var d = 0; d < maxDoc; d++)
                if (l.Get(d)) bits[d >> 6] |= 1L << (d & 63);
            return bits;
        });

    private KeyOrder Order(AtomicReader segment, string field)
    {
        var cache = _segments.GetValue(segment.CoreCacheKey, static _ => new SegmentCache());
        return cache.Orders.GetOrAdd(field, f => new Lazy<KeyOrder>(() => BuildOrder(segment, f))).Value;
    }

    /// <summary>A counting sort of the segment's documents by their key's ordinal (keys are unique, so buckets hold one live document).</summary>
    private static KeyOrder BuildOrder(AtomicReader segment, string field)
    {
        var values = segment.GetSortedDocValues(field) ?? DocValues.EMPTY_SORTED;
        var maxDoc = segment.MaxDoc;
        var ords = new int[maxDoc];
        var starts = new int[values.ValueCount + 2];
        for (var d = 0; d < maxDoc; d++)
        {
            ords[d] = values.GetOrd(d);
            starts[ords[d] + 2]++;
        }
        for (var b = 1; b < starts.Length; b++) starts[b] += starts[b - 1];
        var next = (int[])starts.Clone();
        var docs = new int[maxDoc];
        for (var d = 0; d < maxDoc; d++) docs[next[ords[d] + 1]++] = d;
        return new KeyOrder(docs, starts, values);
    }

    /// <summary>Adds the segment's first <paramref name="take"/> matches in order, within the bounds.</summary>
    private static void Collect(AtomicReader segment, KeyOrder order, long[] matches, bool ascending, BytesRef? low, BytesRef? high, int take, List<Hit> hits)
    {
        var from = low is null ? 0 : Position(order, low, after: true);
        var to = high is null ? order.Docs.Length : Position(order, high, after: false);
        var found = 0;
        for (var i = ascending ? from : to - 1; found < take && (ascending ? i < to : i >= from); i += ascending ? 1 : -1)
        {
            var doc = order.Docs[i];
            if ((matches[doc >> 6] & (1L << (doc & 63))) == 0) continue;
            var ord = order.Values.GetOrd(doc);
            var key = new BytesRef();
            if (ord >= 0) order.Values.LookupOrd(ord, key);
            hits.Add(new Hit(BytesRef.DeepCopyOf(key), segment, doc));
            found++;
        }
    }

    /// <summary>The first position whose key is greater than (<paramref name="after"/>) or not less than <paramref name="key"/>.</summary>
    private static int Position(KeyOrder order, BytesRef key, bool after)
    {
        var ord = order.Values.LookupTerm(key);
        return ord >= 0 ? order.Starts[ord + (after ? 2 : 1)] : order.Starts[-ord - 1 + 1];
    }
}
