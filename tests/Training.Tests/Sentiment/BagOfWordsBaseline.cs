using SweepCluster.Training.Tasks.Sentiment;

namespace SweepCluster.Training.Tests.Sentiment;

/// <summary>
/// The simplest honest text classifier: naive Bayes over which words a review contains (binarized multinomial,
/// Laplace smoothing), trained on the train split. If it cannot beat chance by far, the corpus carries no signal.
/// </summary>
internal static class BagOfWordsBaseline
{
    public static double TestAccuracy(SentimentCorpus corpus)
    {
        var vocabulary = corpus.VocabularySize;
        var wordCounts = new double[2, vocabulary];
        var totals = new double[2];
        var reviews = new double[2];
        for (var i = 0; i < corpus.TrainReviews.Count; i++)
        {
            var label = corpus.TrainLabels[i];
            reviews[label]++;
            foreach (var id in Words(corpus.TrainReviews[i]))
            {
                wordCounts[label, id]++;
                totals[label]++;
            }
        }

        var correct = 0;
        for (var i = 0; i < corpus.TestReviews.Count; i++)
        {
            var score = new double[2];
            for (var label = 0; label < 2; label++)
            {
                score[label] = Math.Log(reviews[label] / corpus.TrainReviews.Count);
                foreach (var id in Words(corpus.TestReviews[i]))
                {
                    score[label] += Math.Log((wordCounts[label, id] + 1) / (totals[label] + vocabulary));
                }
            }

            var predicted = score[1] > score[0] ? 1 : 0;
            correct += predicted == corpus.TestLabels[i] ? 1 : 0;
        }

        return (double)correct / corpus.TestReviews.Count;
    }

    // Real words only (ids from 3): padding, start and out-of-vocabulary say nothing about sentiment.
    private static IEnumerable<int> Words(int[] review) => review.Where(id => id >= 3).Distinct();
}
