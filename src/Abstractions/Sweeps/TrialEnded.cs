namespace SweepCluster.Abstractions.Sweeps;

/// <summary>
/// A trial finished (completed, diverged, failed or cancelled). Carries its whole curve, so a sweep that
/// missed reports (it joined late, or the trial resumed from a checkpoint) still ends up with every epoch.
/// </summary>
[GenerateSerializer, Immutable, Alias("sweep.TrialEnded")]
public sealed record TrialEnded(
    string TrialId,
    [property: Id(0)] TrialStatus Status,
    [property: Id(1)] IReadOnlyList<EpochReport> Curve,
    [property: Id(2)] double? TestLoss,
    [property: Id(3)] double? TestAccuracy,
    [property: Id(4)] string? Error) : SweepEvent(TrialId);
