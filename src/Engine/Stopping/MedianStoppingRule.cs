using SweepCluster.Abstractions.Sweeps;

namespace SweepCluster.Engine.Stopping;

/// <summary>
/// The median stopping rule (as in Google Vizier and Optuna's MedianPruner): after <see cref="GraceEpochs"/>,
/// a trial whose best loss up to epoch e is worse than the median, over the completed trials, of their best loss
/// up to e is stopped. Nothing is stopped until <see cref="MinCompleted"/> completed trials reached epoch e. "Loss" here
/// is the sweep's <see cref="Metric"/> as a lower-is-better score (the training loss by default).
/// </summary>
public sealed class MedianStoppingRule(int graceEpochs, int minCompleted = 3)
{
    public int GraceEpochs { get; } = graceEpochs;

    public int MinCompleted { get; } = minCompleted;

    /// <summary>The sweep's objective: the values compared are its scores, and the reasons name it.</summary>
    public SweepMetric Metric { get; init; } = SweepMetric.Default;

    /// <param name="trial">The trial's curve so far.</param>
    /// <param name="epoch">The epoch to judge it at (known in <paramref name="trial"/>).</param>
    /// <param name="completed">The curves of the sweep's completed trials.</param>
    public StopDecision? Decide(RunningBest trial, int epoch, IEnumerable<RunningBest> completed) =>
        epoch <= GraceEpochs
            ? null
            : Decide(trial.UpTo(epoch), epoch, [.. completed.Where(c => c.Epochs >= epoch).Select(c => c.UpTo(epoch)).Order()]);

    /// <summary>The same decision from the values the sweep keeps sorted (its ledger's rung index).</summary>
    /// <param name="best">The trial's best loss up to <paramref name="epoch"/>.</param>
    /// <param name="completed">The best loss up to <paramref name="epoch"/> of each completed trial that reached it, ascending.</param>
    public StopDecision? Decide(double best, int epoch, IReadOnlyList<double> completed)
    {
        if (epoch <= GraceEpochs || completed.Count < Math.Max(1, MinCompleted))
        {
            return null;
        }

        var count = completed.Count;
        var median = count % 2 == 1 ? completed[count / 2] : (completed[count / 2 - 1] + completed[count / 2]) / 2;
        return best > median
            ? new StopDecision("median", epoch, $"best {Metric.SpecName} {Metric.Value(best):G4} by epoch {epoch} is worse than the median {Metric.Value(median):G4} of {count} completed trials")
            : null;
    }
}
