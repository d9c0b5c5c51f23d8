using DanVanKheo.Api.Entries;
using DanVanKheo.Api.Fields;
using DanVanKheo.Api.Storage.Mongo;
using DanVanKheo.Api.Units;
using MongoDB.Bson;
using MongoDB.Bson.Serialization;
using MongoDB.Driver;
using static DanVanKheo.Tests.Storage.TestData;
using SortDirection = DanVanKheo.Api.Common.SortDirection;
using PageRequest = DanVanKheo.Api.Common.PageRequest;

namespace DanVanKheo.Tests.Storage;

/// <summary>The MongoDB mapping and query shapes, checked without a server.</summary>
public sealed class MongoMappingTests
{
    static MongoMappingTests() => MongoMappings.Register();

    private static RenderArgs<T> Args<T>() =>
        new(BsonSerializer.SerializerRegistry.GetSerializer<T>(), BsonSerializer.SerializerRegistry);

    private static string Json<T>(FilterDefinition<T> filter) => filter.Render(Args<T>()).ToJson();

    private static T RoundTrip<T>(T value) => BsonSerializer.Deserialize<T>(value.ToBsonDocument());

    [Fact]
    public void Registering_twice_is_harmless()
    {
        MongoMappings.Register();
        MongoMappings.Register();
        Assert.True(BsonClassMap.IsClassMapRegistered(typeof(Entry)));
    }

    [Fact]
    public void Unit_round_trips_with_its_id_enum_and_dates_as_text()
    {
        var tinh = Unit("LA", "Tỉnh Long An", kind: UnitKind.Province);
        var unit = Unit("LA.BEN-LUC", "Huyện Bến Lức", tinh, UnitKind.District, new DateOnly(2020, 1, 1), new DateOnly(2025, 7, 1));
        unit.SuccessorIds.Add("don-vi-moi");

        var doc = unit.ToBsonDocument();

        Assert.Equal(unit.Id, doc["_id"].AsString);
        Assert.False(doc.Contains("Id"));
        Assert.Equal("District", doc["Kind"].AsString);
        Assert.Equal("2020-01-01", doc["ValidFrom"].AsString);
        Assert.Equal("2025-07-01", doc["ValidTo"].AsString);
        Assert.Equal(BsonType.DateTime, doc["CreatedAt"].BsonType);
        Assert.Equal(new BsonArray { tinh.Id }, doc["AncestorIds"].AsBsonArray);
        AssertSame(unit, RoundTrip(unit));

        var root = tinh.ToBsonDocument();
        Assert.False(root.Contains("ParentId"));
        Assert.False(root.Contains("ValidFrom"));
        Assert.False(root.Contains("ValidTo"));
        var back = RoundTrip(tinh);
        AssertSame(tinh, back);
        Assert.Equal(DateTimeKind.Utc, back.CreatedAt.Kind);
    }

    [Fact]
    public void Field_round_trips_without_its_null_owner()
    {
        var standard = Field.Standard[2];
        var doc = standard.ToBsonDocument();
        Assert.Equal("{ \"_id\" : \"field-quoc-phong-an-ninh\", \"Code\" : \"QUOC_PHONG_AN_NINH\", \"Name\" : \"Quốc phòng – an ninh\", \"IsStandard\" : true, \"SortOrder\" : 3 }",
            doc.ToJson());
        AssertSame(standard, RoundTrip(standard));

        var own = new Field { Code = "CHUYEN_DOI_SO", Name = "Chuyển đổi số", OwnerUnitId = "don-vi-1", SortOrder = 5 };
        AssertSame(own, RoundTrip(own));
    }

