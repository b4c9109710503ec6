namespace SweepCluster.Abstractions.Sweeps;

/// <summary>What became of a start request; <paramref name="Silo"/> is where the trial trains (parsable Orleans address).</summary>
[GenerateSerializer, Immutable, Alias("sweep.TrialStartResult")]
public sealed record TrialStartResult(
    [property: Id(0)] TrialStartOutcome Outcome,
    [property: Id(1)] TrialEnded? Finished = null,
    [property: Id(2)] string? Silo = null);
