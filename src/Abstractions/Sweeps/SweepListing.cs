namespace SweepCluster.Abstractions.Sweeps;

/// <summary>
/// One row of <c>sweep list</c>, kept by the registry so listing never activates a sweep. <see cref="Leaders"/> are the
/// top rows of the sweep's own leaderboard (at most SweepOverviews.LeadersListed), sent with the sweep's updates for the
/// registry's silo to export to Prometheus (a finished sweep's leaderboard stays on the dashboard); the registry stores
/// them beside the sweep, so its own rows and list pages carry none (null).
/// </summary>
[GenerateSerializer, Immutable, Alias("sweep.SweepListing")]
public sealed record SweepListing(
    [property: Id(0)] string SweepId,
    [property: Id(1)] string Name,
    [property: Id(2)] DateTimeOffset Started,
    [property: Id(3)] DateTimeOffset? Finished,
    [property: Id(4)] int Trials,
    [property: Id(5)] IReadOnlyDictionary<TrialStatus, int> Counts,
    [property: Id(6)] long EpochsDone,
    [property: Id(7)] long EpochsTotal,
    [property: Id(8)] IReadOnlyList<ConfigurationRow>? Leaders = null,
    [property: Id(9)] SweepMetric? Metric = null)
{
    public int Count(TrialStatus status) => Counts.GetValueOrDefault(status);
}