    [Fact]
    public void Entry_round_trips_with_every_nested_part()
    {
        var xa = Unit("BL.VINH-LOI", "Xã Vĩnh Lợi");
        var entry = Registered(xa, "Gương ông Trần Văn Út góp công làm cầu", 12, with: c => c with
        {
            Kind = EntryKind.Exemplar,
            ExemplarType = ExemplarType.Individual,
            Person = new ExemplarPerson
            {
                FullName = "Trần Văn Út", Position = "Nông dân", Phone = "0291 3 812 345",
                Address = "Ấp Vĩnh Thạnh, xã Vĩnh Lợi", BirthDate = new DateOnly(1961, 12, 31),
            },
            Level = EntryLevel.Province,
            StartDate = new DateOnly(2022, 5, 19),
            Novelty = EntryNovelty.Continuing,
            Results = new EntryResults
            {
                HouseholdsReached = 120, PeopleReached = 460, MoneyMobilizedVnd = 3_500_000_000, LandDonatedM2 = 85.25,
                Workdays = 1_500, Outcomes = "Xây 3 cây cầu bê tông thay cầu khỉ.",
            },
            Evidence = [new EvidenceLink { Title = "Báo Bạc Liêu", Url = "https://baobaclieu.vn/cau-nong-thon" }],
            Tags = ["cầu nông thôn", "góp công"],
        });
        EntryRules.Discontinue(entry, "Đơn vị đã sáp nhập", T0.AddDays(30));

        var doc = entry.ToBsonDocument();

        Assert.Equal(entry.Id, doc["_id"].AsString);
        Assert.Equal("Exemplar", doc["Kind"].AsString);
        Assert.Equal("Individual", doc["ExemplarType"].AsString);
        Assert.Equal("Province", doc["Level"].AsString);
        Assert.Equal("Discontinued", doc["Status"].AsString);
        Assert.Equal("Continuing", doc["Novelty"].AsString);
        Assert.Equal("2022-05-19", doc["StartDate"].AsString);
        Assert.Equal("1961-12-31", doc["Person"]["BirthDate"].AsString);
        Assert.Equal(3_500_000_000L, doc["Results"]["MoneyMobilizedVnd"].AsInt64);
        Assert.Equal(85.25, doc["Results"]["LandDonatedM2"].AsDouble);
        Assert.Equal("https://baobaclieu.vn/cau-nong-thon", doc["Evidence"][0]["Url"].AsString);
        Assert.Equal(new BsonDateTime(T0.AddDays(30)), doc["DiscontinuedAt"]);
        var back = RoundTrip(entry);
        AssertSame(entry, back);
        Assert.Equal(DateTimeKind.Utc, back.SubmittedAt!.Value.Kind);
    }

    [Fact]
    public void Entry_omits_nulls_and_ignores_fields_it_does_not_know()
    {
        var draft = Draft(Unit("CM.NAM-CAN", "Thị trấn Năm Căn"), "Mô hình nuôi tôm sinh thái", 5);

        var doc = draft.ToBsonDocument();

        foreach (var absent in new[] { "ExemplarType", "Person", "StartDate", "ReplicatedFromEntryId", "DiscontinuedReason", "SubmittedAt", "DiscontinuedAt" })
            Assert.False(doc.Contains(absent), absent);
        Assert.Equal("{ }", doc["Results"].ToJson());
        Assert.Equal("0000-00-00|" + EntryRules.DraftKey(draft.Id), doc["StartKey"].AsString);

        doc["TruongCu"] = "giá trị từ phiên bản trước";
        doc["Results"].AsBsonDocument["ChiSoMoi"] = 1;
        AssertSame(draft, BsonSerializer.Deserialize<Entry>(doc));
    }

    [Fact]
    public void Search_terms_become_anchored_escaped_prefix_regexes_longest_first()
    {
        var filter = new EntryFilter { SearchTerms = ["khe", "dong", "a.b(c"], Visibility = EntryVisibility.Everything };

        Assert.Equal(
            "{ \"$and\" : [" +
            "{ \"SearchTokens\" : { \"$regularExpression\" : { \"pattern\" : \"^a\\\\.b\\\\(c\", \"options\" : \"\" } } }, " +
            "{ \"SearchTokens\" : { \"$regularExpression\" : { \"pattern\" : \"^dong\", \"options\" : \"\" } } }, " +
            "{ \"SearchTokens\" : { \"$regularExpression\" : { \"pattern\" : \"^khe\", \"options\" : \"\" } } }] }",
            Json(MongoEntryStore.Filter(filter)));
        Assert.Equal("^kheo", MongoEntryStore.PrefixRegex("kheo").Pattern);
        Assert.Equal("", MongoEntryStore.PrefixRegex("kheo").Options);
    }

    [Fact]
    public void Unit_filter_is_the_unit_or_its_whole_lineage()
    {
        Assert.Equal("{ \"UnitId\" : \"xa-1\" }",
            Json(MongoEntryStore.Filter(new EntryFilter { UnitId = "xa-1", Visibility = EntryVisibility.Everything })));
        Assert.Equal("{ \"UnitLineage\" : \"huyen-1\" }",
            Json(MongoEntryStore.Filter(new EntryFilter { UnitId = "huyen-1", IncludeSubunits = true, Visibility = EntryVisibility.Everything })));
    }

