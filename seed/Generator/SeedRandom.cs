using Bogus;

namespace DanVanKheo.Seed.Generation;

/// <summary>
/// Every stage draws from its own stream derived from the run seed and the stage name, so a
/// stage added later (rounds, councils, replications) does not shift what earlier stages produce.
/// </summary>
internal static class SeedRandom
{
    public static Randomizer For(int seed, string stream, long salt = 0) => new(Derive(seed, stream, salt));

    /// <summary>FNV-1a over the inputs: stable across processes, unlike <c>string.GetHashCode</c>.</summary>
    public static int Derive(int seed, string stream, long salt)
    {
        const ulong prime = 1099511628211;
        var h = 14695981039346656037;
        void Mix(ulong v)
        {
            for (var i = 0; i < 8; i++)
            {
                h ^= (v >> (i * 8)) & 0xFF;
                h *= prime;
            }
        }
        Mix((ulong)(uint)seed);
        foreach (var ch in stream) Mix(ch);
        Mix((ulong)salt);
        return (int)(h ^ (h >> 32)) & int.MaxValue;
    }

    public static double Gaussian(this Randomizer r)
    {
        // Box–Muller; 1 - u keeps the logarithm finite.
        var u1 = 1.0 - r.Double();
        var u2 = r.Double();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>A log-normal figure around <paramref name="median"/>, clamped to [min, max].</summary>
    public static long LogNormal(this Randomizer r, double median, double sigma, long min, long max) =>
        Math.Clamp((long)Math.Round(median * Math.Exp(sigma * r.Gaussian())), min, max);

    public static int PickIndex(this Randomizer r, double[] cumulative)
    {
        var x = r.Double() * cumulative[^1];
        var i = Array.BinarySearch(cumulative, x);
        return Math.Min(i < 0 ? ~i : i + 1, cumulative.Length - 1);
    }

    public static double[] Cumulative(IEnumerable<double> weights)
    {
        var sum = 0.0;
        return weights.Select(w => sum += w).ToArray();
    }
}

/// <summary>
/// Deterministic ids shaped like the API's own (UUIDv7 as 32 hex digits): the timestamp of the
/// record's creation followed by seeded random bits, so ids stay time-ordered for the stores'
/// primary index and identical for identical seeds.
/// </summary>
internal sealed class IdSource(Randomizer random)
{
    public string Next(DateTime at)
    {
        var ms = (ulong)new DateTimeOffset(at).ToUnixTimeMilliseconds() & 0xFFFF_FFFF_FFFF;
        Span<char> id = stackalloc char[32];
        ms.TryFormat(id[..12], out _, "x12");
        var bytes = random.Bytes(10);
        Convert.ToHexStringLower(bytes).AsSpan().CopyTo(id[12..]);
        id[12] = '7';
        id[16] = "89ab"[bytes[2] & 3];
        return new string(id);
    }
}
