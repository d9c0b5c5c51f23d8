using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace DanVanKheo.Api.Rounds;

/// <summary>A final ballot as published: the member replaced by the round's pseudonym.</summary>
public sealed record PublishedBallot(string NominationId, string Voter, BallotChoice Choice, IReadOnlyList<int> Scores);

/// <summary>
/// The tally digest and ballot pseudonyms, exactly as docs/tally-digest.md specifies them, so
/// anyone can recompute the digest from the published ballots and the published rule.
/// </summary>
public static class TallyDigest
{
    public const string Header = "dvk-tally-digest/1";

    /// <summary>Lowercase hex HMAC-SHA-256 keyed with the round's secret, over "roundId:memberId".</summary>
    public static string Pseudonym(Round round, string memberId) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(
            Convert.FromBase64String(round.PseudonymKey), Encoding.UTF8.GetBytes(round.Id + ":" + memberId)));

    public static IReadOnlyList<PublishedBallot> Publish(Round round, IEnumerable<Ballot> finalBallots)
    {
        var pseudonyms = new Dictionary<string, string>(StringComparer.Ordinal);
        return finalBallots
            .Select(b =>
            {
                if (!pseudonyms.TryGetValue(b.MemberId, out var voter)) pseudonyms[b.MemberId] = voter = Pseudonym(round, b.MemberId);
                return new PublishedBallot(b.NominationId, voter, b.Choice, b.Scores);
            })
            .OrderBy(b => b.NominationId, StringComparer.Ordinal)
            .ThenBy(b => b.Voter, StringComparer.Ordinal)
            .ToList();
    }

    public static string Canonical(Round round, int memberCount, IReadOnlyList<PublishedBallot> ballots)
    {
        var inv = CultureInfo.InvariantCulture;
        var rule = round.Rule;
        var sb = new StringBuilder();
        void Line(string text) => sb.Append(text).Append('\n');

        Line(Header);
        Line("round " + round.Id);
        Line("members " + memberCount.ToString(inv));
        Line("rubric " + string.Join(' ', round.Rubric.Select(c => string.Create(inv, $"{c.Weight}/{c.MaxScore}"))));
        Line("quorum " + Frac(rule.Quorum));
        Line("threshold " + Frac(rule.Threshold) + " " + Name(rule.Base) + " " + (rule.Comparison == ThresholdComparison.GreaterThan ? "GT" : "GE"));
        Line("min-score " + (rule.MinimumAverageScore is { } min ? Frac(min) : "none"));
        Line("cap " + (round.MaxRecognitions is { } cap ? cap.ToString(inv) : "none"));
        Line("tie-break " + string.Join(',', (round.TieBreak.Count > 0 ? round.TieBreak : Tally.DefaultTieBreak).Select(k => Name(k))));
        var choices = Enum.GetValues<BallotChoice>().ToDictionary(c => c, c => Name(c));
        foreach (var b in ballots.OrderBy(b => b.NominationId, StringComparer.Ordinal).ThenBy(b => b.Voter, StringComparer.Ordinal))
        {
            sb.Append("ballot ").Append(b.NominationId).Append(' ').Append(b.Voter).Append(' ').Append(choices[b.Choice]).Append(' ');
            if (b.Scores.Count == 0) sb.Append('-');
            for (var i = 0; i < b.Scores.Count; i++)
            {
                if (i > 0) sb.Append(',');
                sb.Append(b.Scores[i].ToString(inv));
            }
            sb.Append('\n');
        }
        return sb.ToString();
    }

    public static string Compute(Round round, int memberCount, IReadOnlyList<PublishedBallot> ballots) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Canonical(round, memberCount, ballots))));

    private static string Frac(Fraction f) => string.Create(CultureInfo.InvariantCulture, $"{f.Numerator}/{f.Denominator}");

    /// <summary>The GraphQL enum spelling: WeightedScore → WEIGHTED_SCORE.</summary>
    internal static string Name<T>(T value) where T : struct, Enum
    {
        var text = value.ToString();
        var sb = new StringBuilder(text.Length + 4);
        for (var i = 0; i < text.Length; i++)
        {
            if (i > 0 && char.IsUpper(text[i])) sb.Append('_');
            sb.Append(char.ToUpperInvariant(text[i]));
        }
        return sb.ToString();
    }
}
