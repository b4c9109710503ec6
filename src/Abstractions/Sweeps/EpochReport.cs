namespace SweepCluster.Abstractions.Sweeps;

/// <summary>
/// One trial's epoch as it travels from the trial to its sweep (and on to tables, CSVs, plots and metrics).
/// <see cref="ValLoss"/> and <see cref="ValAccuracy"/>: the held-out scores, at the epochs the trial validates (else null).
/// </summary>
[GenerateSerializer, Immutable, Alias("sweep.EpochReport")]
public sealed record EpochReport(
    [property: Id(0)] string TrialId,
    [property: Id(1)] int Epoch,
    [property: Id(2)] double Loss,
    [property: Id(3)] double Accuracy,
    [property: Id(4)] double Seconds,
    [property: Id(5)] double? ValLoss = null,
    [property: Id(6)] double? ValAccuracy = null);
