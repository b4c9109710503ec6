namespace SweepCluster.Engine.Stopping;

/// <summary>
/// The median stopping rule (as in Google Vizier and Optuna's MedianPruner): after <see cref="GraceEpochs"/>,
/// a trial whose best loss up to epoch e is worse than the median, over the completed trials, of their best loss
/// up to e is stopped. Nothing is stopped until <see cref="MinCompleted"/> completed trials reached epoch e.
/// </summary>
public sealed class MedianStoppingRule(int graceEpochs, int minCompleted = 3)
{
    public int GraceEpochs { get; } = graceEpochs;

    public int MinCompleted { get; } = minCompleted;

    /// <param name="trial">The trial's curve so far.</param>
    /// <param name="epoch">The epoch to judge it at (known in <paramref name="trial"/>).</param>
    /// <param name="completed">The curves of the sweep's completed trials.</param>
    public StopDecision? Decide(RunningBest trial, int epoch, IEnumerable<RunningBest> completed)
    {
        if (epoch <= GraceEpochs)
        {
            return null;
        }

        var others = completed.Where(c => c.Epochs >= epoch).Select(c => c.UpTo(epoch)).Order().ToList();
        if (others.Count < Math.Max(1, MinCompleted))
        {
            return null;
        }

        var median = others.Count % 2 == 1 ? others[others.Count / 2] : (others[others.Count / 2 - 1] + others[others.Count / 2]) / 2;
        var best = trial.UpTo(epoch);
        return best > median
            ? new StopDecision("median", epoch, $"best loss {best:G4} by epoch {epoch} is worse than the median {median:G4} of {others.Count} completed trials")
            : null;
    }
}
