namespace SweepCluster.Training.Tasks.Sentiment;

/// <summary>
/// The parts of numpy's legacy <c>RandomState</c> (MT19937) the data layer needs, bit for bit: seeding, 32-bit
/// draws, <c>random_sample</c>, <c>random_interval</c> and <c>shuffle</c>. Owning the generator (rather than
/// System.Random, whose algorithm .NET does not promise to keep) pins the generated corpus on every machine and
/// runtime, and lets the imdb.npz split be shuffled exactly as <c>keras.datasets.imdb.load_data</c> shuffles it.
/// </summary>
internal sealed class NumpyRandomState
{
    private const int StateLength = 624;
    private const int Shift = 397;
    private const uint MatrixA = 0x9908b0df;
    private const uint UpperMask = 0x80000000;
    private const uint LowerMask = 0x7fffffff;

    private readonly uint[] _key = new uint[StateLength];
    private int _position;

    /// <summary>Seeds like <c>np.random.RandomState(seed)</c> for an integer seed (MT19937 <c>init_genrand</c>).</summary>
    public NumpyRandomState(uint seed)
    {
        _key[0] = seed;
        for (var i = 1; i < StateLength; i++)
        {
            var previous = _key[i - 1];
            _key[i] = unchecked(1812433253u * (previous ^ (previous >> 30)) + (uint)i);
        }

        _position = StateLength;
    }

    public uint NextUInt32()
    {
        if (_position == StateLength)
        {
            Regenerate();
        }

        var y = _key[_position++];
        y ^= y >> 11;
        y ^= (y << 7) & 0x9d2c5680;
        y ^= (y << 15) & 0xefc60000;
        return y ^ (y >> 18);
    }

    /// <summary>A double in [0, 1) from 53 random bits, as <c>random_sample()</c> makes it.</summary>
    public double NextDouble()
    {
        var high = NextUInt32() >> 5;
        var low = NextUInt32() >> 6;
        return (high * 67108864.0 + low) / 9007199254740992.0;
    }

    /// <summary>A uniform integer in [0, <paramref name="max"/>] by masked rejection (numpy's <c>random_interval</c>).</summary>
    public long NextInterval(long max)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(max);
        if (max == 0)
        {
            return 0;
        }

        var mask = (ulong)max;
        mask |= mask >> 1;
        mask |= mask >> 2;
        mask |= mask >> 4;
        mask |= mask >> 8;
        mask |= mask >> 16;
        mask |= mask >> 32;

        ulong value;
        if ((ulong)max <= uint.MaxValue)
        {
            while ((value = NextUInt32() & mask) > (ulong)max)
            {
            }
        }
        else
        {
            while ((value = (((ulong)NextUInt32() << 32) | NextUInt32()) & mask) > (ulong)max)
            {
            }
        }

        return (long)value;
    }

    /// <summary>Shuffles in place exactly as <c>RandomState.shuffle</c> shuffles a 1-D array.</summary>
    public void Shuffle<T>(IList<T> items)
    {
        for (var i = items.Count - 1; i > 0; i--)
        {
            var j = (int)NextInterval(i);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    /// <summary><c>RandomState.permutation(count)</c>: a shuffled 0..count-1.</summary>
    public int[] Permutation(int count)
    {
        var indices = Enumerable.Range(0, count).ToArray();
        Shuffle(indices);
        return indices;
    }

    /// <summary>A uniformly chosen item.</summary>
    public T Pick<T>(IReadOnlyList<T> items) => items[(int)NextInterval(items.Count - 1)];

    /// <summary>A uniform integer in [<paramref name="min"/>, <paramref name="max"/>], both inclusive.</summary>
    public int Between(int min, int max) => min + (int)NextInterval(max - min);

    public bool Chance(double probability) => NextDouble() < probability;

    private void Regenerate()
    {
        for (var i = 0; i < StateLength; i++)
        {
            var y = (_key[i] & UpperMask) | (_key[(i + 1) % StateLength] & LowerMask);
            _key[i] = _key[(i + Shift) % StateLength] ^ (y >> 1) ^ ((y & 1) == 0 ? 0 : MatrixA);
        }

        _position = 0;
    }
}
