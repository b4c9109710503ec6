namespace SweepCluster.Abstractions.Sweeps;

/// <summary>The answer to "start this trial": started (or already running), no free slot, or already finished.</summary>
[GenerateSerializer, Immutable, Alias("sweep.TrialStartResult")]
public sealed record TrialStartResult([property: Id(0)] TrialStartOutcome Outcome, [property: Id(1)] TrialEnded? Finished = null);
