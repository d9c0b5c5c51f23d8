using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Globalization;
using DanVanKheo.Api.Common;
using DanVanKheo.Api.Entries;
using DanVanKheo.Api.Units;

namespace DanVanKheo.Api.Replications;

/// <summary>What an editor writes into a replication; the system fills in the rest.</summary>
public sealed record ReplicationContent
{
    public string AdaptationNotes { get; init; } = "";
    public ReplicationOutcome Outcome { get; init; } = new();
}

/// <summary>Business rules for replications, free of storage and GraphQL.</summary>
public static class ReplicationRules
{
    public const int MaxNotes = 10_000;

    /// <summary>
    /// Records that <paramref name="adopting"/> adopts <paramref name="source"/>.
    /// <paramref name="sourceParent"/> is the replication that derived <paramref name="source"/>
    /// (if any): its path continues into the new one.
    /// </summary>
    public static Replication Record(
        Entry source, Unit adopting, Entry? derived, Replication? sourceParent, ReplicationContent content,
        DateOnly plannedOn, string createdBy, DateTime now)
    {
        if (source.Status is not (EntryStatus.Registered or EntryStatus.Recognized))
            throw new DomainException(ReplicationErrorCodes.SourceNotRegistered,
                new(Messages.SourceNotRegisteredEntry, EntryRules.Label(source), Upper(source.Status)), "sourceEntryId");
        if (source.UnitId == adopting.Id)
            throw new DomainException(ReplicationErrorCodes.SelfReplication,
                new(Messages.CannotReplicateOwnEntry, adopting.Name, EntryRules.Label(source)), "adoptingUnitId");
        var path = sourceParent is null ? new List<string> { source.Id } : [.. sourceParent.Path, source.Id];
        if (derived is not null) CheckDerived(derived, adopting, source, path);
        Validate(content);
        var r = new Replication
        {
            SourceEntryId = source.Id,
            SourceUnitId = source.UnitId,
            SourceUnitLineage = [.. source.UnitLineage],
            SourceFieldId = source.FieldId,
            AdoptingUnitId = adopting.Id,
            AdoptingUnitLineage = adopting.Lineage(),
            DerivedEntryId = derived?.Id,
            Path = path,
            Status = ReplicationStatus.Planned,
            PlannedOn = plannedOn,
            Year = plannedOn.Year,
            CreatedBy = createdBy,
            CreatedAt = now,
            UpdatedAt = now,
        };
        Apply(r, content);
        SetKeys(r);
        return r;
    }

    /// <summary>
    /// Changes notes and outcome; links a derived entry if none is linked yet (null keeps the current link). Returns true when a
    /// derived entry was newly linked (its descendants then need a new path: see <see cref="Repath"/>).
    /// </summary>
    public static bool Update(Replication r, ReplicationContent content, Entry? derived, Entry source, Unit adopting, DateTime now)
    {
        var linked = false;
        if (r.DerivedEntryId is not null && derived is not null && derived.Id != r.DerivedEntryId)
            throw new DomainException(ReplicationErrorCodes.DerivedEntryLocked,
                new(Messages.DerivedEntryAlreadyLinkedCannot), "derivedEntryId");
        if (r.DerivedEntryId is null && derived is not null)
        {
            CheckDerived(derived, adopting, source, r.Path);
            r.DerivedEntryId = derived.Id;
            linked = true;
        }
        Validate(content);
        Apply(r, content);
        SetKeys(r);
        Touch(r, now);
        return linked;
    }

    private static readonly FrozenDictionary<ReplicationStatus, ReplicationStatus[]> Transitions = new Dictionary<ReplicationStatus, ReplicationStatus[]>
    {
        [ReplicationStatus.Planned] = [ReplicationStatus.Implementing, ReplicationStatus.Discontinued],
        [ReplicationStatus.Implementing] = [ReplicationStatus.Sustained, ReplicationStatus.Discontinued],
        [ReplicationStatus.Sustained] = [ReplicationStatus.Discontinued],
        [ReplicationStatus.Discontinued] = [],
    }.ToFrozenDictionary();

    /// <summary>PLANNED → IMPLEMENTING → SUSTAINED; any active status → DISCONTINUED. Dates never go backwards.</summary>
    public static void ChangeStatus(Replication r, ReplicationStatus to, DateOnly on, string? reason, DateTime now)
    {
        if (!Transitions[r.Status].Contains(to))
            throw new DomainException(ReplicationErrorCodes.InvalidTransition,
                new(Messages.ReplicationCannotBecome, Upper(r.Status), Upper(to)), "status");
        var last = new[] { r.PlannedOn, r.StartedOn ?? DateOnly.MinValue, r.SustainedOn ?? DateOnly.MinValue }.Max();
        if (on < last)
            throw new DomainException(ErrorCodes.InvalidInput,
                new(Messages.DateBeforePreviousStep, Day(on), Day(last)), "on");
        if (reason is { Length: > 2000 })
            throw new DomainException(ErrorCodes.InvalidInput, new(Messages.ReasonLimited2000Characters), "reason");
        switch (to)
        {
            case ReplicationStatus.Implementing: r.StartedOn = on; break;
            case ReplicationStatus.Sustained: r.SustainedOn = on; break;
            case ReplicationStatus.Discontinued:
                r.DiscontinuedOn = on;
                r.DiscontinuedReason = string.IsNullOrWhiteSpace(reason) ? null : reason.Trim();
                break;
        }
        r.Status = to;
        SetKeys(r);
        Touch(r, now);
    }

