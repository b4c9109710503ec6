namespace SweepCluster.Abstractions.Sweeps;

/// <summary>
/// What a live view of a sweep shows, sized by what fits on a screen rather than by the sweep: counts by status, epoch
/// totals, the leaderboard's top rows, some running trials, and the trials that ended since the
/// <see cref="Version"/> the caller passed back (so a poll asks only for what changed).
/// </summary>
[GenerateSerializer, Immutable, Alias("sweep.SweepOverview")]
public sealed record SweepOverview(
    [property: Id(0)] string SweepId,
    [property: Id(1)] string Name,
    [property: Id(2)] int Trials,
    [property: Id(3)] IReadOnlyDictionary<TrialStatus, int> Counts,
    [property: Id(4)] long EpochsDone,
    [property: Id(5)] long EpochsTotal,
    [property: Id(6)] DateTimeOffset Started,
    [property: Id(7)] TimeSpan? EstimatedRemaining,
    [property: Id(8)] string? EndReason,
    [property: Id(9)] DateTimeOffset? Finished,
    [property: Id(10)] long Version,
    [property: Id(11)] IReadOnlyList<ConfigurationRow> Leaders,
    [property: Id(12)] IReadOnlyList<TrialSummary> Running,
    [property: Id(13)] IReadOnlyList<TrialSummary> Ended,
    [property: Id(14)] int EndedOmitted,
    [property: Id(15)] SweepMetric? Metric = null)
{
    /// <summary>Every trial has finished (completed, stopped, skipped, failed ...).</summary>
    public bool IsFinished => Finished is not null;

    public int Count(TrialStatus status) => Counts.GetValueOrDefault(status);
}
