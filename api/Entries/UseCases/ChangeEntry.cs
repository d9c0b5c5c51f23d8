using DanVanKheo.Api.Audit;
using DanVanKheo.Api.Auth;
using DanVanKheo.Api.Common;

namespace DanVanKheo.Api.Entries;

/// <summary>Editors of an entry's unit (or above) edit a DRAFT, submit it, or discontinue an entry; each checks the version read.</summary>
public sealed class ChangeEntry(IEntryStore entries, EntryContentReader content, Authorizer authorizer, AuditContext audit, RegistryClock clock,
    RegistryMetrics metrics)
{
    public const string Policy = Policies.UnitEditorOfTarget;

    public Task<Entry> UpdateAsync(UpdateEntryInput input, CancellationToken ct) =>
        ChangeAsync("updateEntry", input.Id, input.Version, async (entry, now) =>
        {
            var (fields, field, replicatedFrom) = await content.ReadAsync(input, entry, ct);
            EntryRules.Update(entry, fields, field, replicatedFrom, now);
        }, ct);

    public async Task<Entry> SubmitAsync(EntryVersionInput input, CancellationToken ct)
    {
        var entry = await ChangeAsync("submitEntry", input.Id, input.Version, (entry, now) =>
        {
            EntryRules.Submit(entry, now);
            return Task.CompletedTask;
        }, ct, register: true);
        metrics.EntryRegistered(entry.Level.ToString(), entry.Kind.ToString());
        return entry;
    }

    public Task<Entry> DiscontinueAsync(EntryVersionInput input, CancellationToken ct) =>
        ChangeAsync("discontinueEntry", input.Id, input.Version, (entry, now) =>
        {
            EntryRules.Discontinue(entry, input.Reason, now);
            return Task.CompletedTask;
        }, ct);

    private async Task<Entry> ChangeAsync(string action, string globalId, int version, Func<Entry, DateTime, Task> change, CancellationToken ct,
        bool register = false)
    {
        var scope = audit.Begin(action);
        var entry = await entries.LoadVisibleAsync(globalId, "id", authorizer.Caller, ct);
        authorizer.Require(action, Policy, entry.UnitLineage, new(Messages.YouMayChangeEntry, EntryRules.Label(entry)));
        if (entry.Version != version)
            throw new ConcurrencyConflictException(new(Messages.EntryAtVersionYouSent, EntryRules.Label(entry), entry.Version, version));
        await change(entry, clock.UtcNow());
        // Registration reserves the entry's code in the store's transaction (IEntryStore.RegisterAsync).
        var stored = register ? await entries.RegisterAsync(entry, version, scope, ct) : await entries.ReplaceAsync(entry, version, scope, ct);
        if (!stored)
            throw new ConcurrencyConflictException(new(Messages.EntryChangedSinceVersionReload, EntryRules.Label(entry), version));
        return entry;
    }
}
