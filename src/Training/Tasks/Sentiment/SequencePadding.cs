namespace SweepCluster.Training.Tasks.Sentiment;

/// <summary>Keras <c>pad_sequences</c> with its defaults: 'pre' padding and 'pre' truncation.</summary>
internal static class SequencePadding
{
    /// <summary>
    /// Exactly <paramref name="maxLen"/> ids: zeros in front of a short review, only the last
    /// <paramref name="maxLen"/> ids of a long one, so the final token is always the review's real end (what the
    /// last LSTM step sees).
    /// </summary>
    public static int[] PadPre(ReadOnlySpan<int> ids, int maxLen)
    {
        var padded = new int[maxLen];
        var kept = ids.Length > maxLen ? ids[^maxLen..] : ids;
        kept.CopyTo(padded.AsSpan(maxLen - kept.Length));
        return padded;
    }
}
