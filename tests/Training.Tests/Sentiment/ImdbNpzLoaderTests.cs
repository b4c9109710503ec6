using SweepCluster.Experiments;
using SweepCluster.Training.Tasks.Sentiment;

namespace SweepCluster.Training.Tests.Sentiment;

public sealed class ImdbNpzLoaderTests
{
    private static SentimentCorpus Load(int numWords = 5000, int maxLen = 8, int? trainLimit = null, int? testLimit = null, string? path = null) =>
        SentimentCorpusLoader.Load(new SentimentCorpusOptions(
            SentimentSource.ImdbNpz, path ?? SentimentFixtures.ImdbNpz, numWords, maxLen, trainLimit, testLimit));

    // Where file review `index` lands after Keras' load_data shuffle (pinned to numpy in NumpyRandomStateTests).
    private static int TrainPosition(int index) => Array.IndexOf(KerasShuffle.Orders(6, 4, null, null).Train, index);

    private static int TestPosition(int index) => Array.IndexOf(KerasShuffle.Orders(6, 4, null, null).Test, index);

    [Fact]
    public void LoadsEveryReviewWithItsLabel()
    {
        var corpus = Load();

        Assert.Equal(6, corpus.TrainReviews.Count);
        Assert.Equal(4, corpus.TestReviews.Count);
        Assert.Equal(5000, corpus.VocabularySize);
        for (var i = 0; i < 6; i++)
        {
            Assert.Equal(SentimentFixtures.ImdbTrainLabels[i], corpus.TrainLabels[TrainPosition(i)]);
        }

        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(SentimentFixtures.ImdbTestLabels[i], corpus.TestLabels[TestPosition(i)]);
        }
    }

    [Fact]
    public void ReviewsAreShuffledAsKerasLoadDataShufflesThem()
    {
        var corpus = Load();

        // Raw review 0 is [1, 2, 3, 4, 5]; it must sit where numpy's RandomState(113) permutation puts it.
        Assert.Equal([0, 0, 1, 4, 5, 6, 7, 8], corpus.TrainReviews[TrainPosition(0)]);
        Assert.NotEqual(Enumerable.Range(0, 6), KerasShuffle.Orders(6, 4, null, null).Train);
    }

    [Fact]
    public void EveryReviewStartsWithTheStartTokenAndOffsetsRanksByThree()
    {
        var corpus = Load();

        Assert.Equal([0, 0, 0, 0, 0, 0, 1, 12], corpus.TrainReviews[TrainPosition(4)]);
        Assert.Equal([0, 0, 0, 0, 1, 13, 14, 15], corpus.TestReviews[TestPosition(0)]);
        Assert.Equal([0, 0, 0, 0, 1, 303, 5, 6], corpus.TestReviews[TestPosition(1)]);
    }

    [Fact]
    public void RanksAtOrPastNumWordsMinusThreeBecomeOutOfVocabulary()
    {
        var corpus = Load(numWords: 20);

        // Rank 16 -> id 19 is the last id under 20; 17 -> 20 and beyond (including a 2^40 LONG1 rank) are oov (2).
        Assert.Equal([0, 1, 19, 2, 2, 2, 2, 2], corpus.TrainReviews[TrainPosition(2)]);
        Assert.All(corpus.TrainReviews.Concat(corpus.TestReviews), review => Assert.All(review, id => Assert.InRange(id, 0, 19)));
    }

    [Fact]
    public void ShortReviewsArePaddedWithZerosInFront()
    {
        var corpus = Load(maxLen: 5);

        Assert.Equal([0, 0, 0, 1, 12], corpus.TrainReviews[TrainPosition(4)]);
        Assert.Equal([0, 0, 0, 0, 1], corpus.TrainReviews[TrainPosition(5)]); // the empty review keeps its start token
    }

    [Fact]
    public void LongReviewsAreTruncatedFromTheFrontSoTheirEndIsKept()
    {
        var corpus = Load(maxLen: 8);

        // Ranks 1..1500 become ids 4..1503; 'pre' truncation keeps the last eight.
        Assert.Equal([1496, 1497, 1498, 1499, 1500, 1501, 1502, 1503], corpus.TrainReviews[TrainPosition(3)]);
        Assert.Equal([25, 26, 27, 28, 29, 30, 31, 32], corpus.TestReviews[TestPosition(2)]);
    }

    [Fact]
    public void EveryReviewIsExactlyMaxLenLong()
    {
        var corpus = Load(maxLen: 300);

        Assert.All(corpus.TrainReviews.Concat(corpus.TestReviews), review => Assert.Equal(300, review.Length));
    }

    [Fact]
    public void LimitsKeepTheFirstReviewsOfTheShuffledSplits()
    {
        var full = Load();
        var limited = Load(trainLimit: 2, testLimit: 3);

        Assert.Equal(full.TrainReviews.Take(2), limited.TrainReviews);
        Assert.Equal(full.TrainLabels.Take(2), limited.TrainLabels);
        Assert.Equal(full.TestReviews.Take(3), limited.TestReviews);
        Assert.Equal(full.TestLabels.Take(3), limited.TestLabels);
    }

    [Fact]
    public void LimitsLargerThanASplitKeepTheWholeSplit()
    {
        var corpus = Load(trainLimit: 1000, testLimit: 1000);

        Assert.Equal(6, corpus.TrainReviews.Count);
        Assert.Equal(4, corpus.TestReviews.Count);
    }

    [Theory]
    [InlineData("imdb-protocol2.npz")] // numpy 1.x names, bytes via _codecs.encode, stored (uncompressed) zip
    [InlineData("imdb-protocol5-numpy2.npz")] // numpy 2.x names, FRAME, STACK_GLOBAL, MEMOIZE
    [InlineData("imdb-python2.npz")] // Python 2 str as SHORT_BINSTRING, a Python 2 long as LONG1
    public void OtherPickleProtocolsAndNumpyVersionsLoadTheSameCorpus(string fileName)
    {
        var expected = Load();
        var actual = Load(path: Path.Combine(SentimentFixtures.Root, fileName));

        Assert.Equal(expected.TrainReviews, actual.TrainReviews);
        Assert.Equal(expected.TrainLabels, actual.TrainLabels);
        Assert.Equal(expected.TestReviews, actual.TestReviews);
        Assert.Equal(expected.TestLabels, actual.TestLabels);
    }
}
