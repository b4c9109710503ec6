using SweepCluster.Experiments;
using SweepCluster.Training.Tasks;
using SweepCluster.Training.Training;
using static TorchSharp.torch;

namespace SweepCluster.Training.Tests;

public sealed class BackwardAlignmentTests
{
    [Fact]
    public void OnlyTheBackwardReaderLearnsLabelsThatDependOnTheFuture()
    {
        var backward = Accuracy(Direction.Backward);
        var forward = Accuracy(Direction.Forward);

        // Label t is x[t+1] > 0.5: a forward reader at step t has not seen x[t+1] (chance, ~55% with the
        // always-0 last step), an aligned backward reader has. Reversed backward outputs would also fail.
        Assert.True(backward >= 0.9, $"backward accuracy {backward:P1}");
        Assert.True(forward <= 0.7, $"forward accuracy {forward:P1}");
    }

    private static double Accuracy(Direction direction)
    {
        var config = new TrialConfig { Task = TaskKind.Cumsum, Direction = direction, Epochs = 300, BatchSize = 32, LearningRate = 1e-2, Seed = 3 };
        using var session = TrainingSession.Start(config, new NextValueTask(timesteps: 8, batchSize: 32, seed: 3));
        while (!session.IsFinished)
        {
            session.RunEpoch();
        }

        return session.Evaluate().Accuracy;
    }

    /// <summary>Label at step t: is the NEXT value above 0.5 (the last step's label is 0).</summary>
    private sealed class NextValueTask(int timesteps, int batchSize, int seed) : ILearningTask
    {
        public ModelInput Input { get; } = new ModelInput.Values(1);

        public bool PerTimestep => true;

        public int StepsPerEpoch => 1;

        public Batch TrainBatch(int epoch, int step, Device device) => Generate(new Random(seed * 100_003 + epoch), batchSize);

        public IEnumerable<Batch> TestBatches(Device device)
        {
            yield return Generate(new Random(-seed), 500);
        }

        private Batch Generate(Random random, int count)
        {
            var values = new float[count * timesteps];
            var labels = new float[count * timesteps];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = (float)random.NextDouble();
            }

            for (var i = 0; i < count; i++)
            {
                for (var t = 0; t < timesteps - 1; t++)
                {
                    labels[i * timesteps + t] = values[i * timesteps + t + 1] > 0.5f ? 1f : 0f;
                }
            }

            return new Batch(tensor(values, [count, timesteps, 1]), tensor(labels, [count, timesteps]));
        }
    }
}
