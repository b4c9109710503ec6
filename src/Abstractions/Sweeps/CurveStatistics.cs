namespace SweepCluster.Abstractions.Sweeps;

public static class CurveStatistics
{
    /// <summary>
    /// Mean loss of the last tenth of the epochs (1 to 10 of them): the seed loop's one-sequence epochs are too
    /// noisy to rank by the last alone, while a 3-epoch run is best judged by its last epoch.
    /// </summary>
    public static double? FinalLoss(IReadOnlyList<EpochReport> curve) =>
        curve.Count == 0 ? null : curve.TakeLast(Math.Clamp(curve.Count / 10, 1, 10)).Average(e => e.Loss);
}
