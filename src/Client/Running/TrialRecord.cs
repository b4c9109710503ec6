using SweepCluster.Client.Specs;
using SweepCluster.Training.Training;

namespace SweepCluster.Client.Running;

/// <summary>What became of one trial: its curve so far, how it ended, and the error when it failed.</summary>
public sealed record TrialRecord(PlannedTrial Trial, TrialStatus Status, IReadOnlyList<EpochMetrics> Epochs, EvaluationMetrics? Test, string? Error)
{
    /// <summary>Mean loss of the last (up to) 10 epochs: single-sequence epochs are too noisy to rank by the last one alone.</summary>
    public double? FinalLoss => Epochs.Count == 0 ? null : Epochs.TakeLast(10).Average(e => e.Loss);
}
