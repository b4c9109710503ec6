using SweepCluster.Experiments;
using SweepCluster.Training.Tasks.Sentiment;

namespace SweepCluster.Training.Tests.Sentiment;

public sealed class AclImdbLoaderTests
{
    // Canonical order: train/pos then train/neg, each by ordinal file name ("0_9" < "10_8" < "2_7").
    private const int TrainPos0 = 0; // train/pos/0_9.txt
    private const int TrainNeg11 = 4; // train/neg/11_2.txt
    private const int TestPos1 = 1; // test/pos/1_8.txt

    private static SentimentCorpus Load(int numWords = 5000, int maxLen = 20) =>
        SentimentCorpusLoader.Load(new SentimentCorpusOptions(SentimentSource.AclImdb, SentimentFixtures.AclImdb, numWords, maxLen));

    private static int TrainPosition(int index) => Array.IndexOf(KerasShuffle.Orders(6, 4, null, null).Train, index);

    private static int TestPosition(int index) => Array.IndexOf(KerasShuffle.Orders(6, 4, null, null).Test, index);

    [Fact]
    public void LoadsEverySplitWithPosAsOneAndNegAsZero()
    {
        var corpus = Load();

        Assert.Equal(6, corpus.TrainReviews.Count);
        Assert.Equal(4, corpus.TestReviews.Count);
        Assert.Equal([1, 1, 1, 0, 0, 0], Enumerable.Range(0, 6).Select(i => corpus.TrainLabels[TrainPosition(i)]));
        Assert.Equal([1, 1, 0, 0], Enumerable.Range(0, 4).Select(i => corpus.TestLabels[TestPosition(i)]));
    }

    [Fact]
    public void WordsAreRankedByTrainingFrequencyWithTiesInOrdinalOrder()
    {
        var corpus = Load();

        // "A wonderful film. The acting is great and the story is moving.<br /><br />I loved it."
        // Train counts: the 9, is 6, great 5, a 4, and 4, boring 4 (ties by ordinal order), film 3, i 3, ... so
        // the -> 4, is -> 5, great -> 6, a -> 7, and -> 8, boring -> 9, film -> 10, i -> 11, acting -> 12.
        Assert.Equal(
            [0, 0, 0, 0, 1, 7, 45, 10, 4, 12, 5, 6, 8, 4, 16, 5, 34, 11, 31, 15],
            corpus.TrainReviews[TrainPosition(TrainPos0)]);
    }

    [Fact]
    public void WordsNeverSeenInTrainingAreOutOfVocabulary()
    {
        var corpus = Load();

        // "A charming, unforgettable adventure; the music is great." - three words only the test split has.
        Assert.Equal([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 7, 2, 2, 2, 4, 35, 5, 6], corpus.TestReviews[TestPosition(TestPos1)]);
    }

    [Fact]
    public void WordsWhoseIdReachesNumWordsAreOutOfVocabulary()
    {
        var corpus = Load(numWords: 10);

        Assert.Equal(
            [0, 0, 0, 0, 1, 7, 2, 2, 4, 2, 5, 6, 8, 4, 2, 5, 2, 2, 2, 2],
            corpus.TrainReviews[TrainPosition(TrainPos0)]);
        Assert.Equal(10, corpus.VocabularySize);
    }

    [Fact]
    public void LineBreaksAndPunctuationSeparateWords()
    {
        var corpus = Load();

        // "Boring, boring, boring.<br />I didn't laugh once. The story goes nowhere."
        var review = corpus.TrainReviews[TrainPosition(TrainNeg11)];
        Assert.Equal([0, 0, 0, 0, 0, 0, 0, 0, 1, 9, 9, 9, 11], review[..13]);
    }

    [Fact]
    public void LoadingTwiceGivesTheSameIds()
    {
        var first = Load();
        var second = Load();

        Assert.Equal(first.TrainReviews, second.TrainReviews);
        Assert.Equal(first.TestReviews, second.TestReviews);
        Assert.Equal(first.TrainLabels, second.TrainLabels);
    }
}
