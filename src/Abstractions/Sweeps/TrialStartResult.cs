namespace SweepCluster.Abstractions.Sweeps;

/// <summary>
/// What became of a start request; <paramref name="Silo"/> is where the trial trains (parsable Orleans address).
/// <paramref name="Finished"/>: it had already ended (its curve is in the curve store, under its id).
/// </summary>
[GenerateSerializer, Immutable, Alias("sweep.TrialStartResult")]
public sealed record TrialStartResult(
    [property: Id(0)] TrialStartOutcome Outcome,
    [property: Id(1)] TrialEnd? Finished = null,
    [property: Id(2)] string? Silo = null);
