using System.Globalization;
using DanVanKheo.Api.Common;
using DanVanKheo.Api.Fields;
using DanVanKheo.Api.Units;

namespace DanVanKheo.Api.Entries;

/// <summary>What an editor writes into an entry; the system fills in the rest.</summary>
public sealed record EntryContent
{
    public string Title { get; init; } = "";
    public string Summary { get; init; } = "";
    public EntryKind Kind { get; init; }
    public ExemplarType? ExemplarType { get; init; }
    public ExemplarPerson? Person { get; init; }
    public string FieldId { get; init; } = "";
    public EntryLevel Level { get; init; }
    public DateOnly? StartDate { get; init; }
    public EntryNovelty Novelty { get; init; }
    public string? ReplicatedFromEntryId { get; init; }
    public EntryResults Results { get; init; } = new();
    public IReadOnlyList<EvidenceLink> Evidence { get; init; } = [];
    public IReadOnlyList<string> Tags { get; init; } = [];
}

/// <summary>Registration rules for entries, free of storage and GraphQL.</summary>
public static class EntryRules
{
    public const string CodeSpaceExhausted = "CODE_SPACE_EXHAUSTED";
    public const string SelfReplication = "SELF_REPLICATION";

    public const string CodePrefix = "DVK";

    public static string FormatCode(int year, long sequence) =>
        string.Create(CultureInfo.InvariantCulture, $"{CodePrefix}-{year:D4}-{sequence:D6}");

    public static bool IsWellFormedCode(string code) =>
        code.Length == 15 && code.StartsWith(CodePrefix + "-", StringComparison.Ordinal) && code[8] == '-' &&
        !code.AsSpan(4, 4).ContainsAnyExceptInRange('0', '9') && !code.AsSpan(9).ContainsAnyExceptInRange('0', '9');

    /// <summary>
    /// The prefix of a never-registered entry's <see cref="Entry.Code"/>: a private draft reference
    /// ("NHÁP-" and the entry's id) instead of a registry code. It keeps codes unique and sortable in
    /// both stores (drafts sort after every registry code) and says nothing about how many drafts
    /// exist; only those who may see the draft see it.
    /// </summary>
    public const string DraftKeyPrefix = "NHÁP-";

    public static string DraftKey(string entryId) => DraftKeyPrefix + entryId.ToUpperInvariant();

    /// <summary>The entry's registry code, or null when it was never registered.</summary>
    public static string? PublicCode(Entry e) => e.Code.StartsWith(DraftKeyPrefix, StringComparison.Ordinal) ? null : e.Code;

    /// <summary>How messages name an entry: its code, or its title while it has none.</summary>
    public static object Label(Entry e) => PublicCode(e) ?? (object)new Message(Messages.DraftEntryLabel, e.Title);

    /// <summary>A new DRAFT without a public code: codes are reserved when the entry is submitted.</summary>
    public static Entry CreateDraft(
        EntryContent content, Unit unit, Field? field, Entry? replicatedFrom,
        int year, string createdBy, DateTime now, string? id = null)
    {
        var entry = new Entry
        {
            Year = year,
            Status = EntryStatus.Draft,
            UnitId = unit.Id,
            UnitLineage = unit.Lineage(),
            UnitNameAtRegistration = unit.Name,
            CreatedBy = createdBy,
            CreatedAt = now,
        };
        if (id is not null) entry.Id = id;
        entry.Code = DraftKey(entry.Id);
        ApplyContent(entry, content, field, replicatedFrom, now);
        return entry;
    }

    /// <summary>
    /// Gives a just-submitted entry the code <paramref name="sequence"/> of its registration year;
    /// the store calls it with the year's next number inside the submit's transaction.
    /// </summary>
    public static void AssignCode(Entry entry, long sequence)
    {
        if (entry.Status != EntryStatus.Registered)
            throw new InvalidOperationException("Only a just-registered entry gets a code.");
        if (sequence is < 1 or > 999_999)
            throw new DomainException(CodeSpaceExhausted, new(Messages.NoMoreEntryCodes, entry.Year));
        entry.Code = FormatCode(entry.Year, sequence);
        Rekey(entry);
    }

    /// <summary>
    /// A draft stored before codes were reserved at registration gives its code up (the migration);
    /// false when it holds none.
    /// </summary>
    public static bool WithdrawDraftCode(Entry entry)
    {
        if (entry.Status != EntryStatus.Draft || PublicCode(entry) is null) return false;
        entry.Code = DraftKey(entry.Id);
        Rekey(entry);
        return true;
    }

    /// <summary>Only drafts are freely editable.</summary>
    public static void Update(Entry entry, EntryContent content, Field? field, Entry? replicatedFrom, DateTime now)
    {
        if (entry.Status != EntryStatus.Draft)
            throw new DomainException(ErrorCodes.InvalidStatus,
                new(Messages.OnlyDraftsEdited, Label(entry), entry.Status.ToString().ToUpperInvariant()));
        ApplyContent(entry, content, field, replicatedFrom, now);
        entry.Version++;
    }

