using DanVanKheo.Api.Rounds;
using DanVanKheo.Api.Entries;
using DanVanKheo.Api.Fields;
using DanVanKheo.Api.Replications;
using DanVanKheo.Api.Units;

namespace DanVanKheo.Api.Reports;

public sealed record ReportRequest(Unit Unit, int Year, bool IncludeSubunits, DateOnly? AsOf, EntryVisibility Visibility);

/// <summary>
/// Reads what a report needs from the ports (a bounded number of calls: the unit subtree, the
/// predecessors level by level, one aggregation, the replications page by page, one ranking) and hands
/// it to <see cref="ReportRules.Build"/>. Serves the GraphQL <c>report</c> query and the file exports.
/// Recognitions come from the recognition records the rounds confer (form, issuing level, decision).
/// </summary>
public sealed class ReportAssembler(
    IUnitStore units,
    IReportStore reports,
    IReplicationStore replicationStore,
    IFieldStore fieldStore,
    IRoundStore rounds,
    IEntryStore entries)
{
    public const int TopReplicated = 10;
    /// <summary>Replications read per store call while tallying a report.</summary>
    public const int ReplicationPage = 500;

    public async Task<AnnualReport> BuildAsync(ReportRequest request, CancellationToken ct)
    {
        var root = request.Unit;
        var known = new Dictionary<string, Unit> { [root.Id] = root };
        if (request.IncludeSubunits)
            foreach (var u in await units.GetSubtreeAsync(root.Id, ct)) known[u.Id] = u;
        var scopeIds = new List<string> { root.Id };
        if (request.AsOf is not null)
            scopeIds.AddRange((await UnitBatches.LoadPredecessorsAsync(units, known, ct)).Select(u => u.Id));

        var scope = new ReportScope(scopeIds, request.IncludeSubunits, request.Year, request.Visibility);
        var summaries = await reports.SummarizeAsync(scope, ct);
        var top = await replicationStore.MostReplicatedAsync(
            new LeaderboardFilter { Year = request.Year, SourceUnitSubtree = root.Id }, TopReplicated, ct);
        var fields = await fieldStore.ListAsync(ct);
        var recognitions = await CountRecognitionsAsync(scope, ct);

        var lineages = new Dictionary<string, IReadOnlyList<string>>();
        foreach (var u in summaries) lineages.TryAdd(u.UnitId, u.UnitLineage);

        Func<string, string?> attribute;
        Func<IEnumerable<string>, Task> prepare;
        if (request.AsOf is { } asOf)
        {
            var cache = new Dictionary<string, string?>();
            attribute = id => cache.TryGetValue(id, out var hit) ? hit : cache[id] = AttributeAsOf(id, root, request.IncludeSubunits, asOf, known);
            // Units are loaded before any of them is attributed: the unit, its successors on asOf and their ancestors.
            prepare = async ids =>
            {
                var missing = ids.Where(id => !known.ContainsKey(id)).Distinct().ToList();
                if (missing.Count == 0) return;
                await UnitBatches.LoadAsync(units, known, missing, ct);
                await UnitBatches.LoadSuccessorsAsync(units, known, asOf, ct);
                await UnitBatches.LoadAsync(units, known, known.Values.Where(u => u.IsValidOn(asOf)).SelectMany(u => u.AncestorIds).ToList(), ct);
            };
        }
        else
        {
            attribute = id => AttributeAsRegistered(id, lineages.GetValueOrDefault(id) ?? [], root.Id, request.IncludeSubunits);
            prepare = _ => Task.CompletedTask;
        }
        await prepare(lineages.Keys);

        // Replications a page at a time: memory holds one page and a tally per child, whatever the subtree's size.
        var replications = new Dictionary<string, ReplicationTally>(StringComparer.Ordinal);
        string? after = null;
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            var page = await replicationStore.FindAdoptedUnderAsync(scopeIds, after, ReplicationPage, ct);
            if (page.Count == 0) break;
            if (after is not null && string.CompareOrdinal(page[0].Id, after) <= 0)
                throw new InvalidOperationException("The replication store returned a page that does not follow the previous one.");
            foreach (var r in page) lineages.TryAdd(r.AdoptingUnitId, r.AdoptingUnitLineage);
            await prepare(page.Select(r => r.AdoptingUnitId));
            ReportRules.TallyReplications(replications, page, request.Year, r => attribute(r.AdoptingUnitId));
            if (page.Count < ReplicationPage) break;
            after = page[^1].Id;
        }

        return ReportRules.Build(new ReportInput
        {
            Unit = root,
            Year = request.Year,
            IncludeSubunits = request.IncludeSubunits,
            AsOf = request.AsOf,
            Summaries = summaries,
            FieldOrder = fields.Select(f => f.Id).ToList(),
            Attribute = attribute,
            ReplicationsByChild = replications,
            TopReplicated = top,
            Recognitions = recognitions,
        });
    }

    /// <summary>
    /// The recognitions conferred by the year's rounds on entries in scope (filed under a scope
    /// unit, or below it with subunits), by issuing level and form. A year has a few thousand at
    /// national scale: they and their entries are read in two batches.
    /// </summary>
    private async Task<IReadOnlyList<RecognitionTally>> CountRecognitionsAsync(ReportScope scope, CancellationToken ct)
    {
        var conferred = await rounds.ListRecognitionsOfYearAsync(scope.Year, ct);
        if (conferred.Count == 0) return [];
        var scopeUnits = scope.UnitIds.ToHashSet(StringComparer.Ordinal);
        var inScope = (await entries.GetByIdsAsync(conferred.Select(r => r.EntryId).Distinct().ToList(), ct))
            .Where(e => scope.Visibility.CanSee(e) &&
                        (scope.IncludeSubunits ? e.UnitLineage.Any(scopeUnits.Contains) : scopeUnits.Contains(e.UnitId)))
            .Select(e => e.Id)
            .ToHashSet(StringComparer.Ordinal);
        return conferred.Where(r => inScope.Contains(r.EntryId))
            .GroupBy(r => (r.Level, r.Form))
            .Select(g => new RecognitionTally(g.Key.Level, g.Key.Form, g.LongCount()))
            .ToList();
    }

    /// <summary>As filed: the unit's lineage at registration decides the child it rolls up into.</summary>
    public static string? AttributeAsRegistered(string unitId, IReadOnlyList<string> lineage, string rootId, bool includeSubunits)
    {
        if (!includeSubunits) return unitId == rootId ? rootId : null;
        var i = lineage.ToList().IndexOf(rootId);
        return i < 0 ? null : i + 1 < lineage.Count ? lineage[i + 1] : rootId;
    }

    /// <summary>
    /// Rolled up: the unit counts as its current successor on <paramref name="asOf"/> (the first by
    /// code when a split sent it to several, so nothing is counted twice), placed by today's tree.
    /// </summary>
    public static string? AttributeAsOf(string unitId, Unit root, bool includeSubunits, DateOnly asOf, IReadOnlyDictionary<string, Unit> known)
    {
        if (!known.TryGetValue(unitId, out var unit)) return null;
        var current = UnitRules.CurrentSuccessors(unit, asOf, id => known.GetValueOrDefault(id))
            .OrderBy(u => u.Code, StringComparer.Ordinal).FirstOrDefault();
        if (current is null) return null;
        if (!includeSubunits) return current.Id == root.Id ? root.Id : null;
        var lineage = current.Lineage();
        var i = lineage.IndexOf(root.Id);
        return i < 0 ? null : i + 1 < lineage.Count ? lineage[i + 1] : root.Id;
    }
}
