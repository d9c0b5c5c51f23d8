using DanVanKheo.Seed;
using DanVanKheo.Seed.Generation;

namespace DanVanKheo.Tests.Seed;

// The seed CLI draws its progress on the process-wide console, which refuses two live displays at once.
[Collection("Seed CLI")]
public sealed class SeedWritePolicyTests
{
    [Theory]
    [InlineData(false, false, false, false, WriteDecision.Write)]
    [InlineData(false, false, true, false, WriteDecision.Write)]
    [InlineData(false, true, false, false, WriteDecision.Write)]
    [InlineData(true, false, false, false, WriteDecision.RefuseNonEmpty)]
    [InlineData(true, false, false, true, WriteDecision.RefuseNonEmpty)]
    [InlineData(true, true, false, false, WriteDecision.Write)]
    [InlineData(true, false, true, false, WriteDecision.Confirm)]
    [InlineData(true, false, true, true, WriteDecision.ResetThenWrite)]
    public void Decides_whether_to_write(bool hasData, bool append, bool reset, bool yes, WriteDecision expected) =>
        Assert.Equal(expected, WritePolicy.Decide(hasData, append, reset, yes));

    [Fact]
    public void Append_and_reset_together_are_refused()
    {
        Assert.Throws<ArgumentException>(() => WritePolicy.Decide(true, append: true, reset: true, confirmed: true));
        Assert.Throws<ArgumentException>(() => SeedCommand.Parse(["--append", "--reset"]));
    }

    [Fact]
    public void Parses_options_with_sensible_defaults()
    {
        var defaults = SeedCommand.Parse([]);
        Assert.Equal(StoreKind.LiteDb, defaults.Store.Kind);
        Assert.Equal(42, defaults.Options.Seed);
        Assert.Equal(200_000, defaults.Options.Entries);
        Assert.Equal(SeedScale.Province, defaults.Options.Scale);

        var national = SeedCommand.Parse(["--store", "mongodb://localhost:27017/dvk", "--units", "national", "--seed", "9", "--yes"]);
        Assert.Equal(StoreKind.Mongo, national.Store.Kind);
        Assert.Equal("dvk", national.Store.Database);
        Assert.Equal(1_000_000, national.Options.Entries);
        Assert.Equal(9, national.Options.Seed);
        Assert.True(national.Yes);

        Assert.True(SeedCommand.Parse(["--help"]).Help);
        Assert.Throws<ArgumentException>(() => SeedCommand.Parse(["--entries", "-5"]));
        Assert.Throws<ArgumentException>(() => SeedCommand.Parse(["--units", "world"]));
        Assert.Throws<ArgumentException>(() => SeedCommand.Parse(["--store", "sqlite:x.db"]));
        Assert.Throws<ArgumentException>(() => SeedCommand.Parse(["--bogus"]));
    }

    [Fact]
    public async Task The_cli_refuses_a_non_empty_store_without_append_or_reset()
    {
        using var db = new TempLiteDb();
        string[] args = ["--store", "litedb:" + db.Path, "--entries", "20"];

        Assert.Equal(SeedCli.Ok, await SeedCli.RunAsync(args));
        Assert.Equal(SeedCli.Failed, await SeedCli.RunAsync(args));
        Assert.Equal(SeedCli.Ok, await SeedCli.RunAsync([.. args, "--append"]));
        Assert.Equal(SeedCli.Ok, await SeedCli.RunAsync([.. args, "--reset", "--yes"]));
        Assert.Equal(SeedCli.BadArguments, await SeedCli.RunAsync([.. args, "--units"]));
    }
}
