using SweepCluster.Client.Specs;
using SweepCluster.Training.Training;

namespace SweepCluster.Client.Running;

/// <summary>What became of one trial: its curve so far, how it ended, and the error when it failed.</summary>
public sealed record TrialRecord(PlannedTrial Trial, TrialStatus Status, IReadOnlyList<EpochMetrics> Epochs, EvaluationMetrics? Test, string? Error)
{
    /// <summary>
    /// Mean loss of the last tenth of the epochs (1 to 10 of them): the seed loop's one-sequence epochs are too
    /// noisy to rank by the last alone, while a 3-epoch run is best judged by its last epoch.
    /// </summary>
    public double? FinalLoss => Epochs.Count == 0 ? null : Epochs.TakeLast(Math.Clamp(Epochs.Count / 10, 1, 10)).Average(e => e.Loss);
}
