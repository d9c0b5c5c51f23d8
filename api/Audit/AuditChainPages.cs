using DanVanKheo.Api.Common;

namespace DanVanKheo.Api.Audit;

/// <summary>One call's worth of chain verification, and where the next call goes on.</summary>
public sealed record AuditChainVerification(IReadOnlyList<AuditChainReport> Reports, int EventsChecked, AuditChainPosition? Next);

/// <summary>Where verification goes on: <see cref="Sequence"/> of <see cref="Stream"/>, or (0) the stream after it.</summary>
public sealed record AuditChainPosition(string Stream, long Sequence);

/// <summary>
/// Verifies hash chains in bounded calls: at most <see cref="MaxStreams"/> streams and
/// <see cref="EventBudget"/> events per call, each read a page at a time; a stream longer than
/// the budget is cut and continued by the next call from the event where it stopped (anchored on
/// the event before, re-hashed). Memory and work per call stay bounded however large the log is.
/// </summary>
public static class AuditChainPages
{
    public const int DefaultStreams = 50;
    public const int MaxStreams = 200;
    public const int EventBudget = 10_000;
    private const int ReadPage = 1_000;

    public static async Task<AuditChainVerification> VerifyAsync(IAuditStore store, string? stream, AuditChainPosition? from, int streams,
        CancellationToken ct, int eventBudget = EventBudget)
    {
        var reports = new List<AuditChainReport>();
        var budget = eventBudget;
        // The streams to check, in order: the one a continuation points into (or the one asked for), then the next ones by name.
        var pending = new Queue<(string Stream, long Sequence)>();
        if (stream is not null)
        {
            if (from is { Sequence: 0 }) return new AuditChainVerification([], 0, null);
            pending.Enqueue((stream, from?.Sequence ?? 1));
        }
        else if (from is { Sequence: > 0 })
            pending.Enqueue((from.Stream, from.Sequence));
        var listedAfter = from?.Stream;
        var listedAll = stream is not null;

        while (reports.Count < streams)
        {
            if (pending.Count == 0)
            {
                if (listedAll) break;
                var names = await store.ListStreamsAsync(listedAfter, streams - reports.Count, ct);
                if (names.Count < streams - reports.Count) listedAll = true;
                foreach (var name in names) pending.Enqueue((name, 1));
                if (names.Count == 0) break;
                listedAfter = names[^1];
            }
            var (name1, sequence) = pending.Dequeue();
            if (budget == 0) return new AuditChainVerification(reports, eventBudget, new AuditChainPosition(name1, sequence));
            var (report, next) = await VerifyStreamAsync(store, name1, sequence, budget, ct);
            reports.Add(report);
            budget -= report.Events;
            if (next is not null) return new AuditChainVerification(reports, eventBudget - budget, next);
        }
        var more = pending.Count > 0 ? new AuditChainPosition(pending.Peek().Stream, pending.Peek().Sequence)
            : listedAll || reports.Count == 0 ? null
            : new AuditChainPosition(reports[^1].Stream, 0);
        return new AuditChainVerification(reports, eventBudget - budget, more);
    }

    /// <summary>Checks one stream from <paramref name="sequence"/>, within <paramref name="budget"/> events; the position to go on from when cut.</summary>
    private static async Task<(AuditChainReport, AuditChainPosition?)> VerifyStreamAsync(IAuditStore store, string stream, long sequence, int budget,
        CancellationToken ct)
    {
        AuditEvent? anchor = null;
        if (sequence > 1)
            anchor = (await store.GetStreamAsync(stream, sequence - 1, 1, ct)).FirstOrDefault(e => e.Sequence == sequence - 1);
        var start = sequence;
        var checkedEvents = 0;
        while (true)
        {
            var want = Math.Min(ReadPage, budget - checkedEvents);
            // One more than wanted tells a cut stream from one that ends exactly at the budget.
            var page = await store.GetStreamAsync(stream, sequence, want + 1, ct);
            var part = page.Count > want ? page.Take(want).ToList() : page;
            var report = AuditChain.Verify(stream, anchor, sequence, part, complete: true);
            if (!report.Valid)
                return (report with { Events = checkedEvents + report.Events, FromSequence = start }, null);
            checkedEvents += part.Count;
            if (page.Count <= want)
                return (new AuditChainReport(stream, true, checkedEvents, null, null, start, true), null);
            anchor = part[^1];
            sequence = anchor.Sequence + 1;
            if (checkedEvents >= budget)
                return (new AuditChainReport(stream, true, checkedEvents, null, null, start, false), new AuditChainPosition(stream, sequence));
        }
    }
}
