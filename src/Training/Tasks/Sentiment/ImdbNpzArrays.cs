namespace SweepCluster.Training.Tasks.Sentiment;

/// <summary>imdb.npz as stored: reviews as raw word ranks (1 = most frequent word), labels 0 or 1, in file order.</summary>
internal sealed record ImdbNpzArrays(
    IReadOnlyList<int[]> TrainRanks,
    int[] TrainLabels,
    IReadOnlyList<int[]> TestRanks,
    int[] TestLabels);
