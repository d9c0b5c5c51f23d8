using DanVanKheo.Api.Common;

namespace DanVanKheo.Tests;

public class TextFoldingTests
{
    [Theory]
    [InlineData("Dân vận khéo", "dan van kheo")]
    [InlineData("ĐƯỜNG GIAO THÔNG NÔNG THÔN", "duong giao thong nong thon")]
    [InlineData("Hòa Bình – Kiên Giang", "hoa binh – kien giang")]
    public void Fold_removes_diacritics_and_case(string input, string expected) =>
        Assert.Equal(expected, TextFolding.Fold(input));

    [Fact]
    public void Tokens_split_on_punctuation_and_fold_each_word() =>
        Assert.Equal(["kheo", "van", "dong", "nhan", "dan", "hien", "dat"],
            TextFolding.Tokens("Khéo vận động nhân dân hiến đất!"));
}
