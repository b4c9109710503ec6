namespace SweepCluster.Training.Tasks.Sentiment;

/// <summary>
/// Word ids for text corpora, built the way Keras built imdb's: words ranked by frequency in the training split
/// (ties in ordinal string order, so the same text always gives the same ids), rank r becoming id r + 3; words
/// whose id would reach num_words, and words never seen in training, are out of vocabulary.
/// </summary>
internal sealed class WordVocabulary
{
    private readonly Dictionary<string, int> _ids;

    private WordVocabulary(Dictionary<string, int> ids) => _ids = ids;

    public int Count => _ids.Count;

    public static WordVocabulary Build(IEnumerable<IReadOnlyList<string>> trainReviews, int numWords)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var review in trainReviews)
        {
            foreach (var word in review)
            {
                counts[word] = counts.GetValueOrDefault(word) + 1;
            }
        }

        var kept = Math.Max(0, numWords - 1 - SentimentTokens.IndexFrom);
        var ids = counts
            .OrderByDescending(pair => pair.Value)
            .ThenBy(pair => pair.Key, StringComparer.Ordinal)
            .Take(kept)
            .Select((pair, index) => (pair.Key, Id: index + 1 + SentimentTokens.IndexFrom))
            .ToDictionary(pair => pair.Key, pair => pair.Id, StringComparer.Ordinal);
        return new WordVocabulary(ids);
    }

    /// <summary>The review as ids, led by the start token.</summary>
    public int[] Encode(IReadOnlyList<string> words)
    {
        var ids = new int[words.Count + 1];
        ids[0] = SentimentTokens.Start;
        for (var i = 0; i < words.Count; i++)
        {
            ids[i + 1] = _ids.GetValueOrDefault(words[i], SentimentTokens.OutOfVocabulary);
        }

        return ids;
    }
}
