using SweepCluster.Experiments;
using System.Security.Cryptography;
using System.Text;
using SweepCluster.Training.Tasks.Sentiment;

namespace SweepCluster.Training.Tests.Sentiment;

public sealed class GeneratedSentimentCorpusTests
{
    // Changing the generator changes every sentiment result trained on it; update this only on purpose.
    private const string Fingerprint = "bce4aa6a6d34cc249a7d58289c59e6ba3b4fe0f03dce59219970d8f910a15f46";

    private static readonly SentimentCorpusOptions Options = new(SentimentSource.Generated, Path: null);

    [Fact]
    public void LoadingTwiceGivesTheSameCorpus()
    {
        var first = SentimentCorpusLoader.Load(Options);
        var second = SentimentCorpusLoader.Load(Options);

        Assert.Equal(first.TrainReviews, second.TrainReviews);
        Assert.Equal(first.TrainLabels, second.TrainLabels);
        Assert.Equal(first.TestReviews, second.TestReviews);
        Assert.Equal(first.TestLabels, second.TestLabels);
    }

    [Fact]
    public void TheTextIsPinnedAcrossMachinesAndRuntimes()
    {
        var corpus = GeneratedSentimentCorpus.Generate();
        var text = new StringBuilder();
        foreach (var review in corpus.Train.Concat(corpus.Test))
        {
            text.Append(review.Label).Append('\t').Append(review.FileName).Append('\t').Append(review.Text).Append('\n');
        }

        Assert.Equal(Fingerprint, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString()))));
    }

    [Fact]
    public void HasFourThousandTrainingAndOneThousandTestReviews()
    {
        var corpus = SentimentCorpusLoader.Load(Options);

        Assert.Equal(4000, corpus.TrainReviews.Count);
        Assert.Equal(4000, corpus.TrainLabels.Count);
        Assert.Equal(1000, corpus.TestReviews.Count);
        Assert.Equal(1000, corpus.TestLabels.Count);
    }

    [Fact]
    public void BothSplitsAreBalancedAndShuffled()
    {
        var corpus = SentimentCorpusLoader.Load(Options);

        Assert.Equal(2000, corpus.TrainLabels.Count(label => label == 1));
        Assert.Equal(500, corpus.TestLabels.Count(label => label == 1));

        // Shuffled, so a limited corpus is still balanced enough to learn from.
        var firstHundred = SentimentCorpusLoader.Load(Options with { TrainLimit = 100 }).TrainLabels;
        Assert.InRange(firstHundred.Count(label => label == 1), 35, 65);
    }

    [Fact]
    public void ReviewsRunFromTwentyToAboutTwoHundredFiftyWords()
    {
        var corpus = GeneratedSentimentCorpus.Generate();

        var lengths = corpus.Train.Concat(corpus.Test).Select(review => ReviewTokenizer.Tokenize(review.Text).Count).ToArray();
        Assert.InRange(lengths.Min(), 20, 30);
        Assert.InRange(lengths.Max(), 230, 270);
        Assert.InRange(lengths.Average(), 70, 150);
    }

    [Fact]
    public void IdsStayBelowNumWordsAndReviewsAreMaxLenLong()
    {
        var corpus = SentimentCorpusLoader.Load(Options with { NumWords = 100, MaxLen = 50 });

        Assert.Equal(100, corpus.VocabularySize);
        Assert.All(corpus.TrainReviews.Concat(corpus.TestReviews), review =>
        {
            Assert.Equal(50, review.Length);
            Assert.All(review, id => Assert.InRange(id, 0, 99));
        });
    }

    [Fact]
    public void ABagOfWordsBaselineLearnsIt()
    {
        var corpus = SentimentCorpusLoader.Load(Options);

        Assert.InRange(BagOfWordsBaseline.TestAccuracy(corpus), 0.90, 1.0);
    }

    [Fact]
    public void WrittenAsAclImdbItLoadsBackToTheSameIds()
    {
        using var folder = new TemporaryDirectory();
        GeneratedSentimentCorpus.WriteAclImdbLayout(folder.FullPath);

        var generated = SentimentCorpusLoader.Load(Options);
        var roundTripped = SentimentCorpusLoader.Load(Options with { Source = SentimentSource.AclImdb, Path = folder.FullPath });

        Assert.Equal(2000, Directory.GetFiles(Path.Combine(folder.FullPath, "train", "pos"), "*.txt").Length);
        Assert.Equal(500, Directory.GetFiles(Path.Combine(folder.FullPath, "test", "neg"), "*.txt").Length);
        Assert.Equal(generated.TrainReviews, roundTripped.TrainReviews);
        Assert.Equal(generated.TrainLabels, roundTripped.TrainLabels);
        Assert.Equal(generated.TestReviews, roundTripped.TestReviews);
        Assert.Equal(generated.TestLabels, roundTripped.TestLabels);
    }
}
