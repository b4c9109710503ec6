namespace SweepCluster.Training.Tasks.Sentiment;

/// <summary>Turns a text corpus (aclImdb or generated) into padded ids, the one path both sources share.</summary>
internal static class TextCorpusEncoder
{
    public static SentimentCorpus Encode(LabelledTextCorpus texts, SentimentCorpusOptions options)
    {
        // The vocabulary comes from the whole training split, before any limit, so a limited corpus uses the same
        // ids as the full one (as Keras' imdb ids do), and the test split never leaks into it.
        var trainWords = texts.Train.Select(review => ReviewTokenizer.Tokenize(review.Text)).ToArray();
        var vocabulary = WordVocabulary.Build(trainWords, options.NumWords);

        var (trainOrder, testOrder) = KerasShuffle.Orders(
            texts.Train.Count, texts.Test.Count, options.TrainLimit, options.TestLimit);

        return new SentimentCorpus(
            trainOrder.Select(i => Pad(vocabulary.Encode(trainWords[i]), options)).ToArray(),
            trainOrder.Select(i => texts.Train[i].Label).ToArray(),
            testOrder.Select(i => Pad(vocabulary.Encode(ReviewTokenizer.Tokenize(texts.Test[i].Text)), options)).ToArray(),
            testOrder.Select(i => texts.Test[i].Label).ToArray(),
            options.NumWords);
    }

    private static int[] Pad(int[] ids, SentimentCorpusOptions options) => SequencePadding.PadPre(ids, options.MaxLen);
}
