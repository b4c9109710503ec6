using SweepCluster.Abstractions.Sweeps;

namespace SweepCluster.Engine;

/// <summary>
/// What <c>method: tpe</c> minimises for one trial, in one place: the sweep's metric (<c>metric</c>; by default the final
/// training loss, the mean of its last losses, as the leaderboard ranks), as a lower-is-better score (negated for a metric
/// to maximise). A trial that failed, diverged or never ran counts as the worst result (NaN); one an early-stopping rule
/// stopped counts with the value it reached.
/// </summary>
public static class TpeObjective
{
    public static double Of(TrialLedger ledger, TrialRecord record)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        ArgumentNullException.ThrowIfNull(record);
        return record.Status is TrialStatus.Failed or TrialStatus.Diverged or TrialStatus.Unschedulable
            ? double.NaN
            : ledger.FinalMetric(record) is { } value ? ledger.Metric.Score(value) : double.NaN;
    }
}
