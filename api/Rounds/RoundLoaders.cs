using DanVanKheo.Api.Auth;
using DanVanKheo.Api.Councils;
using DanVanKheo.Api.Entries;
using DanVanKheo.Api.GraphQL;
using GraphQL;
using GraphQL.DataLoader;
using GraphQL.Types;

namespace DanVanKheo.Api.Rounds;

public sealed record BallotCount(int Value);

public static class RoundLoaders
{
    public static IDataLoaderResult<Round?> LoadRound(this IResolveFieldContext context, string id) => context.Loaders().Rounds.Load(id);

    public static IDataLoaderResult<Nomination?> LoadNomination(this IResolveFieldContext context, string id) => context.Loaders().Nominations.Load(id);

    public static IDataLoaderResult<RoundTally?> LoadTally(this IResolveFieldContext context, string roundId) => context.Loaders().Tallies.Load(roundId);

    public static IDataLoaderResult<int> LoadBallotCount(this IResolveFieldContext context, string nominationId) =>
        context.Loaders().BallotCounts.Load(nominationId).Then(c => c?.Value ?? 0);

    public static IDataLoaderResult<List<Nomination>?> LoadNominationsOfEntry(this IResolveFieldContext context, string entryId) =>
        context.Loaders().NominationsOfEntry.Load(entryId);

    public static IDataLoaderResult<List<Recognition>?> LoadRecognitionsOfEntry(this IResolveFieldContext context, string entryId) =>
        context.Loaders().RecognitionsOfEntry.Load(entryId);
}

/// <summary>Round fields on other features' types.</summary>
public static class RoundFields
{
    public static void ExtendEntry(ObjectGraphType<Entry> entry)
    {
        entry.Field<NonNullGraphType<ListGraphType<NonNullGraphType<NominationGraphType>>>>("nominations")
            .Description("Every nomination of this entry into a round, withdrawn ones included, oldest first.")
            .Resolve(c => c.LoadNominationsOfEntry(c.Source.Id).Then(l => (IReadOnlyList<Nomination>?)l ?? []));
        entry.Field<NonNullGraphType<ListGraphType<NonNullGraphType<RecognitionGraphType>>>>("recognitions")
            .Description("Recognitions received from published rounds, oldest first.")
            .Resolve(c => c.LoadRecognitionsOfEntry(c.Source.Id).Then(l => (IReadOnlyList<Recognition>?)l ?? []));
    }
}

internal static class DataLoaderResultExtensions
{
    public static IDataLoaderResult<TOut> Then<TIn, TOut>(this IDataLoaderResult<TIn> inner, Func<TIn, TOut> map) => new Mapped<TIn, TOut>(inner, map);

    private sealed class Mapped<TIn, TOut>(IDataLoaderResult<TIn> inner, Func<TIn, TOut> map) : IDataLoaderResult<TOut>
    {
        public async Task<TOut> GetResultAsync(CancellationToken cancellationToken = default) =>
            map(await inner.GetResultAsync(cancellationToken).ConfigureAwait(false));

        async Task<object?> IDataLoaderResult.GetResultAsync(CancellationToken cancellationToken) =>
            await GetResultAsync(cancellationToken).ConfigureAwait(false);
    }
}
