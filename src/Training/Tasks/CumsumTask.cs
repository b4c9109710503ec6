using SweepCluster.Training.Randomness;
using static TorchSharp.torch;

namespace SweepCluster.Training.Tasks;

/// <summary>
/// The bidirectional-LSTM tutorial's problem: <c>timesteps</c> uniform [0, 1) values; the label at step t is 1
/// once the running sum exceeds timesteps / 4. Every step draws fresh sequences, as the seed loop does.
/// </summary>
public sealed class CumsumTask(int timesteps, int batchSize, int stepsPerEpoch, int testSize, int seed) : ILearningTask
{
    private const int TestBatchSize = 1000;

    public ModelInput Input { get; } = new ModelInput.Values(1);

    public bool PerTimestep => true;

    public int StepsPerEpoch => stepsPerEpoch;

    public Batch TrainBatch(int epoch, int step, Device device) =>
        Generate(SeedSequence.For(seed, SeedSequence.Stream.TrainBatch, (long)epoch * stepsPerEpoch + step), batchSize, device);

    public IEnumerable<Batch> TestBatches(Device device)
    {
        var random = SeedSequence.For(seed, SeedSequence.Stream.TestSet);
        for (var start = 0; start < testSize; start += TestBatchSize)
        {
            yield return Generate(random, Math.Min(TestBatchSize, testSize - start), device);
        }
    }

    /// <summary>One sequence's values and labels, exactly as the tutorial's <c>get_sequence</c> defines them.</summary>
    public static (float[] Values, float[] Labels) Sequence(Random random, int timesteps)
    {
        var values = new float[timesteps];
        var labels = new float[timesteps];
        var limit = timesteps / 4.0;
        var sum = 0.0;
        for (var t = 0; t < timesteps; t++)
        {
            values[t] = (float)random.NextDouble();
            sum += values[t];
            labels[t] = sum > limit ? 1f : 0f;
        }

        return (values, labels);
    }

    private Batch Generate(Random random, int count, Device device)
    {
        var values = new float[count * timesteps];
        var labels = new float[count * timesteps];
        for (var i = 0; i < count; i++)
        {
            var (x, y) = Sequence(random, timesteps);
            x.CopyTo(values, i * timesteps);
            y.CopyTo(labels, i * timesteps);
        }

        return new Batch(tensor(values, [count, timesteps, 1], device: device), tensor(labels, [count, timesteps], device: device));
    }
}
