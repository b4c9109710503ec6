using SweepCluster.Abstractions.Sweeps;

namespace SweepCluster.Engine;

/// <summary>
/// What <c>method: tpe</c> minimises for one trial, in one place: today the trial's final training loss (the mean of its
/// last losses, as the leaderboard ranks). A trial that failed, diverged or never ran counts as the worst result (NaN);
/// one an early-stopping rule stopped counts with the loss it reached. To drive TPE by another metric, return it here
/// (negated for a metric to maximise).
/// </summary>
public static class TpeObjective
{
    public static double Of(TrialRecord record) =>
        record.Status is TrialStatus.Failed or TrialStatus.Diverged or TrialStatus.Unschedulable
            ? double.NaN
            : record.FinalLoss ?? double.NaN;
}
