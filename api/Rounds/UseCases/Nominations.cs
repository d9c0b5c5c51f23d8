using DanVanKheo.Api.Audit;
using DanVanKheo.Api.Auth;
using DanVanKheo.Api.Common;
using DanVanKheo.Api.Entries;

namespace DanVanKheo.Api.Rounds;

/// <summary>Editors of an entry's unit (or above) nominate it into a NOMINATING round, and withdraw the nomination until voting opens.</summary>
public sealed class Nominations(IRoundStore rounds, IEntryStore entries, Authorizer authorizer, AuditContext audit, RegistryClock clock)
{
    public const string Policy = Policies.UnitEditorOfTarget;

    public async Task<Nomination> NominateAsync(NominateEntryInput input, CancellationToken ct)
    {
        const string action = "nominateEntry";
        var scope = audit.Begin(action);
        var round = await rounds.LoadAsync(input.RoundId, "roundId", ct);
        var entry = await entries.LoadVisibleAsync(input.EntryId, "entryId", authorizer.Caller, ct);
        authorizer.Require(action, Policy, entry.UnitLineage, new(Messages.EditorsMayNominateEntry, entry.UnitNameAtRegistration, EntryRules.Label(entry)));
        var nomination = RoundRules.Nominate(round, entry, input.Justification, authorizer.CallerId, clock.UtcNow());
        try
        {
            await rounds.InsertNominationAsync(nomination, scope, ct);
        }
        catch (DuplicateKeyException)
        {
            throw new DomainException(RoundRules.AlreadyNominated, new(Messages.EntryAlreadyNominatedRound, EntryRules.Label(entry), round.Name), "entryId");
        }
        return nomination;
    }

    public async Task<Nomination> WithdrawAsync(WithdrawNominationInput input, CancellationToken ct)
    {
        const string action = "withdrawNomination";
        var scope = audit.Begin(action);
        var nomination = await rounds.LoadNominationAsync(input.Id, "id", ct);
        authorizer.Require(action, Policy, nomination.UnitLineage, new(Messages.EditorsNominatingUnitMayWithdraw));
        if (nomination.Version != input.Version)
            throw new ConcurrencyConflictException(new(Messages.NominationAtVersionYouSent, nomination.Version, input.Version));
        var round = await rounds.GetAsync(nomination.RoundId, ct);
        RoundRules.Withdraw(round, nomination, authorizer.CallerId, clock.UtcNow());
        if (!await rounds.ReplaceNominationAsync(nomination, input.Version, scope, ct))
            throw new ConcurrencyConflictException(new(Messages.NominationChangedMeanwhileReloadRetry));
        return nomination;
    }
}
