using SweepCluster.Experiments;
using SweepCluster.Training.Packing;
using SweepCluster.Training.Training;

namespace SweepCluster.Training.Tests;

/// <summary>Validation during training (<c>validate_every</c>): held-out scores at the cadence that leave training untouched.</summary>
public sealed class ValidationTests
{
    public static TheoryData<TaskKind> Tasks => new() { TaskKind.Cumsum, TaskKind.MovingSquare, TaskKind.Sentiment };

    [Theory]
    [MemberData(nameof(Tasks))]
    public void ValidatingLeavesTheTrainingCurveBitIdentical(TaskKind task)
    {
        var config = Config(task);
        var plain = Trainer.Run(config);
        var validated = Trainer.Run(config with { ValidateEvery = 2 });

        // Bit for bit: the same losses and accuracies, every epoch.
        Assert.Equal(plain.Epochs.Select(e => BitConverter.DoubleToInt64Bits(e.Loss)), validated.Epochs.Select(e => BitConverter.DoubleToInt64Bits(e.Loss)));
        Assert.Equal(plain.Epochs.Select(e => e.Accuracy), validated.Epochs.Select(e => e.Accuracy));
        Assert.All(plain.Epochs, e => Assert.Null(e.ValLoss));

        // Scored every 2 epochs and at the last; the last scores are the end-of-trial test scores (the same held-out set).
        var expected = Enumerable.Range(1, config.Epochs).Where(e => e % 2 == 0 || e == config.Epochs);
        Assert.Equal(expected, validated.Epochs.Where(e => e.ValLoss is not null).Select(e => e.Epoch));
        Assert.All(validated.Epochs, e => Assert.Equal(e.ValLoss is null, e.ValAccuracy is null));
        Assert.Equal(validated.Test!.Loss, validated.Epochs[^1].ValLoss);
        Assert.Equal(validated.Test.Accuracy, validated.Epochs[^1].ValAccuracy);
        Assert.Equal(plain.Test, validated.Test);
    }

    [Fact]
    public void AResumedTrialKeepsTheValidationScoresOfItsCheckpoint()
    {
        var config = Config(TaskKind.Cumsum) with { ValidateEvery = 3 };
        var uninterrupted = Trainer.Run(config);
        var (_, curve, _) = CheckpointRoundTrip.Train(config, checkpointAfter: 7);

        Assert.Equal(uninterrupted.Epochs.Select(e => e.ValLoss), curve.Select(e => e.ValLoss));
        Assert.Equal(uninterrupted.Epochs.Select(e => e.ValAccuracy), curve.Select(e => e.ValAccuracy));
        Assert.NotNull(curve[5].ValLoss); // epoch 6, before the checkpoint
    }

    [Fact]
    public void ACheckpointOfATrialThatDidNotValidateResumesWithValidation()
    {
        var config = Config(TaskKind.Cumsum);
        using var checkpoint = new MemoryStream();
        using (var first = TrainingSession.Start(config))
        {
            first.RunEpoch();
            first.SaveCheckpoint(checkpoint);
        }

        checkpoint.Position = 0;
        using var resumed = TrainingSession.Resume(config with { ValidateEvery = 1 }, checkpoint);
        Assert.Null(resumed.History[0].ValLoss);
        Assert.NotNull(resumed.RunEpoch().ValLoss);
    }

