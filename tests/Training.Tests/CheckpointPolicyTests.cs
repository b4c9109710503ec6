using SweepCluster.Training.Training;

namespace SweepCluster.Training.Tests;

public sealed class CheckpointPolicyTests
{
    [Fact]
    public void CheckpointsFollowTheEpochIntervalAndTheLastEpochIsAlwaysSaved()
    {
        var store = new CountingStore();

        Trainer.Run(Configs.Cumsum(epochs: 10), new TrainerOptions { Checkpoints = store, CheckpointEvery = 3, Evaluate = false });

        Assert.Equal([3, 6, 9, 10], store.SavedAtEpoch);
    }

    [Fact]
    public void AMinimumIntervalSkipsDueCheckpointsButNeverTheLastOne()
    {
        var store = new CountingStore();

        Trainer.Run(Configs.Cumsum(epochs: 10), new TrainerOptions
        {
            Checkpoints = store, CheckpointEvery = 1, MinCheckpointInterval = TimeSpan.FromHours(1), Evaluate = false,
        });

        Assert.Equal([10], store.SavedAtEpoch);
    }

    /// <summary>Records the epoch count of every checkpoint written (the session's curve length is in the checkpoint).</summary>
    private sealed class CountingStore : ICheckpointStore
    {
        public List<int> SavedAtEpoch { get; } = [];

        public Stream? OpenRead(string trialKey) => null;

        public void Write(string trialKey, Action<Stream> write)
        {
            using var buffer = new MemoryStream();
            write(buffer);
            buffer.Position = 0;
            using var session = TrainingSession.Resume(Configs.Cumsum(epochs: 10), buffer);
            SavedAtEpoch.Add(session.CompletedEpochs);
        }

        public void Delete(string trialKey)
        {
        }
    }
}
