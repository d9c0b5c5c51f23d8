using System.Text.Json;
using DanVanKheo.Api.Entries;
using DanVanKheo.Api.Reports;
using DanVanKheo.Api.Storage.LiteDb;
using DanVanKheo.Api.Units;
using static DanVanKheo.Tests.Storage.TestData;

namespace DanVanKheo.Tests.Storage;

public sealed class LiteDbReportStoreTests : IAsyncLifetime
{
    private readonly LiteDbHarness _stores = new();
    private static readonly Unit Tinh = Unit("HG", "Tỉnh Hậu Giang", kind: UnitKind.Province);
    private static readonly Unit Xa = Unit("HG.VI-THANH.HOA-LUU", "Xã Hỏa Lựu", Tinh);

    private static string Json(IReadOnlyList<UnitSummary> rows) => JsonSerializer.Serialize(rows);

    private static ReportScope Scope => new([Tinh.Id], true, 2024, EntryVisibility.Everything);

    [Fact]
    public async Task Reports_before_the_first_build_come_from_the_entries_and_agree_with_the_summary_and_its_updates()
    {
        var entries = Enumerable.Range(1, 40).Select(i => i % 4 == 0 ? Draft(Xa, $"Mô hình bản nháp {i}", i) : Registered(i % 2 == 0 ? Tinh : Xa, $"Mô hình số {i}", i)).ToList();
        await _stores.Entries.InsertManyAsync(entries);
        var reports = new LiteDbReportStore(_stores.Context);
        Assert.False(reports.IsBuilt);

        var fromEntries = await reports.SummarizeAsync(Scope);
        Assert.Equal(40, fromEntries.Sum(r => r.Count));
        Assert.Equal(40, reports.Refresh());
        Assert.True(reports.IsBuilt);
        Assert.Equal(Json(fromEntries), Json(await reports.SummarizeAsync(Scope)));

        // Later writes are picked up from the change sequence, and only they are re-read.
        var changed = entries[1];
        EntryRules.Discontinue(changed, "Hết kinh phí", T0.AddDays(2));
        Assert.True(await _stores.Entries.ReplaceAsync(changed, changed.Version - 1));
        await _stores.Entries.InsertAsync(Registered(Xa, "Mô hình mới thêm", 41));
        Assert.Equal(2, reports.Refresh());
        var updated = await reports.SummarizeAsync(Scope);
        Assert.Equal(41, updated.Sum(r => r.Count));
        Assert.Equal(Json(updated), Json(await new LiteDbReportStore(_stores.Context).SummarizeAsync(Scope)));
        Assert.Equal(0, reports.Refresh());
    }

    [Fact]
    public async Task Building_the_summary_does_not_take_the_write_gate()
    {
        await _stores.Entries.InsertManyAsync([.. Enumerable.Range(1, 20).Select(i => Registered(Xa, $"Mô hình {i}", i))]);
        var reports = new LiteDbReportStore(_stores.Context);
        using var held = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var holder = new Thread(() =>
        {
            lock (_stores.Context.WriteGate)
            {
                held.Set();
                release.Wait(TimeSpan.FromSeconds(60));
            }
        });
        holder.Start();
        held.Wait(TimeSpan.FromSeconds(30));
        try
        {
            // A TimeoutException here means the build waited for the gate another writer holds.
            Assert.Equal(20, await Task.Run(reports.Refresh).WaitAsync(TimeSpan.FromSeconds(30)));
        }
        finally
        {
            release.Set();
            holder.Join();
        }
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _stores.DisposeAsync();
}
