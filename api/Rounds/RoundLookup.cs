using DanVanKheo.Api.Common;
using DanVanKheo.Api.Councils;

namespace DanVanKheo.Api.Rounds;

/// <summary>Loading the rounds and nominations a use case names by global id; NOT_FOUND on the input field otherwise.</summary>
public static class RoundLookup
{
    public const string RoundTypeName = "Round";
    public const string NominationTypeName = "Nomination";

    public static async Task<Round> LoadAsync(this IRoundStore store, string globalId, string field, CancellationToken ct)
    {
        var id = GlobalId.Require(globalId, RoundTypeName, field);
        return (await store.GetByIdsAsync([id], ct)).FirstOrDefault()
               ?? throw new DomainException(ErrorCodes.NotFound, new(Messages.RoundNotFound, globalId), field);
    }

    /// <summary>The round a stored nomination belongs to: it always exists.</summary>
    public static async Task<Round> GetAsync(this IRoundStore store, string roundId, CancellationToken ct) =>
        (await store.GetByIdsAsync([roundId], ct)).Single();

    public static async Task<Nomination> LoadNominationAsync(this IRoundStore store, string globalId, string field, CancellationToken ct)
    {
        var id = GlobalId.Require(globalId, NominationTypeName, field);
        return (await store.GetNominationsByIdsAsync([id], ct)).FirstOrDefault()
               ?? throw new DomainException(ErrorCodes.NotFound, new(Messages.NominationNotFound, globalId), field);
    }

    public static async Task<Council?> CouncilOfAsync(this ICouncilStore councils, Round round, CancellationToken ct) =>
        (await councils.GetByIdsAsync([round.CouncilId], ct)).FirstOrDefault();

    public static void CheckVersion(Round round, int version)
    {
        if (round.Version != version)
            throw new ConcurrencyConflictException(new(Messages.RoundAtVersionYouSent, round.Name, round.Version, version));
    }

    public static async Task SaveAsync(this IRoundStore store, Round round, int expectedVersion, Audit.AuditScope scope, CancellationToken ct)
    {
        if (!await store.ReplaceAsync(round, expectedVersion, scope, ct))
            throw new ConcurrencyConflictException(new(Messages.RoundChangedMeanwhileReloadRetry, round.Name));
    }
}
