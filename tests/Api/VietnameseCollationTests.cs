using DanVanKheo.Api.Common;
using DanVanKheo.Tests.Infrastructure;
using DanVanKheo.Tests.Storage;

namespace DanVanKheo.Tests.Api;

/// <summary>Title sorting follows Vietnamese alphabetical order through HTTP, on whichever store the run uses (DVK_TEST_STORE).</summary>
public sealed class VietnameseCollationTests(RegistryApiFactory factory) : IClassFixture<RegistryApiFactory>
{
    private readonly RegistryScenario _s = new(factory);

    [Fact]
    public async Task Entries_sorted_by_title_follow_Vietnamese_alphabetical_order_both_ways_and_across_pages()
    {
        var commune = await _s.CreateUnit("Xã Tân Phú Đông", "COMMUNE");
        var unitId = commune["id"]!.GetValue<string>();
        var editor = _s.EditorOf(unitId, "editor-tan-phu-dong");
        // Created out of order, so insertion order cannot pass for sorting.
        foreach (var title in EntryStoreContract.VietnameseOrder.Reverse().Where((_, i) => i % 2 == 0)
                     .Concat(EntryStoreContract.VietnameseOrder.Reverse().Where((_, i) => i % 2 == 1)))
            await _s.Submit(editor, await _s.CreateEntry(editor, unitId, title));

        const string query = """
            query($u: ID!, $dir: SortEnumType!, $after: String) {
              entries(first: 4, after: $after, where: { unitId: { eq: $u } }, order: [{ title: $dir }]) { nodes { title } pageInfo { hasNextPage endCursor } }
            }
            """;
        foreach (var (dir, expected) in new[] { ("ASC", EntryStoreContract.VietnameseOrder), ("DESC", EntryStoreContract.VietnameseOrder.Reverse().ToArray()) })
        {
            var titles = new List<string>();
            string? after = null;
            do
            {
                var r = await _s.Anonymous.Run(query, new { u = unitId, dir, after });
                r.AssertNoErrors();
                titles.AddRange(r.At("entries.nodes").AsArray().Select(n => n!["title"]!.GetValue<string>()));
                after = r.At("entries.pageInfo.hasNextPage").GetValue<bool>() ? r.At("entries.pageInfo.endCursor").GetValue<string>() : null;
            } while (after is not null);
            Assert.Equal(expected, titles);
        }
    }

    [Fact]
    public void The_collation_key_orders_ordinally_as_Vietnamese_and_ICU_is_loaded()
    {
        Assert.True(VietnameseCollation.IsAvailable());
        var byKey = EntryStoreContract.VietnameseOrder.Reverse().OrderBy(VietnameseCollation.Key, StringComparer.Ordinal);
        Assert.Equal(EntryStoreContract.VietnameseOrder, byKey);
        // Composed and decomposed spellings of the same title get the same key.
        Assert.Equal(VietnameseCollation.Key("Đảm xã"), VietnameseCollation.Key("Đảm xã".Normalize(System.Text.NormalizationForm.FormD)));
    }
}