    public static void Submit(Entry entry, DateTime now)
    {
        if (entry.Status != EntryStatus.Draft)
            throw new DomainException(ErrorCodes.InvalidStatus,
                new(Messages.OnlyDraftsSubmitted, Label(entry), entry.Status.ToString().ToUpperInvariant()));
        if (string.IsNullOrWhiteSpace(entry.Summary))
            throw new DomainException(ErrorCodes.InvalidInput, new(Messages.SummaryRequiredBeforeSubmitting), "summary");
        entry.Status = EntryStatus.Registered;
        entry.SubmittedAt = now;
        // The code (assigned by the store, AssignCode) and the year are the registration's.
        entry.Year = RegistryClock.VietnamYear(now);
        Touch(entry, now);
        entry.Version++;
    }

    /// <summary>A published round recognised the entry (see api/Rounds).</summary>
    public static void Recognize(Entry entry, DateTime now)
    {
        if (entry.Status != EntryStatus.Registered)
            throw new DomainException(ErrorCodes.InvalidStatus,
                new(Messages.OnlyRegisteredBecomesRecognized, Label(entry), entry.Status.ToString().ToUpperInvariant()));
        entry.Status = EntryStatus.Recognized;
        Touch(entry, now);
        entry.Version++;
    }

    public static void Discontinue(Entry entry, string? reason, DateTime now)
    {
        if (entry.Status == EntryStatus.Discontinued)
            throw new DomainException(ErrorCodes.InvalidStatus, new(Messages.EntryAlreadyDISCONTINUED, Label(entry)));
        if (reason is { Length: > InputLimits.Note })
            throw new DomainException(ErrorCodes.InvalidInput, new(Messages.ReasonLimited2000Characters), "reason");
        InputLimits.Text(reason, InputLimits.Note, "reason", multiline: true);
        entry.Status = EntryStatus.Discontinued;
        entry.DiscontinuedAt = now;
        entry.DiscontinuedReason = string.IsNullOrWhiteSpace(reason) ? null : reason.Trim();
        Touch(entry, now);
        entry.Version++;
    }

    /// <summary>Checks content without touching an entry, so a create can be refused before a code is reserved.</summary>
    /// <param name="today">The Vietnam day, for dates that cannot be in the future (birth dates); null skips that check.</param>
    public static void Validate(EntryContent c, Field? field, Entry? replicatedFrom, string unitId, string? entryId = null, DateOnly? today = null)
    {
        var title = (c.Title ?? "").Trim();
        if (title.Length is < 5 or > InputLimits.Title)
            throw new DomainException(ErrorCodes.InvalidInput, new(Messages.Title5500Characters), "title");
        InputLimits.Text(title, InputLimits.Title, "title");
        var summary = (c.Summary ?? "").Trim();
        if (summary.Length > InputLimits.Summary)
            throw new DomainException(ErrorCodes.InvalidInput, new(Messages.SummaryLimited20000Characters), "summary");
        InputLimits.Text(summary, InputLimits.Summary, "summary", multiline: true);
        InputLimits.Date(c.StartDate, "startDate");
        if (c.Person is { } person)
        {
            InputLimits.Text(person.FullName, InputLimits.PersonName, "person.fullName");
            InputLimits.Text(person.Position, InputLimits.Position, "person.position");
            InputLimits.Text(person.Address, InputLimits.Address, "person.address");
            InputLimits.PhoneNumber(person.Phone, "person.phone");
            if (today is { } day) InputLimits.PastDate(person.BirthDate, day, "person.birthDate");
            else InputLimits.Date(person.BirthDate, "person.birthDate");
        }
        if (field is null)
            throw new DomainException(ErrorCodes.NotFound, new(Messages.FieldNotFound), "fieldId");
        if (c.Kind == EntryKind.Exemplar && c.ExemplarType is null)
            throw new DomainException(ErrorCodes.InvalidInput, new(Messages.ExemplarTypeRequired), "exemplarType");
        if (c.Kind == EntryKind.Model && c.ExemplarType is not null)
            throw new DomainException(ErrorCodes.InvalidInput, new(Messages.ModelHasExemplarType), "exemplarType");
        if (c.Person is not null && c.ExemplarType != ExemplarType.Individual)
            throw new DomainException(ErrorCodes.InvalidInput, new(Messages.PersonOnlyForIndividuals), "person");
        if (c.Person is not null && string.IsNullOrWhiteSpace(c.Person.FullName))
            throw new DomainException(ErrorCodes.InvalidInput, new(Messages.PersonFullNameRequired), "person.fullName");
        if (c.Novelty == EntryNovelty.Replicated && c.ReplicatedFromEntryId is null)
            throw new DomainException(ErrorCodes.InvalidInput, new(Messages.ReplicatedEntryNeedsSource), "replicatedFromEntryId");
        if (c.Novelty != EntryNovelty.Replicated && c.ReplicatedFromEntryId is not null)
            throw new DomainException(ErrorCodes.InvalidInput, new(Messages.SourceOnlyForReplicated), "replicatedFromEntryId");
        if (c.ReplicatedFromEntryId is not null && replicatedFrom is null)
            throw new DomainException(ErrorCodes.NotFound, new(Messages.ReplicatedEntryNotFound), "replicatedFromEntryId");
        if (replicatedFrom is not null && (replicatedFrom.Id == entryId || replicatedFrom.UnitId == unitId))
            throw new DomainException(SelfReplication, new(Messages.EntryCannotReplicateOwnUnit), "replicatedFromEntryId");
        ValidateResults(c.Results);
        if (c.Evidence.Count > 50)
            throw new DomainException(ErrorCodes.InvalidInput, new(Messages.AtMost50EvidenceLinks), "evidence");
        foreach (var link in c.Evidence)
        {
            InputLimits.Text(link.Title, InputLimits.LinkTitle, "evidence.title");
            InputLimits.Text(link.Url, InputLimits.Url, "evidence.url");
            if (!Uri.TryCreate(link.Url, UriKind.Absolute, out var uri) || (uri.Scheme != "https" && uri.Scheme != "http"))
                throw new DomainException(ErrorCodes.InvalidInput, new(Messages.EvidenceLinkHttpSURL, link.Url), "evidence");
        }
        _ = NormalizeTags(c.Tags);
    }

