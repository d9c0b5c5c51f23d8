using DanVanKheo.Api.Common;
using DanVanKheo.Api.Entries;
using DanVanKheo.Api.Units;
using static DanVanKheo.Tests.Storage.TestData;

namespace DanVanKheo.Tests.Storage;

/// <summary>What every <see cref="IEntryStore"/> must do; one subclass per store.</summary>
public abstract class EntryStoreContract : StoreContract
{
    private IEntryStore Store => Stores.Entries;

    private static readonly Unit Tinh = Unit("VL", "Tỉnh Vĩnh Long", kind: UnitKind.Province);
    private static readonly Unit Huyen = Unit("VL.TAM-BINH", "Huyện Tam Bình", Tinh, UnitKind.District);
    private static readonly Unit XaA = Unit("VL.TAM-BINH.MY-LOC", "Xã Mỹ Lộc", Huyen);
    private static readonly Unit XaB = Unit("VL.TAM-BINH.HOA-HIEP", "Xã Hòa Hiệp", Huyen);
    private static readonly Unit TinhKhac = Unit("BT", "Tỉnh Bến Tre", kind: UnitKind.Province);

    [StoreFact]
    public async Task Inserted_entry_reads_back_whole_by_id_and_code()
    {
        var entry = Registered(XaA, "Gương bà Nguyễn Thị Lành hiến đất mở đường", 7, with: c => c with
        {
            Kind = EntryKind.Exemplar,
            ExemplarType = ExemplarType.Individual,
            Person = new ExemplarPerson
            {
                FullName = "Nguyễn Thị Lành", Position = "Tổ trưởng tổ nhân dân", Phone = "0909 123 456",
                Address = "Ấp Mỹ Phú, xã Mỹ Lộc", BirthDate = new DateOnly(1958, 2, 28),
            },
            Level = EntryLevel.District,
            StartDate = new DateOnly(2023, 10, 15),
            Novelty = EntryNovelty.Continuing,
            Results = new EntryResults
            {
                HouseholdsReached = 42, PeopleReached = 180, MoneyMobilizedVnd = 1_250_000_000, LandDonatedM2 = 312.5,
                Workdays = 900, Outcomes = "Mở rộng 1,2 km đường đal liên ấp.",
            },
            Evidence = [new EvidenceLink { Title = "Bài báo Vĩnh Long", Url = "https://baovinhlong.vn/bai-viet" }],
            Tags = ["giao thông nông thôn", "hiến đất"],
        });
        var plain = Draft(XaB, "Mô hình nuôi bò sinh sản", 8);
        await Store.InsertAsync(entry);
        await Store.InsertAsync(plain);

        AssertSame(entry, Assert.Single(await Store.GetByIdsAsync([entry.Id, entry.Id, "khong-co"])));
        AssertSame(entry, await Store.GetByCodeAsync(" dvk-2024-000007 "));
        AssertSame(plain, (await Store.GetByIdsAsync([plain.Id])).SingleOrDefault());
        Assert.Null(await Store.GetByCodeAsync("DVK-2024-000099"));
        Assert.Empty(await Store.GetByIdsAsync([]));
        Assert.Equal(2, await Store.CountAsync());
    }

    [StoreFact]
    public async Task A_taken_code_is_refused()
    {
        var first = Registered(XaA, "Mô hình tổ tự quản đường hoa", 1);
        await Store.InsertAsync(first);

        await Assert.ThrowsAsync<DuplicateKeyException>(() => Store.InsertAsync(Registered(XaB, "Mô hình khác cùng mã", 1)));
        await Assert.ThrowsAsync<DuplicateKeyException>(() => Store.InsertManyAsync([Registered(XaB, "Mô hình khác cùng mã", 1)]));

        AssertSame(first, await Store.GetByCodeAsync(first.Code));
        Assert.Equal(1, await Store.CountAsync());
    }

    [StoreFact]
    public async Task InsertMany_inserts_all()
    {
        await Store.InsertManyAsync(Enumerable.Range(1, 30).Select(i => Draft(XaA, $"Mô hình số {i}", i)).ToList());
        Assert.Equal(30, await Store.CountAsync());
    }

