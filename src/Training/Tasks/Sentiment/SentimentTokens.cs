namespace SweepCluster.Training.Tasks.Sentiment;

/// <summary>The reserved token ids (Keras imdb: <c>start_char=1, oov_char=2, index_from=3</c>).</summary>
internal static class SentimentTokens
{
    public const int Padding = 0;
    public const int Start = 1;
    public const int OutOfVocabulary = 2;

    /// <summary>
    /// A word of frequency rank r (1 = most frequent) gets id r + 3, exactly as Keras offsets imdb ranks; so id 3
    /// itself is never used, and the words kept under num_words are the ranks below num_words - 3.
    /// </summary>
    public const int IndexFrom = 3;

    /// <summary>The Keras id of word rank <paramref name="rank"/> under <paramref name="numWords"/>: oov past the vocabulary.</summary>
    public static int FromRank(long rank, int numWords) =>
        rank + IndexFrom < numWords ? (int)(rank + IndexFrom) : OutOfVocabulary;
}
