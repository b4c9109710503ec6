namespace SweepCluster.Grains.Sweeps.Stopping;

/// <summary>
/// The median stopping rule (as in Google Vizier and Optuna's MedianPruner): after <see cref="GraceEpochs"/>,
/// a trial whose best loss up to epoch e is worse than the median, over the completed trials, of their best loss
/// up to e is stopped. Nothing is stopped until <see cref="MinCompleted"/> trials have completed.
/// </summary>
public sealed class MedianStoppingRule(int graceEpochs, int minCompleted = 3)
{
    public int GraceEpochs { get; } = graceEpochs;

    public int MinCompleted { get; } = minCompleted;

    /// <param name="curve">The trial's losses so far, epoch 1 first.</param>
    /// <param name="completed">The losses of every completed trial, epoch 1 first.</param>
    public StopDecision? Decide(IReadOnlyList<double> curve, IReadOnlyCollection<IReadOnlyList<double>> completed)
    {
        var epoch = curve.Count;
        if (epoch <= GraceEpochs || completed.Count < MinCompleted)
        {
            return null;
        }

        var others = completed.Where(c => c.Count >= epoch).Select(c => BestUpTo(c, epoch)).Order().ToList();
        if (others.Count < MinCompleted)
        {
            return null;
        }

        var median = others.Count % 2 == 1 ? others[others.Count / 2] : (others[others.Count / 2 - 1] + others[others.Count / 2]) / 2;
        var best = BestUpTo(curve, epoch);
        return best > median
            ? new StopDecision("median", epoch, $"best loss {best:G4} by epoch {epoch} is worse than the median {median:G4} of {others.Count} completed trials")
            : null;
    }

    private static double BestUpTo(IReadOnlyList<double> curve, int epoch) => curve.Take(epoch).Where(double.IsFinite).DefaultIfEmpty(double.PositiveInfinity).Min();
}
