using SweepCluster.Experiments;

namespace SweepCluster.Client.Specs;

/// <summary>The swept parameters of a grid search; a single value is a list of one.</summary>
public sealed record SweepGrid(
    IReadOnlyList<Direction> Directions,
    IReadOnlyList<MergeMode> MergeModes,
    IReadOnlyList<int?> Hidden,
    IReadOnlyList<int> Layers,
    IReadOnlyList<double> LearningRates);
