using System.Text.RegularExpressions;
using DanVanKheo.Api.Common;

namespace DanVanKheo.Api.Units;

public sealed record UnitDraft(
    string Code,
    string Name,
    UnitKind Kind,
    string? ParentId,
    DateOnly? ValidFrom,
    DateOnly? ValidTo);

/// <summary>Business rules for units, free of storage and GraphQL.</summary>
public static partial class UnitRules
{
    public const string UnitCycle = "UNIT_CYCLE";
    public const string AlreadyEnded = "ALREADY_ENDED";
    public const string UnitNotActive = "UNIT_NOT_ACTIVE";

    [GeneratedRegex("^[A-Z0-9][A-Z0-9_.-]{1,39}$")]
    private static partial Regex CodePattern();

    public static Unit Create(UnitDraft draft, Unit? parent, DateTime now)
    {
        var unit = new Unit { CreatedAt = now, UpdatedAt = now };
        Apply(unit, draft, parent);
        return unit;
    }

    public static void Apply(Unit unit, UnitDraft draft, Unit? parent)
    {
        var code = draft.Code.Trim().ToUpperInvariant();
        if (!CodePattern().IsMatch(code))
            throw new DomainException(ErrorCodes.InvalidInput,
                new(Messages.UnitCodeShape), "code");
        var name = draft.Name.Trim();
        if (name.Length is < 2 or > InputLimits.Name)
            throw new DomainException(ErrorCodes.InvalidInput, new(Messages.UnitName2300Characters), "name");
        InputLimits.Text(name, InputLimits.Name, "name");
        InputLimits.Date(draft.ValidFrom, "validFrom");
        InputLimits.Date(draft.ValidTo, "validTo");
        if (draft.ValidFrom is { } from && draft.ValidTo is { } to && to <= from)
            throw new DomainException(ErrorCodes.InvalidInput, new(Messages.ValidToAfterValidFrom), "validTo");
        if (draft.ParentId is not null && parent is null)
            throw new DomainException(ErrorCodes.NotFound, new(Messages.ParentUnitNotFound), "parentId");
        if (parent is not null && (parent.Id == unit.Id || parent.AncestorIds.Contains(unit.Id)))
            throw new DomainException(UnitCycle, new(Messages.UnitCannotPlacedUnderItself), "parentId");

        unit.Code = code;
        unit.Name = name;
        unit.NameKey = TextFolding.Fold(name);
        unit.Kind = draft.Kind;
        unit.ParentId = parent?.Id;
        unit.AncestorIds = parent?.Lineage() ?? [];
        unit.ValidFrom = draft.ValidFrom;
        unit.ValidTo = draft.ValidTo;
    }

    /// <summary>The unit search text, if within <see cref="InputLimits.SearchText"/>.</summary>
    public static string? SearchText(string? text)
    {
        InputLimits.Search(text, "where.search");
        return text;
    }

    /// <summary>Whether placing <paramref name="unit"/> under <paramref name="parent"/> moves it (its subtree then re-files).</summary>
    public static bool Moves(Unit unit, Unit? parent) => parent?.Id != unit.ParentId;

    /// <summary>
    /// Applies an edit read at <paramref name="expectedVersion"/>. A move re-files every descendant
    /// in <paramref name="subtree"/> (the unit's stored subtree, itself included or not) under the
    /// new ancestors. Returns every unit it changed, each one version up.
    /// </summary>
    public static IReadOnlyList<Unit> Update(Unit unit, int expectedVersion, UnitDraft draft, Unit? parent,
        IReadOnlyList<Unit> subtree, DateTime now)
    {
        if (unit.Version != expectedVersion)
            throw new ConcurrencyConflictException(new(Messages.UnitAtVersionYouSent, unit.Code, unit.Version, expectedVersion));
        var oldLineage = unit.Lineage();
        Apply(unit, draft, parent);
        unit.Version++;
        unit.UpdatedAt = now;
        var changed = new List<Unit> { unit };
        if (oldLineage.SequenceEqual(unit.Lineage())) return changed;
        foreach (var d in subtree)
        {
            if (d.Id == unit.Id || !d.AncestorIds.Contains(unit.Id)) continue;
            d.AncestorIds = [.. unit.Lineage(), .. d.AncestorIds.SkipWhile(a => a != unit.Id).Skip(1)];
            d.Version++;
            d.UpdatedAt = now;
            changed.Add(d);
        }
        return changed;
    }

