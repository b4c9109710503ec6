#pragma warning disable
namespace SweepCluster.Training.Tasks.Sentiment;
public enum SentimentSource { Generated, ImdbNpz, AclImdb }
public sealed record SentimentCorpus(IReadOnlyList<int[]> TrainReviews, IReadOnlyList<int> TrainLabels, IReadOnlyList<int[]> TestReviews, IReadOnlyList<int> TestLabels, int VocabularySize);
public sealed record SentimentCorpusOptions(SentimentSource Source, string? Path, int NumWords = 5000, int MaxLen = 300, int? TrainLimit = null, int? TestLimit = null);
public static class SentimentCorpusLoader { public static SentimentCorpus Load(SentimentCorpusOptions options) => throw new NotImplementedException(); }
public sealed class DataFileException(string path, string message) : Exception(message) { public string Path { get; } = path; }
