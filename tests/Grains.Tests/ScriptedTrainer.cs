using System.Diagnostics;
using SweepCluster.Experiments;
using SweepCluster.Grains.Trials;
using SweepCluster.Training.Training;

namespace SweepCluster.Grains.Tests;

/// <summary>
/// Stands in for the training core where a test must know every curve in advance (which trial a rule should stop,
/// and where): a trial's loss falls from 1 towards a floor equal to its learning rate, <c>floor + (1 - floor) / epoch</c>,
/// one epoch every <see cref="EpochTime"/>. Everything around it (worker, slots, outbox, trial and sweep grains) is real.
/// </summary>
public sealed class ScriptedTrainer : ITrialTrainer
{
    public static readonly TimeSpan EpochTime = TimeSpan.FromMilliseconds(2);

    /// <summary>One epoch's time, spent waiting; false as soon as <paramref name="cancellationToken"/> is cancelled.</summary>
    public static bool SpendEpoch(CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(started) < EpochTime)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                return false;
            }

            Thread.Sleep(1);
        }

        return true;
    }

    public static double Loss(double floor, int epoch) => floor + (1 - floor) / epoch;

    public TrialResult Train(TrialConfig config, TrainerOptions options, CancellationToken cancellationToken)
    {
        var epochs = new List<EpochMetrics>();
        for (var epoch = 1; epoch <= config.Epochs; epoch++)
        {
            if (!ScriptedTrainer.SpendEpoch(cancellationToken))
            {
                return new TrialResult(TrialOutcome.Cancelled, epochs, null);
            }

            var metrics = new EpochMetrics(epoch, Loss(config.LearningRate, epoch), 1 - config.LearningRate, EpochTime.TotalSeconds) { Samples = 1 };
            epochs.Add(metrics);
            options.OnEpoch?.Invoke(metrics);
        }

        return new TrialResult(TrialOutcome.Completed, epochs, null);
    }
}
