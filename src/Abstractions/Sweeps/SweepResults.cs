namespace SweepCluster.Abstractions.Sweeps;

/// <summary>A sweep's progress plus every trial's loss curve (one report per epoch, in order).</summary>
[GenerateSerializer, Immutable, Alias("sweep.SweepResults")]
public sealed record SweepResults(
    [property: Id(0)] SweepProgress Progress,
    [property: Id(1)] IReadOnlyDictionary<string, IReadOnlyList<EpochReport>> Curves,
    [property: Id(2)] string SpecYaml);
