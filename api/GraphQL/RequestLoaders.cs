using DanVanKheo.Api.Auth;
using DanVanKheo.Api.Councils;
using DanVanKheo.Api.Entries;
using DanVanKheo.Api.Fields;
using DanVanKheo.Api.Replications;
using DanVanKheo.Api.Rounds;
using DanVanKheo.Api.Units;

namespace DanVanKheo.Api.GraphQL;

/// <summary>
/// The DataLoaders of one request (request-scoped): built by DI with the store ports, resolved once
/// by the transport and carried on <see cref="RegistryUserContext"/>, so the features'
/// <c>c.LoadUnit(id)</c>-style helpers need no service lookup. Each loader batches the keys asked
/// for while one level of the query executes and caches results for the rest of the request.
/// </summary>
public sealed class RequestLoaders(
    IUnitStore units,
    IEntryStore entries,
    IFieldStore fields,
    ICouncilStore councils,
    IRoundStore rounds,
    IReplicationStore replications,
    RequestContext request)
{
    public BatchLoader<string, Unit> Units { get; } = new(async (ids, ct) =>
        (await units.GetByIdsAsync(ids, ct)).ToDictionary(u => u.Id));

    /// <summary>Entries by id for this request's caller: drafts they may not see are left out (read as null).</summary>
    public BatchLoader<string, Entry> Entries { get; } = new(async (ids, ct) =>
    {
        // Read when the batch runs, not when the loader is built: the transport starts the request context first,
        // but nothing here should depend on that order.
        var visibility = EntryAccess.VisibilityFor(request.Caller);
        return (await entries.GetByIdsAsync(ids, ct)).Where(visibility.CanSee).ToDictionary(e => e.Id);
    });

    public BatchLoader<string, Field> Fields { get; } = new(async (ids, ct) =>
        (await fields.GetByIdsAsync(ids, ct)).ToDictionary(f => f.Id));

    public BatchLoader<string, Council> Councils { get; } = new(async (ids, ct) =>
        (await councils.GetByIdsAsync(ids, ct)).ToDictionary(x => x.Id));

    public BatchLoader<string, Round> Rounds { get; } = new(async (ids, ct) =>
        (await rounds.GetByIdsAsync(ids, ct)).ToDictionary(x => x.Id));

    public BatchLoader<string, Nomination> Nominations { get; } = new(async (ids, ct) =>
        (await rounds.GetNominationsByIdsAsync(ids, ct)).ToDictionary(x => x.Id));

    /// <summary>Tallies by round id; the port reads one tally per call.</summary>
    public BatchLoader<string, RoundTally> Tallies { get; } = new(async (ids, ct) =>
    {
        var result = new Dictionary<string, RoundTally>();
        foreach (var id in ids)
            if (await rounds.GetTallyAsync(id, ct) is { } tally) result[id] = tally;
        return result;
    });

    public BatchLoader<string, BallotCount> BallotCounts { get; } = new(async (ids, ct) =>
        (await rounds.CountBallotsAsync(ids, ct)).ToDictionary(kv => kv.Key, kv => new BallotCount(kv.Value)));

    public BatchLoader<string, List<Nomination>> NominationsOfEntry { get; } = new(async (ids, ct) =>
        (await rounds.ListNominationsOfEntriesAsync(ids, ct)).GroupBy(n => n.EntryId).ToDictionary(g => g.Key, g => g.ToList()));

    public BatchLoader<string, List<Recognition>> RecognitionsOfEntry { get; } = new(async (ids, ct) =>
        (await rounds.ListRecognitionsOfEntriesAsync(ids, ct)).GroupBy(r => r.EntryId).ToDictionary(g => g.Key, g => g.ToList()));

    public BatchLoader<string, Replication> Replications { get; } = new(async (ids, ct) =>
        (await replications.GetByIdsAsync(ids, ct)).ToDictionary(r => r.Id));
}