    [Fact]
    public void ACheckpointWrittenBeforeValidationExistedStillResumes()
    {
        var config = Config(TaskKind.Cumsum);
        var uninterrupted = Trainer.Run(config, new TrainerOptions { Evaluate = false });
        using var current = new MemoryStream();
        using (var first = TrainingSession.Start(config))
        {
            for (var i = 0; i < 5; i++)
            {
                first.RunEpoch();
            }

            first.SaveCheckpoint(current);
        }

        // The v1 layout: the same but for the magic and the two validation scores of each epoch (and an older
        // fingerprint, not recomputed: an Adam trial's checkpoint of an earlier build resumes).
        current.Position = 0;
        using var reader = new BinaryReader(current);
        using var v1 = new MemoryStream();
        using (var writer = new BinaryWriter(v1, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            Assert.Equal("SweepCluster.Checkpoint.v3", reader.ReadString());
            writer.Write("SweepCluster.Checkpoint.v1");
            reader.ReadString();
            writer.Write("TrialConfig { Task = Cumsum, ... }");
            var epochs = reader.ReadInt32();
            writer.Write(epochs);
            for (var i = 0; i < epochs; i++)
            {
                writer.Write(reader.ReadInt32());
                writer.Write(reader.ReadDouble());
                writer.Write(reader.ReadDouble());
                writer.Write(reader.ReadDouble());
                Assert.True(double.IsNaN(reader.ReadDouble()) && double.IsNaN(reader.ReadDouble()), "an epoch not validated stores NaN scores");
            }

            writer.Write(reader.ReadBytes((int)(current.Length - current.Position)));
        }

        v1.Position = 0;
        using var resumed = TrainingSession.Resume(config, v1);
        while (!resumed.IsFinished)
        {
            resumed.RunEpoch();
        }

        Assert.Equal(uninterrupted.Epochs.Select(e => e.Loss), resumed.History.Select(e => e.Loss));
    }

    [Fact]
    public void EachPackedTrialValidatesAsItDoesAlone()
    {
        // Different cadences in one pack: each member validates at its own.
        TrialConfig[] configs =
        [
            Config(TaskKind.Cumsum) with { Seed = 0, ValidateEvery = 4, Direction = Direction.Forward },
            Config(TaskKind.Cumsum) with { Seed = 1, ValidateEvery = 5, Direction = Direction.Backward, LearningRate = 3e-3 },
            Config(TaskKind.Cumsum) with { Seed = 2, Direction = Direction.Forward },
        ];
        var alone = configs.Select(c => Trainer.Run(c, new TrainerOptions { Evaluate = false }).Epochs).ToList();
        var packed = configs.Select(_ => new List<EpochMetrics>()).ToList();
        new PackTrainer([.. configs.Select((c, k) => new PackedTrial(c, $"t{k}", 0, CancellationToken.None, CancellationToken.None, () => false))], null)
        {
            OnEpoch = (k, epoch) => packed[k].Add(epoch),
            OnFailed = (_, e) => throw new InvalidOperationException("the pack failed", e),
        }.Run();

        for (var k = 0; k < configs.Length; k++)
        {
            Assert.Equal(alone[k].Where(e => e.ValLoss is not null).Select(e => e.Epoch), packed[k].Where(e => e.ValLoss is not null).Select(e => e.Epoch));
            foreach (var (a, p) in alone[k].Zip(packed[k]).Where(pair => pair.First.ValLoss is not null))
            {
                Assert.True(Math.Abs(a.ValLoss!.Value - p.ValLoss!.Value) < 1e-5, $"trial {k} epoch {a.Epoch}: val loss {p.ValLoss:G9} packed, {a.ValLoss:G9} alone");
                Assert.True(Math.Abs(a.ValAccuracy!.Value - p.ValAccuracy!.Value) < 1e-5, $"trial {k} epoch {a.Epoch}: val acc {p.ValAccuracy} packed, {a.ValAccuracy} alone");
            }
        }

        Assert.Equal([4, 8, 12, 16, 20, 24], packed[0].Where(e => e.ValLoss is not null).Select(e => e.Epoch));
        Assert.Equal([5, 10, 15, 20, 24], packed[1].Where(e => e.ValLoss is not null).Select(e => e.Epoch));
        Assert.DoesNotContain(packed[2], e => e.ValLoss is not null);
    }

    [Fact]
    public void AValidationCadenceOutsideTheTrialIsRefusedByName()
    {
        Assert.Contains((Config(TaskKind.Cumsum) with { ValidateEvery = 0 }).Validate(), e => e.Field == "validate_every");
        Assert.Contains((Config(TaskKind.Cumsum) with { ValidateEvery = 25 }).Validate(), e => e.Field == "validate_every");
        Assert.Empty((Config(TaskKind.Cumsum) with { ValidateEvery = 24 }).Validate());
    }

    private static TrialConfig Config(TaskKind task) => task switch
    {
        TaskKind.Cumsum => Configs.Cumsum(direction: Direction.Bidirectional, epochs: 24, seed: 3),
        TaskKind.MovingSquare => Configs.MovingSquare(size: 8, trainSize: 64, epochs: 5, seed: 3),
        _ => new TrialConfig
        {
            Task = TaskKind.Sentiment,
            TaskOptions = new TaskOptions { Source = SentimentSource.Generated, MaxLen = 40, NumWords = 500, TrainSize = 256, TestSize = 128 },
            Direction = Direction.Forward, Hidden = 8, Epochs = 5, BatchSize = 32, Seed = 3,
        },
    };
}
