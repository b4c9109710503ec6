using SweepCluster.Training.Randomness;
using SweepCluster.Training.Training;
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

    public Batch TrainBatch(int epoch, int step, Device device) => Generate(TrainRandom(epoch, step), batchSize, device);

    /// <summary>
    /// <see cref="TrainBatch"/>'s values and labels (batch x timesteps each) written into <paramref name="values"/> and
    /// <paramref name="labels"/>: a pack fills one tensor for all its trials rather than stacking one per trial.
    /// </summary>
    public void FillTrainBatch(int epoch, int step, Span<float> values, Span<float> labels) =>
        Fill(TrainRandom(epoch, step), batchSize, values, labels);

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
        var (values, labels) = (new float[timesteps], new float[timesteps]);
        Sequence(random, values, labels);
        return (values, labels);
    }

    private static void Sequence(Random random, Span<float> values, Span<float> labels)
    {
        var limit = values.Length / 4.0;
        var sum = 0.0;
        for (var t = 0; t < values.Length; t++)
        {
            values[t] = (float)random.NextDouble();
            sum += values[t];
            labels[t] = sum > limit ? 1f : 0f;
        }
    }

    private Random TrainRandom(int epoch, int step) => SeedSequence.For(seed, SeedSequence.Stream.TrainBatch, (long)epoch * stepsPerEpoch + step);

    private void Fill(Random random, int count, Span<float> values, Span<float> labels)
    {
        for (var i = 0; i < count; i++)
        {
            Sequence(random, values.Slice(i * timesteps, timesteps), labels.Slice(i * timesteps, timesteps));
        }
    }

    /// <summary>Drawn straight into the tensors' memory (<see cref="TensorMemory"/> says why), then moved to the device.</summary>
    private Batch Generate(Random random, int count, Device device)
    {
        var values = empty([count, timesteps, 1]);
        var labels = empty([count, timesteps]);
        Fill(random, count, values.Floats(), labels.Floats());
        return device.type == TorchSharp.DeviceType.CPU ? new Batch(values, labels) : new Batch(values.to(device), labels.to(device));
    }
}
