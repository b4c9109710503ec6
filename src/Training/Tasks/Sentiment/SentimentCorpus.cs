namespace SweepCluster.Training.Tasks.Sentiment;

/// <summary>
/// Reviews as token ids, every review exactly <c>max_len</c> long. Ids follow the Keras imdb convention:
/// 0 = padding, 1 = start of review, 2 = out of vocabulary, real words from 3 (most frequent first); every id is
/// below <see cref="VocabularySize"/>, which equals <c>num_words</c>. Label 1 = positive, 0 = negative.
/// </summary>
public sealed record SentimentCorpus(
    IReadOnlyList<int[]> TrainReviews,
    IReadOnlyList<int> TrainLabels,
    IReadOnlyList<int[]> TestReviews,
    IReadOnlyList<int> TestLabels,
    int VocabularySize);
