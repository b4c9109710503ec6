using SweepCluster.Training.Randomness;

namespace SweepCluster.Training.Tasks;

/// <summary>Per-epoch shuffling of a fixed training set, as Keras' <c>fit(shuffle=True)</c>; derived from (seed, epoch) only.</summary>
internal static class EpochOrder
{
    public static int[] For(int seed, int epoch, int count)
    {
        var order = Enumerable.Range(0, count).ToArray();
        SeedSequence.For(seed, SeedSequence.Stream.Shuffle, epoch).Shuffle(order);
        return order;
    }

    public static int Steps(int count, int batchSize) => (count + batchSize - 1) / batchSize;
}
