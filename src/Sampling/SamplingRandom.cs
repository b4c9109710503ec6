namespace SweepCluster.Sampling;

/// <summary>
/// xoshiro256** seeded through SplitMix64: the same stream on every machine and .NET version (System.Random's
/// algorithm is an implementation detail), one instance per suggestion so nothing is shared between threads.
/// </summary>
internal sealed class SamplingRandom
{
    private ulong _s0;
    private ulong _s1;
    private ulong _s2;
    private ulong _s3;

    public SamplingRandom(ulong seed)
    {
        _s0 = SplitMix64(ref seed);
        _s1 = SplitMix64(ref seed);
        _s2 = SplitMix64(ref seed);
        _s3 = SplitMix64(ref seed);
    }

    public ulong NextUInt64()
    {
        var result = ulong.RotateLeft(_s1 * 5, 7) * 9;
        var t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = ulong.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>A double in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>An integer in [0, <paramref name="count"/>), unbiased.</summary>
    public int NextInt(int count) => (int)NextBelow((ulong)count);

    /// <summary>An integer in [<paramref name="low"/>, <paramref name="high"/>], both included, unbiased.</summary>
    public long NextInt64Inclusive(long low, long high) => low + (long)NextBelow((ulong)(high - low) + 1);

    /// <summary>A standard normal draw (Box-Muller, one value per pair of uniforms: no cached state).</summary>
    public double NextGaussian()
    {
        var u1 = 1.0 - NextDouble();
        var u2 = NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>An index drawn with the given probabilities (which sum to 1; rounding leaves the rest to the last).</summary>
    public static int PickIndex(IReadOnlyList<double> probabilities, SamplingRandom random)
    {
        var draw = random.NextDouble();
        var cumulative = 0.0;
        for (var i = 0; i < probabilities.Count - 1; i++)
        {
            cumulative += probabilities[i];
            if (draw < cumulative)
            {
                return i;
            }
        }

        return probabilities.Count - 1;
    }

    /// <summary>The finaliser of SplitMix64: spreads any 64-bit value over all bits (used to mix seeds).</summary>
    public static ulong Mix(ulong value)
    {
        value = (value ^ (value >> 30)) * 0xBF58476D1CE4E5B9UL;
        value = (value ^ (value >> 27)) * 0x94D049BB133111EBUL;
        return value ^ (value >> 31);
    }

    private static ulong SplitMix64(ref ulong state)
    {
        state += 0x9E3779B97F4A7C15UL;
        return Mix(state);
    }

    // Rejection of the top partial block keeps every value equally likely.
    private ulong NextBelow(ulong bound)
    {
        if (bound == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(bound), "the range is empty");
        }

        var limit = ulong.MaxValue - (ulong.MaxValue % bound);
        ulong draw;
        do
        {
            draw = NextUInt64();
        }
        while (draw >= limit);

        return draw % bound;
    }
}
