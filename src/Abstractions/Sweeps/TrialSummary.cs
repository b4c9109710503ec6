namespace SweepCluster.Abstractions.Sweeps;

/// <summary>
/// Where one trial of a sweep stands, as the sweep's aggregator knows it from the epoch reports.
/// <see cref="Silo"/> is the host:port of the silo it trains (or last trained) on; <see cref="StopReason"/> says why
/// the sweep stopped or skipped it. <see cref="FinalMetric"/> and <see cref="BestMetric"/>: the sweep's metric
/// (<see cref="SweepSpec.Objective"/>) at the end of its curve and at its best.
/// </summary>
[GenerateSerializer, Immutable, Alias("sweep.TrialSummary")]
public sealed record TrialSummary(
    [property: Id(0)] PlannedTrial Trial,
    [property: Id(1)] TrialStatus Status,
    [property: Id(2)] int Epochs,
    [property: Id(3)] double? LastLoss,
    [property: Id(4)] double? BestLoss,
    [property: Id(5)] double? LastAccuracy,
    [property: Id(6)] double? FinalLoss,
    [property: Id(7)] double? TestLoss,
    [property: Id(8)] double? TestAccuracy,
    [property: Id(9)] double Seconds,
    [property: Id(10)] string? Error,
    [property: Id(11)] string? Silo = null,
    [property: Id(12)] string? StopReason = null,
    [property: Id(13)] double? FinalMetric = null,
    [property: Id(14)] double? BestMetric = null);
