using SweepCluster.Experiments;
namespace SweepCluster.Training.Tasks.Sentiment;

/// <summary>Loads a sentiment corpus from any <see cref="SentimentSource"/> into the same padded-id form.</summary>
public static class SentimentCorpusLoader
{
    /// <summary>
    /// Loads the corpus, maps words to ids below num_words and pads or truncates every review to exactly max_len
    /// ('pre' padding and 'pre' truncation, as Keras <c>pad_sequences</c> does by default, so the last token is
    /// always the review's real end). Splits are shuffled as <c>keras.datasets.imdb.load_data</c> shuffles them
    /// before the limits apply.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">num_words, max_len or a limit is out of range.</exception>
    /// <exception cref="DataFileException">The data file or folder is missing or unreadable.</exception>
    public static SentimentCorpus Load(SentimentCorpusOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Validate(options);
        return options.Source switch
        {
            SentimentSource.Generated => TextCorpusEncoder.Encode(GeneratedSentimentCorpus.Generate(), options),
            SentimentSource.AclImdb => TextCorpusEncoder.Encode(AclImdbReader.Read(RequirePath(options)), options),
            SentimentSource.ImdbNpz => EncodeImdbNpz(ImdbNpzReader.Read(RequirePath(options)), options),
            _ => throw new ArgumentOutOfRangeException(nameof(options), options.Source, "unknown sentiment source"),
        };
    }

    private static void Validate(SentimentCorpusOptions options)
    {
        // Named as in sweep specs, so the message points at the field the user wrote.
        if (options.NumWords <= SentimentTokens.IndexFrom)
        {
            throw new ArgumentOutOfRangeException(
                "num_words", options.NumWords, "num_words must be greater than 3: ids 0-2 are padding, start and out-of-vocabulary, and words start after 3");
        }

        if (options.MaxLen <= 0)
        {
            throw new ArgumentOutOfRangeException("max_len", options.MaxLen, "max_len must be positive");
        }

        if (options.TrainLimit <= 0)
        {
            throw new ArgumentOutOfRangeException("train_limit", options.TrainLimit, "train_limit must be positive when set");
        }

        if (options.TestLimit <= 0)
        {
            throw new ArgumentOutOfRangeException("test_limit", options.TestLimit, "test_limit must be positive when set");
        }
    }

    private static string RequirePath(SentimentCorpusOptions options) =>
        string.IsNullOrWhiteSpace(options.Path)
            ? throw new ArgumentException($"the {options.Source} sentiment source needs a path to its data", "path")
            : options.Path;

    /// <summary>Keras' load_data transformation: [start] + (rank + 3 per word), ids from num_words on become oov.</summary>
    private static SentimentCorpus EncodeImdbNpz(ImdbNpzArrays arrays, SentimentCorpusOptions options)
    {
        var (trainOrder, testOrder) = KerasShuffle.Orders(
            arrays.TrainRanks.Count, arrays.TestRanks.Count, options.TrainLimit, options.TestLimit);
        return new SentimentCorpus(
            trainOrder.Select(i => Encode(arrays.TrainRanks[i], options)).ToArray(),
            trainOrder.Select(i => arrays.TrainLabels[i]).ToArray(),
            testOrder.Select(i => Encode(arrays.TestRanks[i], options)).ToArray(),
            testOrder.Select(i => arrays.TestLabels[i]).ToArray(),
            options.NumWords);
    }

    private static int[] Encode(int[] ranks, SentimentCorpusOptions options)
    {
        var ids = new int[ranks.Length + 1];
        ids[0] = SentimentTokens.Start;
        for (var i = 0; i < ranks.Length; i++)
        {
            ids[i + 1] = SentimentTokens.FromRank(ranks[i], options.NumWords);
        }

        return SequencePadding.PadPre(ids, options.MaxLen);
    }
}