    [Fact]
    public void Visibility_hides_drafts_outside_the_scope()
    {
        Assert.Equal("{ \"Status\" : { \"$ne\" : \"Draft\" } }", Json(MongoEntryStore.Filter(new EntryFilter())));
        Assert.Equal("{ \"$or\" : [{ \"Status\" : { \"$ne\" : \"Draft\" } }, { \"UnitLineage\" : \"huyen-1\" }] }",
            Json(MongoEntryStore.Filter(new EntryFilter { Visibility = new EntryVisibility(false, "huyen-1") })));
        Assert.Equal("{ }", Json(MongoEntryStore.Filter(new EntryFilter { Visibility = EntryVisibility.Everything })));
    }

    [Fact]
    public void Other_entry_filters_compare_enums_by_name()
    {
        var filter = new EntryFilter
        {
            FieldId = "field-kinh-te", Kind = EntryKind.Model, Statuses = [EntryStatus.Registered, EntryStatus.Recognized],
            Year = 2024, Visibility = EntryVisibility.Everything,
        };
        Assert.Equal(
            "{ \"FieldId\" : \"field-kinh-te\", \"Kind\" : \"Model\", \"Status\" : { \"$in\" : [\"Registered\", \"Recognized\"] }, \"Year\" : 2024 }",
            Json(MongoEntryStore.Filter(filter)));
        Assert.Equal("{ \"Status\" : \"Recognized\" }",
            Json(MongoEntryStore.Filter(new EntryFilter { Statuses = [EntryStatus.Recognized], Visibility = EntryVisibility.Everything })));
    }

    [Theory]
    [InlineData(EntrySortField.Code, SortDirection.Desc, false, "{ \"Code\" : { \"$lt\" : \"K\" } }", "{ \"Code\" : -1 }")]
    [InlineData(EntrySortField.Code, SortDirection.Asc, false, "{ \"Code\" : { \"$gt\" : \"K\" } }", "{ \"Code\" : 1 }")]
    [InlineData(EntrySortField.Title, SortDirection.Asc, true, "{ \"TitleKey\" : { \"$lt\" : \"K\" } }", "{ \"TitleKey\" : -1 }")]
    [InlineData(EntrySortField.UpdatedAt, SortDirection.Desc, true, "{ \"UpdatedKey\" : { \"$gt\" : \"K\" } }", "{ \"UpdatedKey\" : 1 }")]
    [InlineData(EntrySortField.StartDate, SortDirection.Asc, false, "{ \"StartKey\" : { \"$gt\" : \"K\" } }", "{ \"StartKey\" : 1 }")]
    public void Keyset_bounds_and_sort_follow_the_direction(EntrySortField field, SortDirection direction, bool backward,
        string filter, string sort)
    {
        var page = backward ? new PageRequest(20, Before: EntrySort.EncodeKey(["K"]), Backward: true) : new PageRequest(20, After: EntrySort.EncodeKey(["K"]));
        var everything = new EntryFilter { Visibility = EntryVisibility.Everything };

        Assert.Equal(filter, Json(MongoEntryStore.Filter(everything, new EntrySort(field, direction), page)));
        Assert.Equal(sort, MongoEntryStore.Sort(new EntrySort(field, direction), page).Render(Args<Entry>()).ToJson());
    }

    [Fact]
    public void A_page_between_two_keys_has_both_bounds_beside_the_filters()
    {
        var filter = MongoEntryStore.Filter(new EntryFilter(), new EntrySort(EntrySortField.Code, SortDirection.Asc),
            new PageRequest(20, After: EntrySort.EncodeKey(["DVK-2024-000010"]), Before: EntrySort.EncodeKey(["DVK-2024-000020"])));
        Assert.Equal("{ \"Status\" : { \"$ne\" : \"Draft\" }, \"Code\" : { \"$gt\" : \"DVK-2024-000010\", \"$lt\" : \"DVK-2024-000020\" } }",
            Json(filter));
    }

