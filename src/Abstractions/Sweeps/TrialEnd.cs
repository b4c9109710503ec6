namespace SweepCluster.Abstractions.Sweeps;

/// <summary>
/// How a trial's training ended: <see cref="Epochs"/> is the length of its whole curve (epochs 1..Epochs, all sent on
/// the report path before this end), the held-out scores are set when it completed.
/// </summary>
[GenerateSerializer, Immutable, Alias("sweep.TrialEnd")]
public sealed record TrialEnd(
    [property: Id(0)] TrialStatus Status,
    [property: Id(1)] int Epochs,
    [property: Id(2)] double? TestLoss = null,
    [property: Id(3)] double? TestAccuracy = null,
    [property: Id(4)] string? Error = null);
