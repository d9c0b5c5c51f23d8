using DanVanKheo.Api.Entries;
using DanVanKheo.Api.Storage.LiteDb;
using DanVanKheo.Api.Storage.Mongo;
using DanVanKheo.Api.Units;
using DanVanKheo.Tests.Infrastructure;
using DanVanKheo.Tests.Storage;
using static DanVanKheo.Tests.Storage.TestData;

namespace DanVanKheo.Tests.Api;

/// <summary>A store written before codes moved to registration, opened by the API.</summary>
public sealed class CodeMigrationTests
{
    [ApiFact]
    public async Task Drafts_stored_with_a_code_give_it_up_when_the_api_starts_and_registered_entries_keep_theirs()
    {
        using var factory = new RegistryApiFactory();
        var unit = Unit("MIG.XA", "Xã Di Chuyển Dữ Liệu");
        var oldDraft = Registered(unit, "Mô hình Nhà văn hóa ấp sạch đẹp", 1);
        oldDraft.Status = EntryStatus.Draft; // as drafts were stored: with the code drawn at creation
        oldDraft.SubmittedAt = null;
        var registered = Registered(unit, "Mô hình Ấp văn hóa kiểu mẫu", 2);

        // Written the old way, before the API first opens the store.
        if (RegistryApiFactory.OnMongo)
        {
            using var db = new MongoContext(MongoTestServer.Client, factory.MongoDatabase);
            await new MongoUnitStore(db).InsertAsync(unit, null);
            await new MongoEntryStore(db).InsertManyAsync([oldDraft, registered]);
        }
        else
        {
            using var db = new LiteDbContext(factory.DataFile);
            await new LiteDbUnitStore(db).InsertAsync(unit, null);
            await new LiteDbEntryStore(db).InsertManyAsync([oldDraft, registered]);
        }

        var s = new RegistryScenario(factory);
        const string byCode = "query($c: String!) { entry(code: $c) { id code } }";
        Assert.Null((await s.Admin.Run(byCode, new { c = "DVK-2024-000001" })).AssertNoErrors().Data!["entry"]);
        Assert.Equal("DVK-2024-000002", (await s.Anonymous.Run(byCode, new { c = "DVK-2024-000002" })).At("entry.code").GetValue<string>());
        var draft = await s.Admin.Run("query($id: ID!) { entry(id: $id) { code status } }",
            new { id = DanVanKheo.Api.Common.GlobalId.Encode("Entry", oldDraft.Id) });
        Assert.Equal(EntryRules.DraftKey(oldDraft.Id), draft.At("entry.code").GetValue<string>());
        Assert.Equal("DRAFT", draft.At("entry.status").GetValue<string>());
        var search = await s.Admin.Run("query { entries(where: { search: \"000001\" }) { totalCount } }");
        Assert.Equal(0, search.At("entries.totalCount").GetValue<int>());
    }
}
