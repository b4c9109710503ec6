namespace SweepCluster.Abstractions.Sweeps;

/// <summary>
/// Limits on what a sweep may spend. <see cref="MaxTrials"/>: only the first N trials of the expansion run (the rest
/// are skipped). <see cref="MaxEpochsTotal"/> (epochs trained by all trials together) and <see cref="TimeLimit"/>
/// (from submission): when reached, running trials are stopped and queued ones skipped.
/// </summary>
[GenerateSerializer, Immutable, Alias("sweep.SweepBudget")]
public sealed record SweepBudget(
    [property: Id(0)] int? MaxTrials = null,
    [property: Id(1)] long? MaxEpochsTotal = null,
    [property: Id(2)] TimeSpan? TimeLimit = null);
