using DanVanKheo.Api.Entries;
using DanVanKheo.Api.Fields;
using DanVanKheo.Api.Replications;
using DanVanKheo.Api.Units;

namespace DanVanKheo.Tests.Storage;

/// <summary>Builds domain objects through the domain rules, for store and rule tests.</summary>
public sealed class StoreFixtures
{
    public static readonly DateTime Now = new(2024, 6, 1, 3, 0, 0, DateTimeKind.Utc);
    private long _sequence;
    private int _unit;

    public Unit Unit(string name, UnitKind kind, Unit? parent = null) =>
        UnitRules.Create(new UnitDraft($"T{++_unit}X{Guid.NewGuid().ToString("N")[..6].ToUpperInvariant()}", name, kind, parent?.Id, null, null), parent, Now);

    public Entry Entry(Unit unit, string title, Field? field = null, EntryKind kind = EntryKind.Model, ExemplarType? exemplarType = null,
        EntryLevel level = EntryLevel.Commune, EntryStatus status = EntryStatus.Registered, EntryNovelty novelty = EntryNovelty.New,
        EntryResults? results = null, int year = 2024, string? replicatedFrom = null)
    {
        var content = new EntryContent
        {
            Title = title,
            Summary = "Tóm tắt: " + title,
            Kind = kind,
            ExemplarType = exemplarType,
            FieldId = (field ?? Field.Standard[0]).Id,
            Level = level,
            Novelty = replicatedFrom is null ? novelty : EntryNovelty.Replicated,
            ReplicatedFromEntryId = replicatedFrom,
            Results = results ?? new EntryResults(),
        };
        var from = replicatedFrom is null ? null : new Entry { Id = replicatedFrom, UnitId = "elsewhere" };
        var sequence = Interlocked.Increment(ref _sequence);
        var e = EntryRules.CreateDraft(content, unit, field ?? Field.Standard[0], from, year, "tester", Now.AddTicks(sequence * 10_000));
        if (status != EntryStatus.Draft)
        {
            EntryRules.Submit(e, Now.AddTicks(sequence * 10_000));
            TestData.WithCode(e, sequence, year);
        }
        if (status == EntryStatus.Recognized) e.Status = EntryStatus.Recognized;
        if (status == EntryStatus.Discontinued) EntryRules.Discontinue(e, "Hết kinh phí", Now.AddTicks(_sequence * 10_000 + 1));
        return e;
    }

    public static Replication Replicate(Entry source, Unit adopting, Entry? derived = null, Replication? parent = null,
        DateOnly? plannedOn = null, long people = 0) =>
        ReplicationRules.Record(source, adopting, derived, parent,
            new ReplicationContent { AdaptationNotes = "Điều chỉnh cho phù hợp địa phương", Outcome = new ReplicationOutcome { PeopleReached = people } },
            plannedOn ?? new DateOnly(2024, 3, 1), "tester", Now);
}
