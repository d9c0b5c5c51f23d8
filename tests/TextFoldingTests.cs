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

public class TextFoldingRobustnessTests
{
    // Not theory data: xunit's serialization would replace the lone surrogates before the test saw them.
    [Fact]
    public void Lone_surrogates_fold_to_a_replacement_character()
    {
        (string Input, string Folded, string[] Tokens)[] cases =
        [
            ("\ud800Khéo", "\ufffdkheo", ["kheo"]),
            ("Khéo\udfff", "kheo\ufffd", ["kheo"]),
            ("a\udc00\ud800b", "a\ufffd\ufffdb", ["a", "b"]),
            ("x\ud83d\ude00y", "x\ud83d\ude00y", ["x", "y"]),
        ];
        foreach (var (input, folded, tokens) in cases)
        {
            Assert.Equal(folded, TextFolding.Fold(input));
            Assert.Equal(tokens, TextFolding.Tokens(input));
        }
    }
}