    /// <summary>
    /// Makes the derived entry show where it comes from: sets replicatedFrom and novelty REPLICATED.
    /// Returns false when it already did.
    /// </summary>
    public static bool MarkDerived(Entry derived, string sourceEntryId, DateTime now)
    {
        if (derived.ReplicatedFromEntryId == sourceEntryId && derived.Novelty == EntryNovelty.Replicated) return false;
        derived.ReplicatedFromEntryId = sourceEntryId;
        derived.Novelty = EntryNovelty.Replicated;
        derived.UpdatedAt = now;
        derived.UpdatedKey = now.Ticks.ToString("D19", CultureInfo.InvariantCulture) + "|" + derived.Code;
        derived.Version++;
        return true;
    }

    /// <summary>
    /// After <paramref name="parent"/> linked its derived entry, every replication below that entry
    /// gets the parent's path as prefix. Returns the replications changed (version bumped).
    /// </summary>
    public static IReadOnlyList<Replication> Repath(Replication parent, IEnumerable<Replication> below, DateTime now)
    {
        var derived = parent.DerivedEntryId ?? throw new InvalidOperationException("The parent has no derived entry.");
        var changed = new List<Replication>();
        foreach (var r in below)
        {
            var i = r.Path.IndexOf(derived);
            if (i < 0) continue;
            r.Path = [.. parent.Path, .. r.Path.Skip(i)];
            Touch(r, now);
            changed.Add(r);
        }
        return changed;
    }

    private static void CheckDerived(Entry derived, Unit adopting, Entry source, IReadOnlyList<string> sourcePath)
    {
        if (derived.UnitId != adopting.Id)
            throw new DomainException(ReplicationErrorCodes.DerivedEntryWrongUnit,
                new(Messages.DerivedEntryBelongsAnotherUnit, EntryRules.Label(derived), adopting.Name), "derivedEntryId");
        if (sourcePath.Contains(derived.Id))
            throw new DomainException(ReplicationErrorCodes.Cycle,
                new(Messages.DerivedIsSourceOrAncestor, EntryRules.Label(derived), EntryRules.Label(source)), "derivedEntryId");
        if (derived.ReplicatedFromEntryId is { } from && from != source.Id)
            throw new DomainException(ReplicationErrorCodes.DerivedEntrySourceMismatch,
                new(Messages.DerivedNamesAnotherSource, EntryRules.Label(derived), EntryRules.Label(source)), "derivedEntryId");
    }

    private static void Validate(ReplicationContent c)
    {
        if ((c.AdaptationNotes ?? "").Length > MaxNotes)
            throw new DomainException(ErrorCodes.InvalidInput, new(Messages.AdaptationNotesLimitedCharacters, MaxNotes), "adaptationNotes");
        var o = c.Outcome;
        if (o.PeopleReached < 0 || o.HouseholdsReached < 0 || o.MoneyMobilizedVnd < 0)
            throw new DomainException(ErrorCodes.InvalidInput, new(Messages.OutcomeFiguresCannotNegative), "outcome");
        if (o.OtherResults is { Length: > MaxNotes })
            throw new DomainException(ErrorCodes.InvalidInput, new(Messages.OtherResultsLimitedCharacters, MaxNotes), "outcome.otherResults");
    }

    private static void Apply(Replication r, ReplicationContent c)
    {
        r.AdaptationNotes = (c.AdaptationNotes ?? "").Trim();
        r.Outcome = new ReplicationOutcome
        {
            PeopleReached = c.Outcome.PeopleReached,
            HouseholdsReached = c.Outcome.HouseholdsReached,
            MoneyMobilizedVnd = c.Outcome.MoneyMobilizedVnd,
            OtherResults = string.IsNullOrWhiteSpace(c.Outcome.OtherResults) ? null : c.Outcome.OtherResults.Trim(),
        };
    }

    public static void SetKeys(Replication r)
    {
        var pair = r.SourceEntryId + "|" + r.AdoptingUnitId;
        r.ActiveKey = r.IsActive ? pair : pair + "|" + r.Id;
        r.DerivedKey = r.DerivedEntryId ?? "none|" + r.Id;
    }

    private static void Touch(Replication r, DateTime now)
    {
        r.UpdatedAt = now;
        r.Version++;
    }

    private static string Upper(Enum e) => e.ToString().ToUpperInvariant();
    private static string Day(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
