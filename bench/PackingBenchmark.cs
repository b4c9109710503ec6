using System.Diagnostics;
using System.Globalization;
using Spectre.Console;
using SweepCluster.Experiments;
using SweepCluster.Training.Packing;
using SweepCluster.Training.Training;
using static SweepCluster.Bench.Stats;

namespace SweepCluster.Bench;

/// <summary>
/// What trial packing buys on the tutorial's seed loop (bidirectional concat, hidden 20, batch 1): K trials
/// trained one after another by the training core vs packed into one <see cref="PackedSession"/>, on one thread,
/// in one run. Reports ms per trial-epoch and the speed-up for each pack size.
/// </summary>
public static class PackingBenchmark
{
    public static int Run(bool quick)
    {
        TorchSharp.torch.set_num_threads(1);
        var epochs = quick ? 20 : 100;
        int[] packSizes = quick ? [1, 8] : [1, 2, 3, 4, 8, 16, 48];
        var table = new Table().RoundedBorder().AddColumn(new TableColumn("trials").RightAligned())
            .AddColumn(new TableColumn("one by one ms/trial-epoch").RightAligned())
            .AddColumn(new TableColumn("packed ms/trial-epoch").RightAligned())
            .AddColumn(new TableColumn("speed-up").RightAligned());
        List<TrialConfig> Seeds(int k) => [.. Enumerable.Range(0, k).Select(seed => new TrialConfig
        {
            Task = TaskKind.Cumsum, Direction = Direction.Bidirectional, MergeMode = MergeMode.Concat, Hidden = 20, BatchSize = 1,
            Epochs = epochs, Seed = seed,
        })];

        // Untimed first, for two seconds: the JIT promotes hot code to optimised code only after a delay, and whichever
        // size ran first would pay for the unoptimised passes.
        var warmUp = System.Diagnostics.Stopwatch.StartNew();
        while (warmUp.Elapsed < TimeSpan.FromSeconds(2))
        {
            OneByOne(Seeds(1));
            Packed(Seeds(2), epochs);
        }
        foreach (var k in packSizes)
        {
            var configs = Seeds(k);
            var alone = Median(Enumerable.Range(0, 3).Select(_ => OneByOne(configs)));
            var packed = Median(Enumerable.Range(0, 3).Select(_ => Packed(configs, epochs)));
            var perTrialEpoch = (double)k * epochs;
            table.AddRow(
                k.ToString(CultureInfo.InvariantCulture), (alone / perTrialEpoch).ToString("F3", CultureInfo.InvariantCulture),
                (packed / perTrialEpoch).ToString("F3", CultureInfo.InvariantCulture), (alone / packed).ToString("F2", CultureInfo.InvariantCulture) + "x");
        }

        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine("[grey]{0} epochs per trial, 1 libtorch thread, median of 3 after an untimed warm-up; one by one: TrainingSession per trial (no evaluation); packed: one PackedSession for all.[/]", epochs);
        return 0;
    }

    private static double OneByOne(IEnumerable<TrialConfig> configs)
    {
        var clock = Stopwatch.StartNew();
        foreach (var config in configs)
        {
            using var session = TrainingSession.Start(config);
            while (!session.IsFinished)
            {
                session.RunEpoch();
            }
        }

        return clock.Elapsed.TotalMilliseconds;
    }

    private static double Packed(IReadOnlyList<TrialConfig> configs, int epochs)
    {
        var clock = Stopwatch.StartNew();
        var session = PackedSession.Start(configs);
        for (var epoch = 0; epoch < epochs; epoch++)
        {
            session.RunEpoch();
        }

        return clock.Elapsed.TotalMilliseconds;
    }
}
