using SweepCluster.Training.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace SweepCluster.Training.Tests;

public sealed class TrainerBehaviourTests
{
    [Fact]
    public void CancellationStopsBetweenStepsAndReportsCancelled()
    {
        using var cancel = new CancellationTokenSource();
        var config = Configs.MovingSquare(size: 8, trainSize: 160, epochs: 50);

        var result = Trainer.Run(config, new TrainerOptions { OnEpoch = e => { if (e.Epoch == 3) cancel.Cancel(); } }, cancel.Token);

        Assert.Equal(TrialOutcome.Cancelled, result.Outcome);
        Assert.Equal(3, result.Epochs.Count);
        Assert.Null(result.Test);
    }

    [Fact]
    public void ANonFiniteLossStopsTheTrialAsDiverged()
    {
        var config = Configs.Cumsum(epochs: 200) with { LearningRate = 1e38 };

        var result = Trainer.Run(config);

        Assert.Equal(TrialOutcome.Diverged, result.Outcome);
        Assert.True(result.Epochs.Count < 200);
        Assert.False(double.IsFinite(result.Epochs[^1].Loss));
    }

    [Fact]
    public void LiveTensorCountStaysFlatOverThousandsOfSteps()
    {
        // Every step's tensors belong to a dispose scope: after warm-up, training more steps must not
        // leave a single extra tensor alive (100k steps would otherwise hold 100k+ native buffers).
        var config = Configs.Cumsum(epochs: 2100);
        using var session = TrainingSession.Start(config);
        for (var i = 0; i < 100; i++)
        {
            session.RunEpoch();
        }

        var afterWarmUp = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        for (var i = 0; i < 2000; i++)
        {
            session.RunEpoch();
        }

        Assert.Equal(afterWarmUp, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
        using var _ = NewDisposeScope();
        Assert.True(session.Evaluate().Examples > 0);
    }
}
