using DanVanKheo.Api.Common;
using DanVanKheo.Api.Audit;

namespace DanVanKheo.Api.Rounds;

/// <summary>
/// What ballot events (castBallot, recuse) are sealed until: "Round:&lt;id&gt;", opened by
/// <see cref="RoundAuditSeal"/> once the round is CLOSED. The use case starts sealed by the
/// nomination its input names ("Nomination:&lt;id&gt;"), so an event can never be written
/// unsealed, then names the nomination's round.
/// </summary>
public static class BallotSeal
{
    public const string RoundPrefix = "Round:";
    public const string NominationPrefix = "Nomination:";

    public static string RoundKey(string roundId) => RoundPrefix + roundId;

    /// <summary>The seal a ballot write starts with: the nomination its input names (a local id when the global id decodes).</summary>
    public static string NominationKey(string nominationGlobalId) =>
        NominationPrefix + (GlobalId.LocalIdOf(nominationGlobalId, RoundLookup.NominationTypeName) ?? nominationGlobalId);
}

/// <summary>Opens a ballot event's seal once its round is CLOSED (or PUBLISHED); anything unknown stays sealed.</summary>
public sealed class RoundAuditSeal(IRoundStore rounds) : IAuditSeal
{
    public async Task<bool> IsOpenAsync(string sealedUntil, CancellationToken ct)
    {
        string? roundId = null;
        if (sealedUntil.StartsWith(BallotSeal.RoundPrefix, StringComparison.Ordinal))
            roundId = sealedUntil[BallotSeal.RoundPrefix.Length..];
        else if (sealedUntil.StartsWith(BallotSeal.NominationPrefix, StringComparison.Ordinal))
            roundId = (await rounds.GetNominationsByIdsAsync([sealedUntil[BallotSeal.NominationPrefix.Length..]], ct)).FirstOrDefault()?.RoundId;
        if (string.IsNullOrEmpty(roundId)) return false;
        var round = (await rounds.GetByIdsAsync([roundId], ct)).FirstOrDefault();
        return round is { Status: RoundStatus.Closed or RoundStatus.Published };
    }
}
