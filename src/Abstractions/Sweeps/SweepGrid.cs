using SweepCluster.Experiments;

namespace SweepCluster.Abstractions.Sweeps;

/// <summary>
/// The swept parameters; a single value is a list of one. <see cref="Swept"/> names the parameters the spec
/// listed (as written in the spec), which become columns of results.csv. For random search a numeric
/// parameter may have a <see cref="Distribution"/> instead (keyed by its spec name), which then wins over its list.
/// </summary>
[GenerateSerializer, Immutable, Alias("sweep.SweepGrid")]
public sealed record SweepGrid(
    [property: Id(0)] IReadOnlyList<Direction> Directions,
    [property: Id(1)] IReadOnlyList<MergeMode> MergeModes,
    [property: Id(2)] IReadOnlyList<int?> Hidden,
    [property: Id(3)] IReadOnlyList<int> Layers,
    [property: Id(4)] IReadOnlyList<double> LearningRates,
    [property: Id(5)] IReadOnlyList<string> Swept,
    [property: Id(6)] IReadOnlyDictionary<string, Distribution>? Distributions = null);
