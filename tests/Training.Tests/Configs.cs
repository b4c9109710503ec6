using SweepCluster.Experiments;

namespace SweepCluster.Training.Tests;

/// <summary>Small, fast configurations of the seed experiments for tests.</summary>
internal static class Configs
{
    public static TrialConfig Cumsum(Direction direction = Direction.Bidirectional, MergeMode merge = MergeMode.Concat, int epochs = 50, int seed = 1) => new()
    {
        Task = TaskKind.Cumsum,
        Direction = direction,
        MergeMode = merge,
        Epochs = epochs,
        Seed = seed,
    };

    public static TrialConfig MovingSquare(int size = 10, int trainSize = 300, int testSize = 100, int epochs = 3, int seed = 1) => new()
    {
        Task = TaskKind.MovingSquare,
        TaskOptions = new TaskOptions { Size = size, TrainSize = trainSize, TestSize = testSize },
        Direction = Direction.Forward,
        Hidden = 20,
        Epochs = epochs,
        BatchSize = 16,
        Seed = seed,
    };

    public static IEnumerable<object[]> AllVariants() =>
        from direction in Enum.GetValues<Direction>()
        from merge in direction == Direction.Bidirectional ? Enum.GetValues<MergeMode>() : [MergeMode.Concat]
        select new object[] { direction, merge };
}
