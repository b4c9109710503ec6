namespace SweepCluster.Training.Tasks.Sentiment;

/// <summary>
/// The order in which a corpus' reviews are kept: <c>keras.datasets.imdb.load_data</c>'s shuffle (one
/// <c>RandomState(113)</c>, train permuted first, then test), cut to the limits. Files on disk are ordered by
/// label, so without it a limited split would hold one label only; with it, the imdb.npz corpus has the same
/// order as the one Keras users train on.
/// </summary>
internal static class KerasShuffle
{
    public const uint Seed = 113;

    public static (int[] Train, int[] Test) Orders(int trainCount, int testCount, int? trainLimit, int? testLimit)
    {
        var random = new NumpyRandomState(Seed);
        var train = random.Permutation(trainCount);
        var test = random.Permutation(testCount);
        return (Limit(train, trainLimit), Limit(test, testLimit));
    }

    private static int[] Limit(int[] order, int? limit) =>
        limit is { } n && n < order.Length ? order[..n] : order;
}
