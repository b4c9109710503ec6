using SweepCluster.Experiments;

namespace SweepCluster.Client.Specs;

/// <summary>
/// A parsed, validated sweep spec: fixed settings plus the grid of swept values. Every list in
/// <see cref="Grid"/> is non-empty; <c>merge_mode</c> only ever applies to bidirectional trials.
/// </summary>
public sealed record SweepSpec(
    string Name,
    TaskKind Task,
    TaskOptions TaskOptions,
    SweepGrid Grid,
    int Repeats,
    int Epochs,
    int? BatchSize,
    DeviceKind Device,
    int Seed,
    int CheckpointEvery);
