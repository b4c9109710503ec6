namespace SweepCluster.Abstractions.Sweeps;

/// <summary>What a trial tells its sweeps over the sweep's stream.</summary>
[GenerateSerializer, Immutable, Alias("sweep.SweepEvent")]
public abstract record SweepEvent([property: Id(0)] string TrialId);
