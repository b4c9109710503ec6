namespace SweepCluster.Training.Randomness;

/// <summary>
/// Derives independent, reproducible random streams from a trial seed: one per purpose (model init, a
/// training batch, the test set). Each stream depends only on (seed, purpose, index), so a run resumed at
/// epoch k draws exactly the batches the uninterrupted run would have drawn.
/// </summary>
public static class SeedSequence
{
    public static Random For(int seed, Stream stream, long index = 0) =>
        new(unchecked((int)Mix((ulong)(uint)seed, (ulong)stream, (ulong)index)));

    // SplitMix64 finalizer, applied in a chain: cheap, and neighbouring inputs give unrelated outputs.
    private static ulong Mix(ulong a, ulong b, ulong c)
    {
        var h = Finalize(a + 0x9E3779B97F4A7C15UL);
        h = Finalize(h ^ (b + 0x9E3779B97F4A7C15UL));
        return Finalize(h ^ (c + 0x9E3779B97F4A7C15UL));
    }

    private static ulong Finalize(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    public enum Stream : ulong
    {
        ModelInit = 1,
        TrainBatch = 2,
        TestSet = 3,
        TrainSet = 4,
        Shuffle = 5,
    }
}