    [Fact]
    public void Unit_filters_render_like_the_LiteDB_ones()
    {
        var filter = MongoQuery.And(MongoUnitStore.Filters(
            new UnitFilter("Ba Đình", RootsOnly: true, Kind: UnitKind.District, ValidOn: new DateOnly(2025, 7, 1))));
        Assert.Equal(
            "{ \"$and\" : [{ \"ParentId\" : null }, { \"Kind\" : \"District\" }, " +
            "{ \"$or\" : [{ \"ValidFrom\" : null }, { \"ValidFrom\" : { \"$lte\" : \"2025-07-01\" } }] }, " +
            "{ \"$or\" : [{ \"ValidTo\" : null }, { \"ValidTo\" : { \"$gt\" : \"2025-07-01\" } }] }, " +
            "{ \"NameKey\" : { \"$regularExpression\" : { \"pattern\" : \"ba\", \"options\" : \"\" } } }, " +
            "{ \"NameKey\" : { \"$regularExpression\" : { \"pattern\" : \"dinh\", \"options\" : \"\" } } }] }",
            Json(filter));
        Assert.Equal("{ \"$or\" : [{ \"_id\" : \"huyen-1\" }, { \"AncestorIds\" : \"huyen-1\" }] }",
            Json(MongoUnitStore.SubtreeFilter("huyen-1")));
        Assert.Equal("{ \"ParentId\" : \"tinh-1\" }", Json(MongoQuery.And(MongoUnitStore.Filters(new UnitFilter(ParentId: "tinh-1")))));
    }

    [Fact]
    public void Replacing_checks_id_and_version_together()
    {
        Assert.Equal("{ \"_id\" : \"muc-1\", \"Version\" : 3 }", Json(MongoEntryStore.VersionFilter("muc-1", 3)));
        var unit = Unit("HG.VI-THANH", "Thành phố Vị Thanh");
        unit.Version = 4;
        Assert.Equal($"{{ \"_id\" : \"{unit.Id}\", \"Version\" : 3 }}", Json(MongoUnitStore.VersionFilter(unit, 3)));
    }

    private static string[] Describe(string collection) =>
        MongoIndexes.Of(collection).Indexes.Select(i => $"{i.Name} {i.Keys.ToJson()}{(i.Unique ? " unique" : "")}").ToArray();

    [Fact]
    public void Indexes_keep_the_LiteDB_names_and_uniqueness_and_add_the_compound_ones_queries_need()
    {
        Assert.Equal(
        [
            "ux_code { \"Code\" : 1 } unique",
            "ix_tokens { \"SearchTokens\" : 1 }",
            "ix_unit { \"UnitId\" : 1 }",
            "ix_lineage { \"UnitLineage\" : 1, \"Code\" : 1 }",
            "ix_field { \"FieldId\" : 1 }",
            "ix_status { \"Status\" : 1 }",
            "ix_year { \"Year\" : 1 }",
            "ix_kind { \"Kind\" : 1 }",
            "ix_year_code { \"Year\" : 1, \"Code\" : 1 }",
            "ix_year_code_mixed { \"Year\" : 1, \"Code\" : -1 }",
            "ix_year_title { \"Year\" : 1, \"TitleKey\" : 1 }",
            "ix_year_title_mixed { \"Year\" : 1, \"TitleKey\" : -1 }",
            "ix_year_updated { \"Year\" : 1, \"UpdatedKey\" : 1 }",
            "ix_year_updated_mixed { \"Year\" : 1, \"UpdatedKey\" : -1 }",
            "ux_title_key { \"TitleKey\" : 1 } unique",
            "ux_updated_key { \"UpdatedKey\" : 1 } unique",
            "ux_start_key { \"StartKey\" : 1 } unique",
        ], Describe(MongoCollections.Entries));
        Assert.Equal(
        [
            "ux_code { \"Code\" : 1 } unique",
            "ix_parent { \"ParentId\" : 1, \"Code\" : 1 }",
            "ix_ancestors { \"AncestorIds\" : 1, \"Code\" : 1 }",
        ], Describe(MongoCollections.Units));
        Assert.Equal(["ux_code { \"Code\" : 1 } unique"], Describe(MongoCollections.Fields));
        // Every collection the adapters use has its index set, and every set names a known collection.
        Assert.Equal(MongoCollections.All.Where(c => c is not MongoCollections.Counters and not MongoCollections.Tallies).Order(),
            MongoIndexes.All.Select(s => s.Collection).Order());
    }

    [Fact]
    public void Only_the_error_kinds_of_a_taken_key_count_as_duplicates()
    {
        Assert.False(MongoErrors.IsDuplicateKey(new MongoException("anything")));
        Assert.False(MongoErrors.IsDuplicateKey(new MongoClientException("not a write error")));
        Assert.False(MongoErrors.IsDuplicateKey(new InvalidOperationException("not Mongo")));
    }
}