    [StoreFact]
    public async Task Replace_needs_the_stored_version()
    {
        var entry = Draft(XaA, "Mô hình ánh sáng đường quê", 3);
        await Store.InsertAsync(entry);

        var edited = (await Store.GetByIdsAsync([entry.Id]))[0];
        EntryRules.Update(edited, Content("Mô hình thắp sáng đường quê"), KinhTe, null, T0.AddHours(1));
        Assert.True(await Store.ReplaceAsync(edited, expectedVersion: 1));

        var stale = (await Store.GetByIdsAsync([entry.Id]))[0];
        stale.Title = "Ghi đè từ bản cũ";
        stale.Version = 2;
        Assert.False(await Store.ReplaceAsync(stale, expectedVersion: 1));

        var stored = (await Store.GetByIdsAsync([entry.Id])).SingleOrDefault();
        AssertSame(edited, stored);
        Assert.Equal(2, stored!.Version);
        Assert.Equal(["mo", "hinh", "thap", "sang", "duong", "que"], stored.SearchTokens);

        Assert.False(await Store.ReplaceAsync(Draft(XaA, "Chưa từng lưu", 4), expectedVersion: 1));
        Assert.Equal(1, await Store.CountAsync());
    }

    [StoreFact]
    public async Task Sequences_are_consecutive_per_year()
    {
        Assert.Equal(1, await Store.ReserveSequenceAsync(2024, 1));
        Assert.Equal(2, await Store.ReserveSequenceAsync(2024, 5));
        Assert.Equal(7, await Store.ReserveSequenceAsync(2024, 1));
        Assert.Equal(1, await Store.ReserveSequenceAsync(2025, 1));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Store.ReserveSequenceAsync(2024, 0));
    }

    [StoreFact]
    [EmulatorGap("findAndModify under heavy concurrency can return a stale post-image")]
    public async Task Concurrent_reservations_never_share_a_number()
    {
        var firsts = await Task.WhenAll(Enumerable.Range(0, 50)
            .Select(i => Task.Run(() => Store.ReserveSequenceAsync(2026, i % 2 + 1))));

        var numbers = firsts.Zip(Enumerable.Range(0, 50), (first, i) => Enumerable.Range(0, i % 2 + 1).Select(k => first + k))
            .SelectMany(n => n).Order().ToList();
        Assert.Equal(Enumerable.Range(1, 75).Select(n => (long)n), numbers);
        Assert.Equal(76, await Store.ReserveSequenceAsync(2026, 1));
    }

    /// <summary>A draft as drafts were stored before codes moved to registration: with a public code.</summary>
    private static Entry OldStyleDraft(Unit unit, string title, long sequence)
    {
        var e = Registered(unit, title, sequence);
        e.Status = EntryStatus.Draft;
        e.SubmittedAt = null;
        return e;
    }

    private async Task<Entry> StoredDraft(Unit unit, string title)
    {
        var draft = Draft(unit, title, 0);
        await Store.InsertAsync(draft);
        return draft;
    }

    private async Task<Entry?> Register(Entry draft, DateTime at)
    {
        var version = draft.Version;
        EntryRules.Submit(draft, at);
        return await Store.RegisterAsync(draft, version, null) ? draft : null;
    }

    [StoreFact]
    public async Task Registering_gives_the_next_code_of_the_registration_year_and_a_refused_one_uses_no_number()
    {
        var a = await StoredDraft(XaA, "Mô hình Tổ hòa giải ở cơ sở");
        var b = await StoredDraft(XaB, "Mô hình Dòng kênh xanh");
        var c = await StoredDraft(XaB, "Mô hình Ngôi nhà nhân ái");
        Assert.Null(EntryRules.PublicCode((await Store.GetByIdsAsync([a.Id])).Single()));

        var at = new DateTime(2026, 3, 2, 2, 0, 0, DateTimeKind.Utc);
        Assert.Equal("DVK-2026-000001", (await Register(a, at))!.Code);
        // A stale version: refused, no number taken.
        var stale = (await Store.GetByIdsAsync([b.Id])).Single();
        EntryRules.Submit(stale, at);
        Assert.False(await Store.RegisterAsync(stale, 5, null));
        Assert.Equal(EntryStatus.Draft, (await Store.GetByIdsAsync([b.Id])).Single().Status);
        Assert.Equal("DVK-2026-000002", (await Register(b, at))!.Code);
        // 31/12/2026 at 20:00 UTC is 1/1/2027 in Vietnam: the first code of 2027.
        Assert.Equal("DVK-2027-000001", (await Register(c, new DateTime(2026, 12, 31, 20, 0, 0, DateTimeKind.Utc)))!.Code);

        var stored = (await Store.GetByIdsAsync([a.Id, b.Id, c.Id])).OrderBy(e => e.Code, StringComparer.Ordinal).ToList();
        Assert.Equal(["DVK-2026-000001", "DVK-2026-000002", "DVK-2027-000001"], stored.Select(e => e.Code));
        Assert.Equal([2026, 2026, 2027], stored.Select(e => e.Year));
        Assert.All(stored, e => Assert.Equal(EntryStatus.Registered, e.Status));
        AssertSame(b, await Store.GetByCodeAsync("DVK-2026-000002"));
        Assert.Equal([b.Code], await Codes(Search("000002")));
        Assert.Equal([a.Code, b.Code], await Codes(new EntryFilter { Year = 2026 }));
    }

    [StoreFact]
    public async Task A_registration_that_fails_inside_its_transaction_leaves_the_draft_and_the_counter_as_they_were()
    {
        var draft = await StoredDraft(XaA, "Mô hình Camera an ninh cộng đồng");
        Assert.Equal(1, await Store.ReserveSequenceAsync(2025, 999_999));
        var version = draft.Version;
        EntryRules.Submit(draft, new DateTime(2025, 6, 1, 2, 0, 0, DateTimeKind.Utc));
        Assert.Equal(EntryRules.CodeSpaceExhausted,
            (await Assert.ThrowsAsync<DomainException>(() => Store.RegisterAsync(draft, version, null))).Code);

        var stored = (await Store.GetByIdsAsync([draft.Id])).Single();
        Assert.Equal(EntryStatus.Draft, stored.Status);
        Assert.Null(EntryRules.PublicCode(stored));
        Assert.Equal(version, stored.Version);
        Assert.Equal(1_000_000, await Store.ReserveSequenceAsync(2025, 1));
        Assert.Equal(0, (await Store.FindAsync(new EntryFilter(), new EntrySort(), new PageRequest(10))).TotalCount);
    }

    [StoreFact]
    [EmulatorGap("concurrent transactions overwrite each other's commits")]
    public async Task Forty_concurrent_registrations_get_forty_contiguous_codes()
    {
        var drafts = new List<Entry>();
        for (var i = 0; i < 40; i++) drafts.Add(await StoredDraft(i % 2 == 0 ? XaA : XaB, $"Mô hình Dân vận khéo số {i}"));
        var at = new DateTime(2026, 5, 1, 2, 0, 0, DateTimeKind.Utc);

        var registered = await Task.WhenAll(drafts.Select(d => Task.Run(() => Register(d, at))));

        Assert.All(registered, Assert.NotNull);
        var codes = (await Store.GetByIdsAsync(drafts.Select(d => d.Id).ToList())).Select(e => e.Code).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(Enumerable.Range(1, 40).Select(n => EntryRules.FormatCode(2026, n)), codes);
        Assert.Equal(40, (await Store.FindAsync(new EntryFilter { Year = 2026 }, new EntrySort(), new PageRequest(100))).TotalCount);
    }

    [StoreFact]
    public async Task The_migration_takes_the_codes_of_drafts_stored_with_one_and_leaves_registered_entries_alone()
    {
        var oldDraft = OldStyleDraft(XaA, "Mô hình Tuyến đường tự quản", 1);
        var registered = Registered(XaA, "Mô hình Khu dân cư không ma túy", 2);
        var otherDraft = OldStyleDraft(XaB, "Mô hình Bữa cơm nghĩa tình", 3);
        var newDraft = Draft(XaB, "Mô hình Tủ sách cộng đồng", 0);
        foreach (var e in new[] { oldDraft, registered, otherDraft, newDraft }) await Store.InsertAsync(e);
        Assert.Equal([oldDraft.Code], await Codes(new EntryFilter { SearchTerms = ["000001"], Visibility = EntryVisibility.Everything }));

        Assert.Equal(2, await Store.WithdrawDraftCodesAsync());

        var stored = (await Store.GetByIdsAsync([oldDraft.Id, registered.Id, otherDraft.Id, newDraft.Id])).ToDictionary(e => e.Id);
        Assert.Null(EntryRules.PublicCode(stored[oldDraft.Id]));
        Assert.Null(EntryRules.PublicCode(stored[otherDraft.Id]));
        Assert.Equal(EntryStatus.Draft, stored[oldDraft.Id].Status);
        Assert.Equal("DVK-2024-000002", stored[registered.Id].Code);
        Assert.Equal(newDraft.Code, stored[newDraft.Id].Code);
        Assert.Null(await Store.GetByCodeAsync("DVK-2024-000001"));
        // The search keys and order follow: the old codes are found no more, drafts sort after codes.
        var everything = new EntryFilter { Visibility = EntryVisibility.Everything };
        Assert.Empty(await Codes(everything with { SearchTerms = ["000001"] }));
        Assert.Empty(await Codes(everything with { SearchTerms = ["000003"] }));
        var ordered = await Codes(everything);
        Assert.Equal("DVK-2024-000002", ordered[0]);
        Assert.All(ordered.Skip(1), c => Assert.StartsWith(EntryRules.DraftKeyPrefix, c));

        Assert.Equal(0, await Store.WithdrawDraftCodesAsync());
        Assert.Equal(ordered, await Codes(everything));
    }

    /// <summary>Codes in code order (drafts' keys sort after every code, among themselves by id).</summary>
    private static string[] Ordered(params string[] codes) => [.. codes.Order(StringComparer.Ordinal)];

    private async Task<string[]> Codes(EntryFilter filter) =>
        (await Store.FindAsync(filter, new EntrySort(EntrySortField.Code, SortDirection.Asc), new PageRequest(100)))
        .Items.Select(e => e.Code).ToArray();

    private static EntryFilter Search(string query) => new() { SearchTerms = EntryRules.SearchTerms(query) };

    [StoreFact]
    public async Task Search_matches_every_word_as_a_prefix_ignoring_diacritics()
    {
        var hienDat = Registered(XaA, "Khéo vận động nhân dân hiến đất làm đường", 1, with: c => c with { Tags = ["giao thông nông thôn"] });
        var nongThon = Registered(XaB, "Dân vận khéo trong xây dựng nông thôn mới", 2);
        var khuyenHoc = Registered(TinhKhac, "Vận động đóng góp quỹ khuyến học", 3);
        await Store.InsertManyAsync([hienDat, nongThon, khuyenHoc]);

        Assert.Equal([hienDat.Code], await Codes(Search("khe van dong")));
        Assert.Equal([hienDat.Code], await Codes(Search("KHÉO vận ĐỘNG")));
        Assert.Equal([hienDat.Code, khuyenHoc.Code], await Codes(Search("động vận")));
        Assert.Equal([hienDat.Code, nongThon.Code], await Codes(Search("nông thôn")));
        Assert.Equal([khuyenHoc.Code], await Codes(Search("dvk-2024-000003")));
        Assert.Equal([hienDat.Code, nongThon.Code, khuyenHoc.Code], await Codes(Search("")));
        Assert.Empty(await Codes(Search("eo")));
        Assert.Empty(await Codes(Search("hiến đất xyz")));
        // Terms are matched literally, never as patterns.
        Assert.Empty(await Codes(new EntryFilter { SearchTerms = ["kh."] }));
        Assert.Empty(await Codes(new EntryFilter { SearchTerms = [".*"] }));
    }

    [StoreFact]
    public async Task Filters_by_unit_subunits_field_kind_status_and_year()
    {
        var a = Registered(XaA, "Mô hình chợ an toàn thực phẩm", 1);
        var b = Registered(XaB, "Điển hình tập thể ấp văn hóa", 2, field: VanHoa,
            with: c => c with { Kind = EntryKind.Exemplar, ExemplarType = ExemplarType.Collective });
        var c = Registered(Huyen, "Mô hình dân vận khéo cấp huyện", 3, year: 2025);
        EntryRules.Discontinue(c, "Đã sáp nhập đơn vị hành chính", T0.AddDays(3));
        var d = Registered(TinhKhac, "Mô hình vườn cây ăn trái", 4, field: VanHoa);
        await Store.InsertManyAsync([a, b, c, d]);

        Assert.Equal([a.Code], await Codes(new EntryFilter { UnitId = XaA.Id }));
        Assert.Equal([c.Code], await Codes(new EntryFilter { UnitId = Huyen.Id }));
        Assert.Equal([a.Code, b.Code, c.Code], await Codes(new EntryFilter { UnitId = Huyen.Id, IncludeSubunits = true }));
        Assert.Equal([a.Code, b.Code, c.Code], await Codes(new EntryFilter { UnitId = Tinh.Id, IncludeSubunits = true }));
        Assert.Equal([b.Code], await Codes(new EntryFilter { UnitId = Huyen.Id, IncludeSubunits = true, FieldId = VanHoa.Id }));
        Assert.Equal([b.Code, d.Code], await Codes(new EntryFilter { FieldId = VanHoa.Id }));
        Assert.Equal([b.Code], await Codes(new EntryFilter { Kind = EntryKind.Exemplar }));
        Assert.Equal([c.Code], await Codes(new EntryFilter { Statuses = [EntryStatus.Discontinued] }));
        Assert.Equal([a.Code, b.Code, d.Code, c.Code],
            await Codes(new EntryFilter { Statuses = [EntryStatus.Registered, EntryStatus.Discontinued] }));
        Assert.Equal([c.Code], await Codes(new EntryFilter { Year = 2025 }));
        Assert.Equal([d.Code], await Codes(new EntryFilter { FieldId = VanHoa.Id, Kind = EntryKind.Model, Year = 2024 }));
    }

    [StoreFact]
    public async Task Drafts_are_seen_only_within_the_scope_given()
    {
        var published = Registered(XaA, "Mô hình đã đăng ký", 1);
        var draftA = Draft(XaA, "Bản nháp của xã Mỹ Lộc", 2);
        var draftB = Draft(XaB, "Bản nháp của xã Hòa Hiệp", 3);
        var draftOther = Draft(TinhKhac, "Bản nháp của tỉnh Bến Tre", 4);
        await Store.InsertManyAsync([published, draftA, draftB, draftOther]);

        Assert.Equal(Ordered(published.Code), await Codes(new EntryFilter { Visibility = EntryVisibility.Public }));
        Assert.Equal(Ordered(published.Code, draftA.Code, draftB.Code),
            await Codes(new EntryFilter { Visibility = new EntryVisibility(false, Huyen.Id) }));
        Assert.Equal(Ordered(published.Code, draftB.Code), await Codes(new EntryFilter { Visibility = new EntryVisibility(false, XaB.Id) }));
        Assert.Equal(Ordered(published.Code, draftA.Code, draftB.Code, draftOther.Code),
            await Codes(new EntryFilter { Visibility = EntryVisibility.Everything }));
        Assert.Equal(Ordered(draftA.Code, draftB.Code),
            await Codes(new EntryFilter { Visibility = new EntryVisibility(false, Tinh.Id), Statuses = [EntryStatus.Draft] }));
    }

    /// <summary>Titles where a folded title prefixes another, or differs only by punctuation.</summary>
    private static readonly string[] Titles =
    [
        "Dân vận khéo", "Dân vận khéo xây dựng nông thôn mới", "Dân vận khéo – hiến đất làm đường",
        "Đường hoa nông thôn", "Dọn vệ sinh môi trường", "Ánh sáng đường quê", "Áo ấm cho em",
        "An toàn giao thông", "Zalo kết nối khu phố", "Khéo vận động nhân dân hiến đất",
        "Khéo vận động nhân dân hiến đất làm đường", "Nuôi heo đất giúp hộ nghèo", "Nước sạch cho bà con",
        "Dân vận khéo", "Dân vận khéo",
    ];

    private async Task<List<Entry>> SeedForPagingAsync()
    {
        var entries = new List<Entry>();
        for (var i = 0; i < Titles.Length; i++)
        {
            // Sequence, update time and start date are shuffled against each other so each sort differs.
            var seq = (i * 7 % Titles.Length) + 1;
            var updated = T0.AddMinutes(i * 11 % Titles.Length).AddMilliseconds(i);
            DateOnly? start = i % 4 == 0 ? null : new DateOnly(2020 + i % 3, 1 + i % 12, 1 + i * 5 % 28);
            var entry = i % 3 == 0
                ? Draft(XaA, Titles[i], seq, now: updated, with: c => c with { StartDate = start })
                : Registered(XaB, Titles[i], seq, now: updated, with: c => c with { StartDate = start });
            entries.Add(entry);
        }
        await Store.InsertManyAsync(entries);
        return entries;
    }

    public static TheoryData<EntrySortField, SortDirection> Sorts()
    {
        var data = new TheoryData<EntrySortField, SortDirection>();
        foreach (var field in Enum.GetValues<EntrySortField>().Where(EntrySort.IsUnique))
            foreach (var direction in Enum.GetValues<SortDirection>())
                data.Add(field, direction);
        return data;
    }

    [StoreTheory]
    [MemberData(nameof(Sorts))]
    public async Task Pages_through_every_sort_both_ways_without_gaps_or_repeats(EntrySortField field, SortDirection direction)
    {
        var entries = await SeedForPagingAsync();
        var sort = new EntrySort(field, direction);
        var filter = new EntryFilter { Visibility = EntryVisibility.Everything };
        var keys = entries.Select(e => EntrySort.KeyOf(e, field)).Order(StringComparer.Ordinal).ToList();
        if (direction == SortDirection.Desc) keys.Reverse();
        var expected = keys.Select(k => entries.Single(e => EntrySort.KeyOf(e, field) == k).Code).ToList();

        var forward = new List<string>();
        string? after = null;
        while (true)
        {
            var page = await Store.FindAsync(filter, sort, new PageRequest(4, After: after));
            Assert.Equal(entries.Count, page.TotalCount);
            Assert.Equal(after is not null, page.HasPreviousPage);
            Assert.InRange(page.Items.Count, 1, 4);
            forward.AddRange(page.Items.Select(e => e.Code));
            if (!page.HasNextPage) break;
            after = sort.CursorOf(page.Items[^1]);
        }
        Assert.Equal(expected, forward);

        var backward = new List<string>();
        string? before = null;
        while (true)
        {
            var page = await Store.FindAsync(filter, sort, new PageRequest(4, Before: before, Backward: true));
            Assert.Equal(before is not null, page.HasNextPage);
            backward.InsertRange(0, page.Items.Select(e => e.Code));
            if (!page.HasPreviousPage) break;
            before = sort.CursorOf(page.Items[0]);
        }
        Assert.Equal(expected, backward);

        // Going back from a page reached by going forward lands on the page before it.
        var second = await Store.FindAsync(filter, sort, new PageRequest(4, After: EntrySort.EncodeKey([keys[3]])));
        Assert.Equal(expected[4..8], second.Items.Select(e => e.Code));
        var first = await Store.FindAsync(filter, sort, new PageRequest(4, Before: EntrySort.EncodeKey([keys[4]]), Backward: true));
        Assert.Equal(expected[..4], first.Items.Select(e => e.Code));
        Assert.False(first.HasPreviousPage);
        Assert.True(first.HasNextPage);

        // With a filter the count and the pages cover only what matches.
        var published = new EntryFilter { Visibility = EntryVisibility.Public };
        var expectedPublished = expected.Where(code => entries.Single(e => e.Code == code).Status != EntryStatus.Draft).ToList();
        var all = new List<string>();
        after = null;
        while (true)
        {
            var page = await Store.FindAsync(published, sort, new PageRequest(3, After: after));
            Assert.Equal(expectedPublished.Count, page.TotalCount);
            all.AddRange(page.Items.Select(e => e.Code));
            if (!page.HasNextPage) break;
            after = sort.CursorOf(page.Items[^1]);
        }
        Assert.Equal(expectedPublished, all);
    }

    /// <summary>Vietnamese alphabetical order: a &lt; ă &lt; â, d &lt; đ, e &lt; ê as letters; tones decide only between equal letters.</summary>
    public static readonly string[] VietnameseOrder =
        ["Anh xã", "Ánh xã", "Ăn xã", "Âm xã", "Bình xã", "Dũng xã", "Đảm xã", "Đào xã", "Em xã", "Ê-đê xã"];

    [StoreFact]
    public async Task Title_order_is_Vietnamese_and_keys_of_an_older_collation_are_rewritten_at_start()
    {
        var shuffled = VietnameseOrder.Select((title, i) => (title, i)).OrderBy(x => (x.i * 7) % VietnameseOrder.Length).ToList();
        var entries = shuffled.Select(x => Registered(XaA, x.title, 100 + x.i)).ToList();
        // Two entries as an older release stored them: the folded title as the key.
        foreach (var stale in entries.Take(2)) stale.TitleKey = TextFolding.Fold(stale.Title) + "\u0001" + stale.Code;
        foreach (var e in entries) await Store.InsertAsync(e);
        Assert.False(await EntryTitleKeys.AllCurrentAsync(Store, default));

        Assert.Equal(2, await EntryTitleKeys.BackfillAsync(Store, default));

        Assert.True(await EntryTitleKeys.AllCurrentAsync(Store, default));
        Assert.Equal(0, await EntryTitleKeys.BackfillAsync(Store, default));
        var filter = new EntryFilter { UnitId = XaA.Id };
        var ascending = await Store.FindAsync(filter, new EntrySort(EntrySortField.Title, SortDirection.Asc), new PageRequest(50));
        Assert.Equal(VietnameseOrder, ascending.Items.Select(e => e.Title));
        var descending = await Store.FindAsync(filter, new EntrySort(EntrySortField.Title, SortDirection.Desc), new PageRequest(50));
        Assert.Equal(VietnameseOrder.Reverse(), descending.Items.Select(e => e.Title));
        // The rewrite changes no version: a client that read the entry can still update it.
        var stored = await Store.GetByIdsAsync(entries.Select(e => e.Id).ToList());
        Assert.Equal(entries.ToDictionary(e => e.Id, e => e.Version), stored.ToDictionary(e => e.Id, e => e.Version));
    }

    public static TheoryData<int> FilterTrees() => [0, 1, 2, 3, 4];

    /// <summary>A where tree and a multi-key order, paged by cursor, select and order what a brute-force reading does.</summary>
    [StoreTheory]
    [MemberData(nameof(FilterTrees))]
    public async Task A_filter_tree_and_a_multi_key_order_page_like_a_brute_force_reading(int tree)
    {
        var entries = new List<Entry>();
        for (var i = 0; i < Titles.Length * 2; i++)
        {
            var year = 2023 + i % 3;
            var updated = T0.AddMinutes(i * 7 % 30).AddMilliseconds(i);
            var entry = i % 4 == 0
                ? Draft(i % 2 == 0 ? XaA : XaB, Titles[i % Titles.Length], 100 + i, year, now: updated)
                : Registered(i % 2 == 0 ? XaA : XaB, Titles[i % Titles.Length], 100 + i, year, now: updated,
                    with: c => c with { Kind = i % 3 == 0 ? EntryKind.Exemplar : EntryKind.Model, ExemplarType = i % 3 == 0 ? ExemplarType.Collective : null });
            entries.Add(entry);
        }
        await Store.InsertManyAsync(entries);
        var cut = entries[5].UpdatedAt;
        var (where, truth) = tree switch
        {
            0 => ((FilterNode)new AnyOf([
                    new Condition(EntryQuerying.Year, FilterOperator.Eq, [2023]),
                    new AllOf([new Condition(EntryQuerying.Status, FilterOperator.In, [EntryStatus.Registered]),
                        new Condition(EntryQuerying.Kind, FilterOperator.Neq, [EntryKind.Exemplar])])]),
                (Func<Entry, bool>)(e => e.Year == 2023 || (e.Status == EntryStatus.Registered && e.Kind != EntryKind.Exemplar))),
            1 => (new AllOf([new Condition(EntryQuerying.Title, FilterOperator.Contains, ["duong"]), new Condition(EntryQuerying.Year, FilterOperator.Gte, [2024])]),
                e => TextFolding.Fold(e.Title).Contains("duong", StringComparison.Ordinal) && e.Year >= 2024),
            2 => (new AllOf([new Condition(EntryQuerying.Status, FilterOperator.Nin, [EntryStatus.Draft]), new Condition(EntryQuerying.Code, FilterOperator.StartsWith, ["DVK-2025-"])]),
                e => e.Status != EntryStatus.Draft && e.Code.StartsWith("DVK-2025-", StringComparison.Ordinal)),
            3 => (new AnyOf([new Condition(EntryQuerying.UpdatedAt, FilterOperator.Lt, [cut]), new Condition(EntryQuerying.SubtreeOf, FilterOperator.Eq, [XaB.Id])]),
                e => e.UpdatedAt < cut || e.UnitId == XaB.Id),
            _ => (new AllOf([new Condition(EntryQuerying.Search, FilterOperator.StartsWith, ["khe"]), new Condition(EntryQuerying.Year, FilterOperator.Nin, [2024, 2025]),
                    new Condition(EntryQuerying.Title, FilterOperator.StartsWith, ["dan van"])]),
                e => TextFolding.Tokens(e.Title).Any(t => t.StartsWith("khe", StringComparison.Ordinal)) && e.Year == 2023 &&
                    TextFolding.Fold(e.Title).StartsWith("dan van", StringComparison.Ordinal)),
        };
        var filter = new EntryFilter { Visibility = EntryVisibility.Everything, Where = where };
        foreach (var sort in new[]
        {
            new EntrySort([new EntrySortKey(EntrySortField.Year, SortDirection.Desc), new EntrySortKey(EntrySortField.Title, SortDirection.Asc)]),
            new EntrySort([new EntrySortKey(EntrySortField.Year, SortDirection.Asc), new EntrySortKey(EntrySortField.UpdatedAt, SortDirection.Desc)]),
            new EntrySort([new EntrySortKey(EntrySortField.Year, SortDirection.Asc)]),
        })
        {
            var expected = entries.Where(truth).ToList();
            expected.Sort((a, b) =>
            {
                foreach (var k in sort.Effective)
                {
                    var c = string.CompareOrdinal(EntrySort.ValueOf(a, k.Field), EntrySort.ValueOf(b, k.Field));
                    if (c != 0) return k.Direction == SortDirection.Asc ? c : -c;
                }
                return 0;
            });
            Assert.InRange(expected.Count, 1, entries.Count - 1);
            var got = new List<string>();
            string? after = null;
            while (true)
            {
                var page = await Store.FindAsync(filter, sort, new PageRequest(3, After: after));
                Assert.Equal(expected.Count, page.TotalCount);
                got.AddRange(page.Items.Select(e => e.Code));
                if (!page.HasNextPage) break;
                after = sort.CursorOf(page.Items[^1]);
            }
            Assert.Equal(expected.Select(e => e.Code), got);
        }
    }
}

public sealed class LiteDbEntryStoreTests : EntryStoreContract
{
    protected override Task<IStoreHarness> CreateStoresAsync() => Task.FromResult<IStoreHarness>(new LiteDbHarness());
}

/// <summary>The same contract answered by scanning the store, as searches are while the index catches up.</summary>
public sealed class LiteDbEntryStoreScanTests : EntryStoreContract
{
    protected override Task<IStoreHarness> CreateStoresAsync() => Task.FromResult<IStoreHarness>(new LiteDbHarness(searchIndex: false));
}

[RequiresMongo]
public sealed class MongoEntryStoreTests : EntryStoreContract
{
    protected override async Task<IStoreHarness> CreateStoresAsync() => await MongoHarness.CreateAsync();
}
