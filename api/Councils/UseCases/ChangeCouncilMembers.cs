using DanVanKheo.Api.Audit;
using DanVanKheo.Api.Auth;
using DanVanKheo.Api.Common;
using DanVanKheo.Api.Rounds;
using DanVanKheo.Api.Units;

namespace DanVanKheo.Api.Councils;

/// <summary>Admins and editors of the council's unit add and remove members, except while one of its rounds is VOTING.</summary>
public sealed class ChangeCouncilMembers(IUnitStore units, ICouncilStore councils, IRoundStore rounds, Authorizer authorizer,
    AuditContext audit, RegistryClock clock)
{
    public const string Policy = Policies.UnitEditorOfTarget;

    public Task<Council> AddAsync(AddCouncilMemberInput input, CancellationToken ct) =>
        ChangeAsync("addCouncilMember", input.CouncilId, input.Version, async (council, now) =>
        {
            var home = await units.LoadAsync(input.HomeUnitId, "homeUnitId", ct);
            CouncilRules.AddMember(council, input.UserId, input.DisplayName, home, input.Role, now);
        }, ct);

    public Task<Council> RemoveAsync(RemoveCouncilMemberInput input, CancellationToken ct) =>
        ChangeAsync("removeCouncilMember", input.CouncilId, input.Version, (council, now) =>
        {
            CouncilRules.RemoveMember(council, input.UserId, now);
            return Task.CompletedTask;
        }, ct);

    private async Task<Council> ChangeAsync(string action, string councilId, int version, Func<Council, DateTime, Task> change, CancellationToken ct)
    {
        var scope = audit.Begin(action);
        var council = await councils.LoadAsync(councilId, "councilId", ct);
        authorizer.Require(action, Policy, council.UnitLineage, new(Messages.YouMayManage, council.Name));
        if (council.Version != version)
            throw new ConcurrencyConflictException(new(Messages.CouncilAtVersion, council.Name, council.Version, version));
        var voting = await rounds.FindAsync(new RoundFilter { CouncilId = council.Id, Status = RoundStatus.Voting }, new PageRequest(1), ct);
        if (voting.Items.Count > 0)
            throw new DomainException(CouncilRules.CouncilFrozen, new(Messages.CouncilFrozenWhileVoting, voting.Items[0].Name, council.Name));
        await change(council, clock.UtcNow());
        if (!await councils.ReplaceAsync(council, version, scope, ct))
            throw new ConcurrencyConflictException(new(Messages.CouncilChangedMeanwhile, council.Name));
        return council;
    }
}
