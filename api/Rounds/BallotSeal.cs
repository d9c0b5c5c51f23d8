using DanVanKheo.Api.Audit;
using DanVanKheo.Api.GraphQL;
using GraphQL;

namespace DanVanKheo.Api.Rounds;

/// <summary>
/// What ballot events (castBallot, recuse) are sealed until: "Round:&lt;id&gt;", opened by
/// <see cref="RoundAuditSeal"/> once the round is CLOSED. The field declares the seal from its
/// input ("Nomination:&lt;id&gt;", all the arguments know), so an event can never be written
/// unsealed; the resolver then names the nomination's round.
/// </summary>
public static class BallotSeal
{
    public const string RoundPrefix = "Round:";
    public const string NominationPrefix = "Nomination:";

    public static string RoundKey(string roundId) => RoundPrefix + roundId;

    /// <summary>The seal a ballot mutation declares: its input's nomination.</summary>
    public static string? KeyOf(IResolveFieldContext c)
    {
        var value = c.Arguments?.TryGetValue("input", out var input) == true ? input.Value : null;
        var id = value switch
        {
            CastBallotInput b => b.NominationId,
            RecuseInput r => r.NominationId,
            IDictionary<string, object?> fields when fields.TryGetValue("nominationId", out var v) => v?.ToString(),
            _ => null,
        };
        return NominationPrefix + (id is null ? "" : GlobalId.LocalIdOf(id, NominationGraphType.TypeName) ?? id);
    }
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
