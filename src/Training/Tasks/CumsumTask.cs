using SweepCluster.Training.Randomness;
using SweepCluster.Training.Training;
using static TorchSharp.torch;

namespace SweepCluster.Training.Tasks;

/// <summary>
/// The bidirectional-LSTM tutorial's problem: <c>timesteps</c> uniform [0, 1) values; the label at step t is 1
/// once the running sum exceeds timesteps / 4. Every step draws fresh sequences, as the seed loop does. On a device
/// other than the CPU the batches go there a chunk of steps at a time (<see cref="DeviceChunks"/>), up to the
/// <paramref name="epochs"/>' last step, not one copy per step.
/// </summary>
public sealed class CumsumTask(int timesteps, int batchSize, int stepsPerEpoch, int testSize, int seed, int epochs) : ILearningTask
{
    private const int TestBatchSize = 1000;

    private DeviceChunks? _onDevice;

    public ModelInput Input { get; } = new ModelInput.Values(1);

    public bool PerTimestep => true;

    public int StepsPerEpoch => stepsPerEpoch;

    public Batch TrainBatch(int epoch, int step, Device device) =>
        device.type == TorchSharp.DeviceType.CPU ? Generate(TrainRandom(epoch, step), batchSize, device) : TrainBatchFromChunks(epoch, step, device);

    /// <summary>The batch <see cref="TrainBatch"/> gives for a device other than the CPU: a view into the chunk of steps copied there.</summary>
    internal Batch TrainBatchFromChunks(int epoch, int step, Device device)
    {
        if (_onDevice?.Device.type != device.type || _onDevice.Device.index != device.index)
        {
            _onDevice?.Dispose();
            _onDevice = new DeviceChunks([batchSize, timesteps], device, (at, values, labels) => Fill(TrainRandom(at), batchSize, values, labels));
        }

        var at = ((long)epoch * stepsPerEpoch) + step;
        var (values, labels) = _onDevice.At(at, Math.Max(at, ((long)epochs * stepsPerEpoch) - 1));
        return new Batch(values.unsqueeze(-1), labels);
    }

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

    private Random TrainRandom(int epoch, int step) => TrainRandom(((long)epoch * stepsPerEpoch) + step);

    /// <summary>The stream of global step <paramref name="at"/> (epoch x steps per epoch + step).</summary>
    private Random TrainRandom(long at) => SeedSequence.For(seed, SeedSequence.Stream.TrainBatch, at);

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
