namespace SweepCluster.Abstractions.Sweeps;

/// <summary>One trial's epoch as it travels from the trial to its sweep (and on to tables, CSVs, plots and metrics).</summary>
[GenerateSerializer, Immutable, Alias("sweep.EpochReport")]
public sealed record EpochReport(
    [property: Id(0)] string TrialId,
    [property: Id(1)] int Epoch,
    [property: Id(2)] double Loss,
    [property: Id(3)] double Accuracy,
    [property: Id(4)] double Seconds);
