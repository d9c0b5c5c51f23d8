using DanVanKheo.Api.Common;
using Lucene.Net.Analysis;
using Lucene.Net.Analysis.NGram;
using Lucene.Net.Analysis.TokenAttributes;
using Lucene.Net.Util;

namespace DanVanKheo.Api.Storage.LiteDb.Search;

/// <summary>
/// The one analyzer of the entry index, used to index and to read queries: words are cut and
/// folded by <see cref="TextFolding"/> (case, diacritics, đ → d), so the engine and the rest of
/// the registry agree on what a word is. The <see cref="EntryIndexFields.Prefixes"/> field also
/// gets every leading part of each word (edge n-grams), so a word prefix is one term lookup.
/// </summary>
internal sealed class VietnameseFoldingAnalyzer : Analyzer
{
    /// <summary>Longer query words fall back to a prefix scan of <see cref="EntryIndexFields.Words"/>.</summary>
    public const int MaxPrefixLength = 16;

    /// <summary>The two fields cut differently, so their components must not be shared.</summary>
    public VietnameseFoldingAnalyzer() : base(PER_FIELD_REUSE_STRATEGY)
    {
    }

    protected override TokenStreamComponents CreateComponents(string fieldName, TextReader reader)
    {
        var words = new FoldingTokenizer(reader);
        return fieldName == EntryIndexFields.Prefixes
            ? new TokenStreamComponents(words, new EdgeNGramTokenFilter(LuceneVersion.LUCENE_48, words, 1, MaxPrefixLength))
            : new TokenStreamComponents(words);
    }

    /// <summary>
    /// The word a search term prefixes, folded as the index folds; null when the term is not one
    /// word (terms are matched literally: "kh." prefixes nothing, as no indexed word has a dot).
    /// </summary>
    public string? QueryWord(string term)
    {
        var words = Words(term);
        return words.Count == 1 && words[0] == TextFolding.Fold(term) ? words[0] : null;
    }

    /// <summary>The folded words of <paramref name="text"/>, as the index sees them.</summary>
    public List<string> Words(string text)
    {
        var result = new List<string>();
        using var stream = GetTokenStream(EntryIndexFields.Words, text);
        var term = stream.AddAttribute<ICharTermAttribute>();
        stream.Reset();
        while (stream.IncrementToken()) result.Add(term.ToString());
        stream.End();
        return result;
    }

    /// <summary>
    /// Reads the whole (short) text and cuts it with <see cref="TextFolding.Tokens"/>: folding
    /// must come before cutting, as a decomposed accent is not a letter and would split a word.
    /// </summary>
    private sealed class FoldingTokenizer : Tokenizer
    {
        private readonly ICharTermAttribute _term;
        private IReadOnlyList<string> _tokens = [];
        private int _next;

        public FoldingTokenizer(TextReader reader) : base(reader) => _term = AddAttribute<ICharTermAttribute>();

        public override void Reset()
        {
            base.Reset();
            _tokens = TextFolding.Tokens(m_input.ReadToEnd());
            _next = 0;
        }

        public override bool IncrementToken()
        {
            ClearAttributes();
            if (_next >= _tokens.Count) return false;
            _term.SetEmpty().Append(_tokens[_next++]);
            return true;
        }
    }
}
