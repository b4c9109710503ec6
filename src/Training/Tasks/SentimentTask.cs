using System.Collections.Concurrent;
using SweepCluster.Training.Tasks.Sentiment;
using static TorchSharp.torch;

namespace SweepCluster.Training.Tasks;

/// <summary>
/// The LSTM text article's task: reviews as token ids padded to <c>max_len</c>, label 1 = positive. Corpora
/// are loaded once per process and shared by every trial that asks for the same one.
/// </summary>
public sealed class SentimentTask : ILearningTask
{
    private static readonly ConcurrentDictionary<SentimentCorpusOptions, Lazy<SentimentCorpus>> Corpora = new();

    private readonly SentimentCorpus _corpus;
    private readonly int _batchSize;
    private readonly int _seed;

    public SentimentTask(SentimentCorpusOptions options, int batchSize, int seed)
    {
        _corpus = Load(options);
        _batchSize = batchSize;
        _seed = seed;
        Input = new ModelInput.Tokens(_corpus.VocabularySize);
    }

    public ModelInput Input { get; }

    public bool PerTimestep => false;

    public int StepsPerEpoch => EpochOrder.Steps(_corpus.TrainReviews.Count, _batchSize);

    public Batch TrainBatch(int epoch, int step, Device device)
    {
        var order = EpochOrder.For(_seed, epoch, _corpus.TrainReviews.Count);
        var picked = order.Skip(step * _batchSize).Take(_batchSize).ToArray();
        return ToBatch(picked.Select(i => _corpus.TrainReviews[i]).ToArray(), picked.Select(i => _corpus.TrainLabels[i]).ToArray(), device);
    }

    public IEnumerable<Batch> TestBatches(Device device)
    {
        for (var start = 0; start < _corpus.TestReviews.Count; start += _batchSize)
        {
            var count = Math.Min(_batchSize, _corpus.TestReviews.Count - start);
            var indices = Enumerable.Range(start, count).ToArray();
            yield return ToBatch(indices.Select(i => _corpus.TestReviews[i]).ToArray(), indices.Select(i => _corpus.TestLabels[i]).ToArray(), device);
        }
    }

    private static SentimentCorpus Load(SentimentCorpusOptions options)
    {
        var lazy = Corpora.GetOrAdd(options, o => new Lazy<SentimentCorpus>(() => SentimentCorpusLoader.Load(o)));
        try
        {
            return lazy.Value;
        }
        catch
        {
            // A failed load (missing file) must not be cached: the user may fix the path and retry in-process.
            Corpora.TryRemove(new KeyValuePair<SentimentCorpusOptions, Lazy<SentimentCorpus>>(options, lazy));
            throw;
        }
    }

    private static Batch ToBatch(int[][] reviews, int[] labels, Device device)
    {
        var length = reviews[0].Length;
        var ids = new long[reviews.Length * length];
        for (var i = 0; i < reviews.Length; i++)
        {
            for (var t = 0; t < length; t++)
            {
                ids[i * length + t] = reviews[i][t];
            }
        }

        return new Batch(
            tensor(ids, [reviews.Length, length], device: device),
            tensor(labels.Select(l => (float)l).ToArray(), [labels.Length], device: device));
    }
}
