using System.Globalization;
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
            Grid(directions ?? [Direction.Forward, Direction.Backward, Direction.Bidirectional], merges ?? [MergeMode.Concat, MergeMode.Sum, MergeMode.Mul, MergeMode.Ave], learningRates),
            repeats, epochs, BatchSize: null, device, seed, CheckpointEvery: 10);

    /// <summary>Directions and (for bidirectional trials) merge modes swept, and learning rates when given.</summary>
    private static SweepGrid Grid(Direction[] directions, MergeMode[] merges, double[]? learningRates) => new(
    [
        new SweptParameter("direction", [.. directions.Select(Names.Of)]),
        .. directions.Contains(Direction.Bidirectional) ? new[] { new SweptParameter("merge_mode", [.. merges.Select(Names.Of)]) } : [],
        .. learningRates is null ? [] : new[] { new SweptParameter("learning_rate", [.. learningRates.Select(r => r.ToString("R", CultureInfo.InvariantCulture))]) },
    ]);
}
