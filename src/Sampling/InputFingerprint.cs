namespace SweepCluster.Sampling;

/// <summary>
/// A 64-bit FNV-1a hash of a suggestion's inputs (seed, finished trials with their objectives, pending trials, in
/// order, over the space's dimensions), which seeds that suggestion's random stream: a suggestion is a pure function
/// of its inputs, and two different histories of equal length do not replay the same random draws.
/// </summary>
internal static class InputFingerprint
{
    private const ulong OffsetBasis = 0xCBF29CE484222325UL;
    private const ulong Prime = 0x100000001B3UL;

    public static ulong Of(int seed, SearchSpace space, IReadOnlyList<Observation> finished, IReadOnlyList<Assignment> pending)
    {
        var hash = OffsetBasis;
        Add(ref hash, (ulong)(uint)seed);
        Add(ref hash, (ulong)finished.Count);
        foreach (var observation in finished)
        {
            AddAssignment(ref hash, space, observation.Assignment);
            // Every non-finite objective counts as the same worst result, so they hash alike too.
            Add(ref hash, double.IsFinite(observation.Objective) ? (ulong)BitConverter.DoubleToInt64Bits(observation.Objective) : ulong.MaxValue);
        }

        Add(ref hash, (ulong)pending.Count);
        foreach (var assignment in pending)
        {
            AddAssignment(ref hash, space, assignment);
        }

        return SamplingRandom.Mix(hash);
    }

    private static void AddAssignment(ref ulong hash, SearchSpace space, Assignment assignment)
    {
        foreach (var dimension in space.Dimensions)
        {
            if (!assignment.TryGetValue(dimension.Name, out var value))
            {
                Add(ref hash, 0);
                continue;
            }

            if (value.Text is { } text)
            {
                Add(ref hash, 1);
                Add(ref hash, (ulong)text.Length);
                foreach (var character in text)
                {
                    Add(ref hash, character);
                }
            }
            else
            {
                Add(ref hash, 2);
                Add(ref hash, (ulong)BitConverter.DoubleToInt64Bits(value.Number));
            }
        }
    }

    private static void Add(ref ulong hash, ulong value)
    {
        for (var shift = 0; shift < 64; shift += 8)
        {
            hash ^= (value >> shift) & 0xFF;
            hash *= Prime;
        }
    }
}
