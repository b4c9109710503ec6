using SweepCluster.Experiments;

namespace SweepCluster.Bench;

/// <summary>A benchmark workload: a trial config, how many optimizer steps to time, and its arithmetic per step.</summary>
public sealed record Workload(string Name, string Description, TrialConfig Config, int Steps, int Repeats)
{
    public static IReadOnlyList<Workload> All(bool quick) =>
    [
        new("W1", "seed loop: bidirectional concat, hidden 20, batch 1",
            new TrialConfig { Task = TaskKind.Cumsum, Direction = Direction.Bidirectional, MergeMode = MergeMode.Concat, Hidden = 20, BatchSize = 1, Epochs = quick ? 50 : 250 },
            Steps: quick ? 50 : 250, Repeats: 3),
        new("W2", "same model at batch 64",
            new TrialConfig { Task = TaskKind.Cumsum, Direction = Direction.Bidirectional, MergeMode = MergeMode.Concat, Hidden = 20, BatchSize = 64, Epochs = quick ? 50 : 500 },
            Steps: quick ? 50 : 500, Repeats: 3),
        new("W3", "CNN-LSTM, 50x50 video, 1000 sequences, batch 32",
            new TrialConfig
            {
                Task = TaskKind.MovingSquare, TaskOptions = new TaskOptions { Size = 50, TrainSize = quick ? 64 : 1000, TestSize = 32 },
                Direction = Direction.Forward, Hidden = 50, BatchSize = 32, Epochs = 1,
            },
            Steps: quick ? 2 : 32, Repeats: 1),
    ];

    /// <summary>
    /// Floating-point operations of one training step, estimated from the layer shapes: the forward pass's
    /// multiply-adds x 2, and backward ~2x forward. Good enough to place a step against the GEMM ceiling.
    /// </summary>
    public double FlopsPerStep()
    {
        var c = Config;
        var batch = c.BatchSizeOrDefault;
        var hidden = c.HiddenOrDefault;
        var directions = c.Direction == Direction.Bidirectional ? 2 : 1;
        double time, input, front = 0;
        if (c.Task == TaskKind.MovingSquare)
        {
            var size = c.TaskOptions.SizeOrDefault;
            var pooled = (size - 1) / 2;
            time = size;
            input = 2 * pooled * pooled;
            front = (size - 1) * (size - 1) * 2 * 4 * 2.0;
        }
        else
        {
            time = c.TaskOptions.TimestepsOrDefault;
            input = 1;
        }

        var lstm = directions * 2.0 * 4 * hidden * (input + hidden);
        var forward = batch * time * (lstm + front);
        return 3 * forward;
    }
}
