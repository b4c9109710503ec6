namespace SweepCluster.Training.Training;

/// <summary>A finished trial: how it ended, its curve, and its held-out score (absent when it diverged or was cancelled).</summary>
public sealed record TrialResult(TrialOutcome Outcome, IReadOnlyList<EpochMetrics> Epochs, EvaluationMetrics? Test)
{
    public EpochMetrics? Last => Epochs.Count == 0 ? null : Epochs[^1];
}
