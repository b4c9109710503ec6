using SweepCluster.Training.Training;

namespace SweepCluster.Training.Tests;

public sealed class ResumedCurveTests
{
    [Fact]
    public void AResumedTrialHandsItsRestoredCurveOverBeforeItsNextEpoch()
    {
        var directory = Directory.CreateTempSubdirectory("sweep-ckpt-");
        try
        {
            var config = Configs.Cumsum(epochs: 12, seed: 3);
            using var suspend = new CancellationTokenSource();
            var events = new List<string>();
            var options = new TrainerOptions
            {
                Checkpoints = new DirectoryCheckpointStore(directory.FullName),
                CheckpointKey = "t1",
                CheckpointEvery = 4,
                Suspend = suspend.Token,
                OnResumed = history => events.Add($"resumed {string.Join(",", history.Select(e => e.Epoch))}"),
                OnEpoch = e =>
                {
                    events.Add($"epoch {e.Epoch}");
                    if (e.Epoch == 5)
                    {
                        suspend.Cancel();
                    }
                },
            };

            var suspended = Trainer.Run(config, options);
            events.Add("--");
            var finished = Trainer.Run(config, options with { Suspend = default });

            Assert.Equal(TrialOutcome.Suspended, suspended.Outcome);
            Assert.Equal(
                ["epoch 1", "epoch 2", "epoch 3", "epoch 4", "epoch 5", "--", "resumed 1,2,3,4,5", "epoch 6", "epoch 7", "epoch 8", "epoch 9", "epoch 10", "epoch 11", "epoch 12"],
                events);
            Assert.Equal(suspended.Epochs.Select(e => e.Loss), finished.Epochs.Take(5).Select(e => e.Loss));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