    private static List<string> NormalizeTags(IReadOnlyList<string> raw)
    {
        var tags = raw.Select(t => t.Trim()).Where(t => t.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (tags.Count > 30 || tags.Any(t => t.Length > InputLimits.Tag))
            throw new DomainException(ErrorCodes.InvalidInput, new(Messages.AtMost30TagsUp), "tags");
        foreach (var tag in tags) InputLimits.Text(tag, InputLimits.Tag, "tags");
        return tags;
    }

    private static void ApplyContent(Entry entry, EntryContent c, Field? field, Entry? replicatedFrom, DateTime now)
    {
        Validate(c, field, replicatedFrom, entry.UnitId, entry.Id, RegistryClock.VietnamDate(now));
        var tags = NormalizeTags(c.Tags);
        var title = c.Title.Trim();
        var summary = (c.Summary ?? "").Trim();
        entry.Title = title;
        entry.Summary = summary;
        entry.Kind = c.Kind;
        entry.ExemplarType = c.ExemplarType;
        entry.Person = c.Person;
        entry.FieldId = field!.Id;
        entry.Level = c.Level;
        entry.StartDate = c.StartDate;
        entry.Novelty = c.Novelty;
        entry.ReplicatedFromEntryId = replicatedFrom?.Id;
        entry.Results = c.Results;
        entry.Evidence = [.. c.Evidence];
        entry.Tags = tags;
        Touch(entry, now);
    }

    /// <summary>
    /// The title sort key: Vietnamese alphabetical order, then the folded title (what title filters
    /// compare, <see cref="EntryFilterValues.FoldedTitle"/>), then the code (unique, so keyset paging has no ties).
    /// </summary>
    public static string TitleKeyOf(string title, string code) =>
        VietnameseCollation.Key(title) + "\u0001" + TextFolding.Fold(title) + "\u0001" + code;

    private static void Touch(Entry entry, DateTime now)
    {
        entry.UpdatedAt = now;
        Rekey(entry);
    }

    /// <summary>The search tokens and the unique sort keys, from the entry's content and code (each ends with the code: unique).</summary>
    private static void Rekey(Entry entry)
    {
        entry.SearchTokens = TextFolding.IndexTokens(entry.Title, PublicCode(entry), string.Join(' ', entry.Tags));
        entry.TitleKey = TitleKeyOf(entry.Title, entry.Code);
        entry.StartKey = (entry.StartDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "0000-00-00") + "|" + entry.Code;
        entry.UpdatedKey = entry.UpdatedAt.Ticks.ToString("D19", CultureInfo.InvariantCulture) + "|" + entry.Code;
    }

    private static void ValidateResults(EntryResults r)
    {
        if (r.HouseholdsReached < 0 || r.PeopleReached < 0 || r.MoneyMobilizedVnd < 0 || r.LandDonatedM2 < 0 || r.Workdays < 0)
            throw new DomainException(ErrorCodes.InvalidInput, new(Messages.ResultFiguresCannotNegative), "results");
        if (r.LandDonatedM2 is { } land && (double.IsNaN(land) || double.IsInfinity(land)))
            throw new DomainException(ErrorCodes.InvalidInput, new(Messages.LandDonatedFiniteNumber), "results.landDonatedM2");
        if (r.Outcomes is { Length: > InputLimits.Outcomes })
            throw new DomainException(ErrorCodes.InvalidInput, new(Messages.OutcomesTextLimited10000), "results.outcomes");
        InputLimits.Text(r.Outcomes, InputLimits.Outcomes, "results.outcomes", multiline: true);
    }

    /// <summary>Splits a free-text query into folded word prefixes, at most 8 of them.</summary>
    public static IReadOnlyList<string> SearchTerms(string? query)
    {
        InputLimits.Search(query, "where.search");
        return TextFolding.Tokens(query).Distinct().Take(8).ToList();
    }
}
