using DanVanKheo.Api.Audit;
using DanVanKheo.Api.Auth;
using DanVanKheo.Api.Common;
using DanVanKheo.Api.Councils;

namespace DanVanKheo.Api.Rounds;

/// <summary>
/// Members of a round's council cast, change or withdraw from (recuse) their ballot on a
/// nomination while the round is VOTING. Ballot events are sealed until the round closes.
/// </summary>
public sealed class Ballots(IRoundStore rounds, ICouncilStore councils, Authorizer authorizer, AuditContext audit, RegistryClock clock,
    RegistryMetrics metrics)
{
    public const string Policy = Policies.CouncilMemberOfTarget;

    public async Task<Ballot> CastAsync(CastBallotInput input, CancellationToken ct)
    {
        var ballot = await WriteAsync("castBallot", input.NominationId, (round, member, nomination, now) =>
            RoundRules.Cast(round, member, nomination, input.Choice, input.Scores, input.Comment, now), ct);
        metrics.BallotCast(ballot.RoundId);
        return ballot;
    }

    public Task<Ballot> RecuseAsync(RecuseInput input, CancellationToken ct) =>
        WriteAsync("recuse", input.NominationId, (round, member, nomination, now) =>
            RoundRules.Recuse(round, member, nomination, input.Reason, now), ct);

    private async Task<Ballot> WriteAsync(string action, string nominationGlobalId,
        Func<Round, CouncilMember, Nomination, DateTime, Ballot> make, CancellationToken ct)
    {
        // Sealed from the start, by the nomination the input names; narrowed to its round once known.
        var scope = audit.Begin(action, BallotSeal.NominationKey(nominationGlobalId));
        var nomination = await rounds.LoadNominationAsync(nominationGlobalId, "nominationId", ct);
        var round = await rounds.GetAsync(nomination.RoundId, ct);
        // Once voting opened the round's snapshot decides; only before that is the live council read.
        var members = RoundRules.MembersOf(round, round.Members is null ? await councils.CouncilOfAsync(round, ct) : null);
        authorizer.Require(action, Policy, members, new(Messages.MembersCouncilRoundVote, round.Name));
        var member = members.First(m => m.UserId == authorizer.CallerId);
        scope.SealedUntil = BallotSeal.RoundKey(round.Id);
        var ballot = make(round, member, nomination, clock.UtcNow());
        var written = await rounds.CastBallotAsync(ballot, scope, ct);
        return written.Outcome switch
        {
            BallotWriteOutcome.Stored => written.Ballot!,
            BallotWriteOutcome.AlreadyRecused => throw new DomainException(RoundRules.AlreadyRecused, new(Messages.RecusalIsFinal), "nominationId"),
            _ => throw new DomainException(RoundRules.RoundNotVoting, new(Messages.RoundNoLongerVoting, round.Name), "nominationId"),
        };
    }
}
