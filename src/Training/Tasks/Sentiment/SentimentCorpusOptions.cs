using SweepCluster.Experiments;
namespace SweepCluster.Training.Tasks.Sentiment;

/// <summary>
/// What to load and how. <paramref name="Path"/> is the imdb.npz file or the aclImdb folder (ignored for
/// <see cref="SentimentSource.Generated"/>). The limits keep the first N reviews of a split after its
/// deterministic shuffle, so a limited corpus is a fixed, label-mixed sample of the full one.
/// </summary>
public sealed record SentimentCorpusOptions(
    SentimentSource Source,
    string? Path,
    int NumWords = 5000,
    int MaxLen = 300,
    int? TrainLimit = null,
    int? TestLimit = null);
