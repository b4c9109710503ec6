using System.Diagnostics;
using System.Globalization;
using Spectre.Console;
using SweepCluster.Experiments;
using SweepCluster.Training.Training;

namespace SweepCluster.Bench;

/// <summary>
/// Trains the seed loop (W1) for many steps and samples the process' resident memory: with every step's
/// tensors in a dispose scope it must stay flat, whatever the step count.
/// </summary>
public static class MemoryBenchmark
{
    public static int Run(int steps)
    {
        var config = new TrialConfig { Task = TaskKind.Cumsum, Direction = Direction.Bidirectional, Hidden = 20, BatchSize = 1, Epochs = steps };
        var checkpoints = new[] { 1_000, steps / 10, steps / 2, steps }.Where(s => s >= 1_000).Distinct().Order().ToList();
        var table = new Table().RoundedBorder()
            .AddColumn(new TableColumn("steps").RightAligned())
            .AddColumn(new TableColumn("resident MB").RightAligned())
            .AddColumn(new TableColumn("vs first sample").RightAligned())
            .AddColumn(new TableColumn("ms/step so far").RightAligned());
        double? first = null;
        var clock = Stopwatch.StartNew();
        using (var session = TrainingSession.Start(config))
        {
            AnsiConsole.Progress().Start(context =>
            {
                var bar = context.AddTask($"W1 x {steps:N0} steps", maxValue: steps);
                while (!session.IsFinished)
                {
                    session.RunEpoch();
                    bar.Increment(1);
                    if (!checkpoints.Contains(session.CompletedEpochs))
                    {
                        continue;
                    }

                    GC.Collect();
                    GC.WaitForPendingFinalizers();
                    var resident = Process.GetCurrentProcess().WorkingSet64 / 1e6;
                    first ??= resident;
                    table.AddRow(
                        session.CompletedEpochs.ToString("N0", CultureInfo.InvariantCulture),
                        resident.ToString("F1", CultureInfo.InvariantCulture),
                        (resident / first.Value).ToString("F3", CultureInfo.InvariantCulture) + "x",
                        (clock.Elapsed.TotalMilliseconds / session.CompletedEpochs).ToString("F3", CultureInfo.InvariantCulture));
                }
            });
        }

        AnsiConsole.Write(table);
        return 0;
    }
}
