using DanVanKheo.Api.Common;
using DanVanKheo.Api.Entries;
using DanVanKheo.Api.Fields;
using DanVanKheo.Api.Units;

namespace DanVanKheo.Tests.Domain;

public class EntryRulesTests
{
    private static readonly DateTime T0 = new(2025, 3, 1, 8, 0, 0, DateTimeKind.Utc);
    private static readonly Field Culture = Field.Standard[1];
    private static readonly Unit Commune = UnitRules.Create(new UnitDraft("X1", "Xã Mỹ Hòa Hưng", UnitKind.Commune, null, null, null), null, T0);

    private static EntryContent Content(string title = "Khéo vận động nhân dân hiến đất làm đường") =>
        new() { Title = title, Summary = "Tóm tắt", Kind = EntryKind.Model, FieldId = Culture.Id, Level = EntryLevel.Commune, Tags = ["nông thôn mới"] };

    [Fact]
    public void A_draft_gets_no_public_code_and_its_registration_gets_the_code_of_the_registration_year()
    {
        var e = EntryRules.CreateDraft(Content(), Commune, Culture, null, 2025, "editor-1", T0);
        Assert.Null(EntryRules.PublicCode(e));
        Assert.Equal(EntryRules.DraftKey(e.Id), e.Code);
        Assert.False(EntryRules.IsWellFormedCode(e.Code));
        Assert.Equal(EntryStatus.Draft, e.Status);
        Assert.Equal(Commune.Lineage(), e.UnitLineage);
        Assert.Contains("kheo", e.SearchTokens);
        Assert.Contains("duong", e.SearchTokens);
        Assert.DoesNotContain(e.SearchTokens, t => t.Contains(e.Id[..8], StringComparison.Ordinal));
        Assert.True(VietnameseCollation.IsCurrent(e.TitleKey));
        Assert.Contains("\u0001kheo van dong\u0001", e.TitleKey);

        // Submitted on 31/12/2025 at 18:00 UTC: already 1/1/2026 in Vietnam.
        EntryRules.Submit(e, new DateTime(2025, 12, 31, 18, 0, 0, DateTimeKind.Utc));
        Assert.Equal(2026, e.Year);
        EntryRules.AssignCode(e, 123);
        Assert.Equal("DVK-2026-000123", e.Code);
        Assert.Equal(e.Code, EntryRules.PublicCode(e));
        Assert.True(EntryRules.IsWellFormedCode(e.Code));
        Assert.Contains("000123", e.SearchTokens);
        Assert.EndsWith("|DVK-2026-000123", e.UpdatedKey);
        Assert.EndsWith("DVK-2026-000123", e.TitleKey);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1_000_000)]
    public void Sequences_outside_six_digits_are_refused(long sequence)
    {
        var e = EntryRules.CreateDraft(Content(), Commune, Culture, null, 2025, "e", T0);
        EntryRules.Submit(e, T0);
        Assert.Equal("CODE_SPACE_EXHAUSTED", Assert.Throws<DomainException>(() => EntryRules.AssignCode(e, sequence)).Code);
    }

    [Fact]
    public void A_draft_stored_with_a_code_gives_it_up_and_a_registered_entry_keeps_its_code()
    {
        var draft = EntryRules.CreateDraft(Content(), Commune, Culture, null, 2025, "e", T0);
        draft.Code = "DVK-2025-000007"; // as drafts were stored before codes moved to registration
        Assert.True(EntryRules.WithdrawDraftCode(draft));
        Assert.Null(EntryRules.PublicCode(draft));
        Assert.DoesNotContain("000007", draft.SearchTokens);
        Assert.False(EntryRules.WithdrawDraftCode(draft));

        var registered = EntryRules.CreateDraft(Content(), Commune, Culture, null, 2025, "e", T0);
        EntryRules.Submit(registered, T0);
        EntryRules.AssignCode(registered, 8);
        Assert.False(EntryRules.WithdrawDraftCode(registered));
        Assert.Equal("DVK-2025-000008", registered.Code);
    }

    public static TheoryData<EntryContent, string> BadContent() => new()
    {
        { Content("Ngắn"), "title" },
        { Content() with { Kind = EntryKind.Exemplar }, "exemplarType" },
        { Content() with { ExemplarType = ExemplarType.Collective }, "exemplarType" },
        { Content() with { Person = new ExemplarPerson { FullName = "Nguyễn Văn An" } }, "person" },
        { Content() with { Novelty = EntryNovelty.Replicated }, "replicatedFromEntryId" },
        { Content() with { Results = new EntryResults { HouseholdsReached = -1 } }, "results" },
        { Content() with { Evidence = [new EvidenceLink { Title = "x", Url = "ftp://x" }] }, "evidence" },
        { Content() with { Tags = Enumerable.Range(0, 31).Select(i => "thẻ " + i).ToList() }, "tags" },
    };

    [Theory]
    [MemberData(nameof(BadContent))]
    public void Invalid_content_is_refused_with_the_field_it_concerns(EntryContent content, string field) =>
        Assert.Equal(field, Assert.Throws<DomainException>(() => EntryRules.Validate(content, Culture, null, Commune.Id)).Field);

    [Fact]
    public void Only_drafts_are_edited_and_submitted_and_each_change_bumps_the_version()
    {
        var e = EntryRules.CreateDraft(Content(), Commune, Culture, null, 2025, "e", T0);
        EntryRules.Update(e, Content("Khéo vận động hiến đất mở đường"), Culture, null, T0.AddHours(1));
        Assert.Equal(2, e.Version);
        EntryRules.Submit(e, T0.AddHours(2));
        Assert.Equal(EntryStatus.Registered, e.Status);
        Assert.Equal(3, e.Version);
        Assert.Equal(ErrorCodes.InvalidStatus, Assert.Throws<DomainException>(() => EntryRules.Update(e, Content(), Culture, null, T0)).Code);
        Assert.Equal(ErrorCodes.InvalidStatus, Assert.Throws<DomainException>(() => EntryRules.Submit(e, T0)).Code);
        EntryRules.Discontinue(e, "  Sáp nhập  ", T0.AddHours(3));
        Assert.Equal("Sáp nhập", e.DiscontinuedReason);
        Assert.Equal(ErrorCodes.InvalidStatus, Assert.Throws<DomainException>(() => EntryRules.Discontinue(e, null, T0)).Code);
    }

    [Fact]
    public void A_draft_without_summary_cannot_be_submitted()
    {
        var e = EntryRules.CreateDraft(Content() with { Summary = "  " }, Commune, Culture, null, 2025, "e", T0);
        Assert.Equal("summary", Assert.Throws<DomainException>(() => EntryRules.Submit(e, T0)).Field);
        Assert.Equal(EntryStatus.Draft, e.Status);
    }

    [Fact]
    public void An_entry_cannot_replicate_its_own_units_entry()
    {
        var source = EntryRules.CreateDraft(Content(), Commune, Culture, null, 2025, "e", T0);
        var content = Content() with { Novelty = EntryNovelty.Replicated, ReplicatedFromEntryId = source.Id };
        Assert.Equal("SELF_REPLICATION", Assert.Throws<DomainException>(() => EntryRules.Validate(content, Culture, source, Commune.Id)).Code);
    }

    [Fact]
    public void Search_terms_are_folded_distinct_and_capped() =>
        Assert.Equal(["khe", "van", "dong", "a", "b", "c", "d", "e"], EntryRules.SearchTerms("KHÉ vận Động khe a b c d e f g"));
}
