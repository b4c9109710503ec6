namespace SweepCluster.Training.Tests.Sentiment;

/// <summary>Paths of the sentiment fixtures, which the test project copies next to the test assembly.</summary>
internal static class SentimentFixtures
{
    public static string Root { get; } = Path.Combine(AppContext.BaseDirectory, "Fixtures", "Sentiment");

    public static string ImdbNpz { get; } = Path.Combine(Root, "imdb.npz");

    public static string AclImdb { get; } = Path.Combine(Root, "aclImdb");

    public static string Corrupt(string fileName) => Path.Combine(Root, "corrupt", fileName);

    /// <summary>The word ranks in imdb.npz, in file order, as make_imdb_npz.py writes them.</summary>
    public static readonly long[][] ImdbTrainRanks =
    [
        [1, 2, 3, 4, 5],
        [6, 7, 8],
        [16, 17, 18, 300, 88586, 1L << 40],
        [.. Enumerable.Range(1, 1500).Select(rank => (long)rank)],
        [9],
        [],
    ];

    public static readonly int[] ImdbTrainLabels = [1, 0, 1, 0, 1, 0];

    public static readonly long[][] ImdbTestRanks =
    [
        [10, 11, 12],
        [300, 2, 3],
        [.. Enumerable.Range(1, 29).Select(rank => (long)rank)],
        [4, 4, 4, 4],
    ];

    public static readonly int[] ImdbTestLabels = [1, 0, 1, 0];
}
