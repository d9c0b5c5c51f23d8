using DanVanKheo.Api.Audit;
using DanVanKheo.Api.Councils;
using DanVanKheo.Api.Entries;

namespace DanVanKheo.Api.Rounds;

/// <summary>The audit targets the round and council store writes describe (both adapters), with the unit each is filed under.</summary>
public static class RoundAudit
{
    public static AuditTarget Council(Council? before, Council after) => new(AuditTargetTypes.Council, after.Id, after.UnitId, before, after);

    /// <summary>A round is filed under its council's unit.</summary>
    public static AuditTarget Round(Round? before, Round after) => new(AuditTargetTypes.Round, after.Id, after.CouncilUnitId, before, after);

    /// <summary>A nomination is filed under the nominating unit.</summary>
    public static AuditTarget Nomination(Nomination? before, Nomination after) => new(AuditTargetTypes.Nomination, after.Id, after.UnitId, before, after);

    /// <summary>A ballot is filed under the round's council unit; its event is sealed until the round closes (the mutation declares it).</summary>
    public static AuditTarget Ballot(Round round, Ballot? before, Ballot after) => new(AuditTargetTypes.Ballot, after.Id, round.CouncilUnitId, before, after);

    /// <summary>The history row a ballot write appends: listed among the event's targets, its content is the ballot's.</summary>
    public static AuditTarget BallotRevision(Round round, BallotRevision revision) => new(AuditTargetTypes.BallotRevision, revision.Id, round.CouncilUnitId, null, null);

    public static AuditTarget Recognition(Round round, Recognition r) => new(AuditTargetTypes.Recognition, r.Id, round.CouncilUnitId, null, r);

    public static AuditTarget Entry(Entry? before, Entry after) => new(AuditTargetTypes.Entry, after.Id, after.UnitId, before, after);
}
