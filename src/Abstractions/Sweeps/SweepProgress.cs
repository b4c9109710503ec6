namespace SweepCluster.Abstractions.Sweeps;

/// <summary>
/// A sweep at one moment: every trial's summary, epoch totals and an estimate of the time left. <see cref="EndReason"/>
/// says which budget or target ended the sweep early, if one did; <see cref="Finished"/> when its last trial's end
/// arrived (null while any trial is queued or training).
/// </summary>
[GenerateSerializer, Immutable, Alias("sweep.SweepProgress")]
public sealed record SweepProgress(
    [property: Id(0)] string SweepId,
    [property: Id(1)] string Name,
    [property: Id(2)] IReadOnlyList<TrialSummary> Trials,
    [property: Id(3)] long EpochsDone,
    [property: Id(4)] long EpochsTotal,
    [property: Id(5)] DateTimeOffset Started,
    [property: Id(6)] TimeSpan? EstimatedRemaining,
    [property: Id(7)] string? EndReason = null,
    [property: Id(8)] DateTimeOffset? Finished = null)
{
    /// <summary>
    /// The sweep's finish as the sweep grain decided it, not its trials' statuses: a <c>method: tpe</c> sweep whose trials
    /// have all ended may be about to suggest more.
    /// </summary>
    public bool IsFinished => Finished is not null;

    public int Count(TrialStatus status) => Trials.Count(t => t.Status == status);
}
