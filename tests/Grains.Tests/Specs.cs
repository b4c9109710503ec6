using SweepCluster.Abstractions.Sweeps;
using SweepCluster.Experiments;

namespace SweepCluster.Grains.Tests;

internal static class Specs
{
    public static SweepSpec Cumsum(
        string name, int epochs, int repeats = 1, Direction[]? directions = null, MergeMode[]? merges = null,
        double[]? learningRates = null, DeviceKind device = DeviceKind.Cpu, int seed = 0) =>
        new(
            name, TaskKind.Cumsum, TaskOptions.Default,
            new SweepGrid(
                directions ?? [Direction.Forward, Direction.Backward, Direction.Bidirectional],
                merges ?? [MergeMode.Concat, MergeMode.Sum, MergeMode.Mul, MergeMode.Ave],
                [null], [1], learningRates ?? [1e-3], ["direction", "merge_mode"]),
            repeats, epochs, BatchSize: null, device, seed, CheckpointEvery: 10);
}