    /// <summary>
    /// Records that <paramref name="predecessors"/> ended on <paramref name="effective"/> and
    /// live on in <paramref name="successors"/> (a merger has several predecessors, a split
    /// several successors). Returns every unit it changed.
    /// </summary>
    public static IReadOnlyList<Unit> RecordSuccession(
        IReadOnlyList<Unit> predecessors, IReadOnlyList<Unit> successors, DateOnly effective, DateTime now)
    {
        if (predecessors.Count == 0)
            throw new DomainException(ErrorCodes.InvalidInput, new(Messages.AtLeastOnePredecessorRequired), "predecessorIds");
        if (successors.Count == 0)
            throw new DomainException(ErrorCodes.InvalidInput, new(Messages.AtLeastOneSuccessorRequired), "successorIds");
        if (predecessors.Any(p => successors.Any(s => s.Id == p.Id)))
            throw new DomainException(ErrorCodes.InvalidInput, new(Messages.UnitCannotSucceedItself), "successorIds");
        foreach (var p in predecessors)
        {
            if (p.ValidFrom is { } from && effective <= from)
                throw new DomainException(ErrorCodes.InvalidInput,
                    new(Messages.UnitBeganCannotEndBefore, p.Code, from), "effectiveDate");
            if (p.ValidTo is { } to && to != effective)
                throw new DomainException(AlreadyEnded,
                    new(Messages.UnitAlreadyEnded, p.Code, to), "predecessorIds");
        }
        foreach (var s in successors)
            if (s.ValidTo is { } to && to <= effective)
                throw new DomainException(ErrorCodes.InvalidInput,
                    new(Messages.SuccessorEndedBeforeSuccession, s.Code, to), "successorIds");

        var changed = new Dictionary<string, Unit>();
        foreach (var p in predecessors)
        {
            p.ValidTo = effective;
            foreach (var s in successors)
            {
                if (!p.SuccessorIds.Contains(s.Id)) p.SuccessorIds.Add(s.Id);
                if (!s.PredecessorIds.Contains(p.Id)) s.PredecessorIds.Add(p.Id);
                if (s.ValidFrom is null || s.ValidFrom > effective) s.ValidFrom = effective;
                changed[s.Id] = s;
            }
            changed[p.Id] = p;
        }
        foreach (var u in changed.Values)
        {
            u.Version++;
            u.UpdatedAt = now;
        }
        return [.. changed.Values];
    }

    /// <summary>
    /// The units that carry on <paramref name="start"/> on <paramref name="asOf"/>: follows
    /// successor links (through splits and repeated mergers) until valid units are reached.
    /// </summary>
    public static IReadOnlyList<Unit> CurrentSuccessors(Unit start, DateOnly asOf, Func<string, Unit?> lookup)
    {
        var result = new List<Unit>();
        var seen = new HashSet<string>();
        var queue = new Queue<Unit>([start]);
        while (queue.Count > 0)
        {
            var u = queue.Dequeue();
            if (!seen.Add(u.Id)) continue;
            if (u.ValidTo is null || asOf < u.ValidTo || u.SuccessorIds.Count == 0)
            {
                result.Add(u);
                continue;
            }
            foreach (var id in u.SuccessorIds)
                if (lookup(id) is { } next) queue.Enqueue(next);
        }
        return result;
    }

    /// <summary>The refusal for a unit code another unit holds.</summary>
    public static DomainException CodeTaken(string code) =>
        new(ErrorCodes.DuplicateCode, new(Messages.UnitCodeTaken, code.Trim().ToUpperInvariant()), "code");

    /// <summary>
    /// The name with the unit's period of existence, so units that share a name (a province
    /// before and after a merger) can be told apart: "Tỉnh An Giang (từ 01/07/2025)",
    /// "Tỉnh An Giang (đến 30/06/2025)", "Xã A (01/01/2000 – 30/06/2025)"; the bare name when
    /// no dates are known.
    /// </summary>
    public static string Label(Unit unit)
    {
        static string D(DateOnly d) => d.ToString("dd/MM/yyyy", System.Globalization.CultureInfo.InvariantCulture);
        return (unit.ValidFrom, unit.ValidTo) switch
        {
            (null, null) => unit.Name,
            ({ } from, null) => $"{unit.Name} (từ {D(from)})",
            (null, { } to) => $"{unit.Name} (đến {D(to.AddDays(-1))})",
            ({ } from, { } to) => $"{unit.Name} ({D(from)} – {D(to.AddDays(-1))})",
        };
    }
}
