namespace SweepCluster.Abstractions.Sweeps;

/// <summary>A page of the registry's sweeps (newest first) and how many there are in all.</summary>
[GenerateSerializer, Immutable, Alias("sweep.SweepPage")]
public sealed record SweepPage([property: Id(0)] IReadOnlyList<SweepListing> Sweeps, [property: Id(1)] int Total);
