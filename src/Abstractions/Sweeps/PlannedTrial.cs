using SweepCluster.Experiments;

namespace SweepCluster.Abstractions.Sweeps;

/// <summary>
/// One trial of a sweep: its configuration (including the seed), an id derived from all of it, a variant
/// label (the configuration without the seed) and the swept parameters' values as the spec names them.
/// </summary>
[GenerateSerializer, Immutable, Alias("sweep.PlannedTrial")]
public sealed record PlannedTrial(
    [property: Id(0)] string Id,
    [property: Id(1)] string Variant,
    [property: Id(2)] TrialConfig Config,
    [property: Id(3)] IReadOnlyDictionary<string, string> Parameters);
