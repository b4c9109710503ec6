using SweepCluster.Experiments;
using SweepCluster.Training.Training;

namespace SweepCluster.Training.Tests;

public sealed class DeterminismAndResumeTests
{
    [Theory]
    [MemberData(nameof(Configs.AllVariants), MemberType = typeof(Configs))]
    public void SameSeedGivesTheSameLossCurve(Direction direction, MergeMode merge)
    {
        var config = Configs.Cumsum(direction, merge, epochs: 40, seed: 7);

        Assert.Equal(Losses(Trainer.Run(config)), Losses(Trainer.Run(config)));
    }

    [Fact]
    public void DifferentSeedsGiveDifferentCurves()
    {
        Assert.NotEqual(Losses(Trainer.Run(Configs.Cumsum(seed: 1))), Losses(Trainer.Run(Configs.Cumsum(seed: 2))));
    }

    [Theory]
    [InlineData(TaskKind.Cumsum)]
    [InlineData(TaskKind.MovingSquare)]
    public void ResumingFromACheckpointContinuesTheUninterruptedCurve(TaskKind task)
    {
        var config = task == TaskKind.Cumsum ? Configs.Cumsum(epochs: 30, seed: 5) : Configs.MovingSquare(size: 8, trainSize: 64, epochs: 6, seed: 5);
        var uninterrupted = Trainer.Run(config);

        var (resumedAt, curve, test) = CheckpointRoundTrip.Train(config, checkpointAfter: config.Epochs / 2);

        Assert.Equal(config.Epochs / 2, resumedAt);
        Assert.Equal(Losses(uninterrupted), curve.Select(e => e.Loss));
        Assert.Equal(uninterrupted.Epochs.Select(e => e.Accuracy), curve.Select(e => e.Accuracy));
        Assert.Equal(uninterrupted.Test, test);
    }

    [Fact]
    public void TrainerResumesFromItsCheckpointStore()
    {
        var directory = Directory.CreateTempSubdirectory("sweep-ckpt-");
        try
        {
            var store = new DirectoryCheckpointStore(directory.FullName);
            var config = Configs.Cumsum(epochs: 20, seed: 9);
            using var stopAfter12 = new CancellationTokenSource();
            var options = new TrainerOptions
            {
                Checkpoints = store,
                CheckpointKey = "t1",
                CheckpointEvery = 4,
                OnEpoch = e =>
                {
                    if (e.Epoch == 14)
                    {
                        stopAfter12.Cancel();
                    }
                },
            };

            var interrupted = Trainer.Run(config, options, stopAfter12.Token);
            var finished = Trainer.Run(config, options with { OnEpoch = null });

            Assert.Equal(TrialOutcome.Cancelled, interrupted.Outcome);
            Assert.Equal(TrialOutcome.Completed, finished.Outcome);
            Assert.Equal(Losses(Trainer.Run(config)), Losses(finished));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public void ASuspendedTrialCheckpointsItsLastEpochAndResumesWithoutRedoingIt()
    {
        var directory = Directory.CreateTempSubdirectory("sweep-ckpt-");
        try
        {
            var store = new DirectoryCheckpointStore(directory.FullName);
            var config = Configs.Cumsum(epochs: 20, seed: 5);
            using var suspend = new CancellationTokenSource();
            var options = new TrainerOptions
            {
                Checkpoints = store,
                CheckpointKey = "t1",
                CheckpointEvery = 8,
                MinCheckpointInterval = TimeSpan.FromHours(1), // only the suspension itself may checkpoint
                Suspend = suspend.Token,
                OnEpoch = e =>
                {
                    if (e.Epoch == 11)
                    {
                        suspend.Cancel();
                    }
                },
            };

            var suspended = Trainer.Run(config, options);
            var resumedEpochs = new List<int>();
            var finished = Trainer.Run(config, options with { Suspend = default, OnEpoch = e => resumedEpochs.Add(e.Epoch) });

            Assert.Equal(TrialOutcome.Suspended, suspended.Outcome);
            Assert.Equal(11, suspended.Epochs.Count);
            Assert.Equal(Enumerable.Range(12, 9), resumedEpochs);
            Assert.Equal(Losses(Trainer.Run(config)), Losses(finished));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public void ACheckpointOfAnotherConfigurationIsRefused()
    {
        using var checkpoint = new MemoryStream();
        using (var session = TrainingSession.Start(Configs.Cumsum(merge: MergeMode.Sum)))
        {
            session.RunEpoch();
            session.SaveCheckpoint(checkpoint);
        }

        checkpoint.Position = 0;
        var error = Assert.Throws<InvalidDataException>(() => TrainingSession.Resume(Configs.Cumsum(merge: MergeMode.Mul), checkpoint));
        Assert.Contains("another trial configuration", error.Message);
    }

    private static IEnumerable<double> Losses(TrialResult result) => result.Epochs.Select(e => e.Loss);
}
