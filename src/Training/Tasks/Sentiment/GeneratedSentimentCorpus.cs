using SweepCluster.Experiments;
namespace SweepCluster.Training.Tasks.Sentiment;

/// <summary>
/// A synthetic movie-review corpus shipped as code, so the sentiment task trains and is tested without any
/// download: 4,000 training and 1,000 test reviews, half of each positive, 20 to ~250 words long. It is generated
/// from a fixed seed by an in-house Mersenne Twister, so it is the same corpus on every machine and runtime.
/// Load it with <see cref="SentimentSource.Generated"/>.
/// </summary>
public static class GeneratedSentimentCorpus
{
    internal const int TrainCount = 4000;
    internal const int TestCount = 1000;

    private const uint Seed = 20240611;

    /// <summary>
    /// Writes the corpus as an aclImdb folder tree (<c>train/pos</c>, <c>train/neg</c>, <c>test/pos</c>,
    /// <c>test/neg</c>, one <c>{id}_{rating}.txt</c> per review) under <paramref name="directory"/>, to show the
    /// format <see cref="SentimentSource.AclImdb"/> reads; loading it back gives the ids the generated source gives.
    /// Files of the same names are overwritten; use an empty or new folder.
    /// </summary>
    public static void WriteAclImdbLayout(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        var corpus = Generate();
        WriteSplit(Path.Combine(directory, "train"), corpus.Train);
        WriteSplit(Path.Combine(directory, "test"), corpus.Test);
    }

    /// <summary>The texts, in aclImdb's canonical order (positive then negative, by file name).</summary>
    internal static LabelledTextCorpus Generate()
    {
        var composer = new MovieReviewComposer(new NumpyRandomState(Seed));
        var train = GenerateSplit(composer, TrainCount);
        var test = GenerateSplit(composer, TestCount);
        return new LabelledTextCorpus(train, test);
    }

    private static List<LabelledReview> GenerateSplit(MovieReviewComposer composer, int count)
    {
        var reviews = new List<LabelledReview>(count);
        foreach (var label in (int[])[1, 0])
        {
            for (var i = 0; i < count / 2; i++)
            {
                var (text, rating) = composer.Compose(positive: label == 1);

                // Zero-padded ids make ordinal file-name order the generation order, which is how aclImdb is read.
                reviews.Add(new LabelledReview($"{i:D5}_{rating}.txt", text, label));
            }
        }

        return reviews;
    }

    private static void WriteSplit(string splitDirectory, IEnumerable<LabelledReview> reviews)
    {
        foreach (var group in reviews.GroupBy(review => review.Label))
        {
            var folder = Path.Combine(splitDirectory, group.Key == 1 ? "pos" : "neg");
            Directory.CreateDirectory(folder);
            foreach (var review in group)
            {
                File.WriteAllText(Path.Combine(folder, review.FileName), review.Text);
            }
        }
    }
}
