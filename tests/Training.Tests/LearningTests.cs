using SweepCluster.Experiments;
using SweepCluster.Training.Training;

namespace SweepCluster.Training.Tests;

/// <summary>The seed experiments learn what the tutorials show they learn, at test-sized budgets.</summary>
public sealed class LearningTests
{
    [Fact]
    public void BidirectionalConcatLearnsCumsumInTheSeedLoop()
    {
        // The tutorial's loop: one fresh sequence per step, batch 1.
        var config = Configs.Cumsum(epochs: 3000) with { TaskOptions = new TaskOptions { TestSize = 1000 } };

        var result = Trainer.Run(config);

        Assert.Equal(TrialOutcome.Completed, result.Outcome);
        Assert.True(result.Test!.Accuracy >= 0.9, $"per-timestep test accuracy {result.Test.Accuracy:P1}");
        Assert.True(MeanLoss(result, ^100..) < MeanLoss(result, ..100) / 2, "loss should fall by more than half");
    }

    [Fact]
    public void CnnLstmTellsWhichWayTheLineMoves()
    {
        var config = Configs.MovingSquare(size: 12, trainSize: 400, testSize: 200, epochs: 5);

        var result = Trainer.Run(config);

        Assert.True(result.Test!.Accuracy >= 0.95, $"test accuracy {result.Test.Accuracy:P1}");
    }

    [Fact]
    public void EmbeddingLstmLearnsSentimentOfTheGeneratedCorpus()
    {
        var config = new TrialConfig
        {
            Task = TaskKind.Sentiment,
            TaskOptions = new TaskOptions { Source = SentimentSource.Generated, MaxLen = 120, NumWords = 2000 },
            Direction = Direction.Forward,
            Hidden = 32,
            Epochs = 4,
            BatchSize = 64,
            LearningRate = 3e-3,
            Seed = 1,
        };

        var result = Trainer.Run(config);

        Assert.True(result.Test!.Accuracy >= 0.9, $"test accuracy {result.Test.Accuracy:P1}");
    }

    private static double MeanLoss(TrialResult result, Range range) => result.Epochs.Take(range).Average(e => e.Loss);
}
