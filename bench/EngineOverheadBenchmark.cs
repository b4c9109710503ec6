using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;
using static SweepCluster.Bench.Stats;
using SweepCluster.Abstractions.Sweeps;
using SweepCluster.Training.Training;

namespace SweepCluster.Bench;

/// <summary>
/// What Orleans costs: the merge-mode sweep's trials trained bare (the training core on the same number of
/// threads, a plain queue) and through the engine (a real silo in this process: sweep grain, trial grains,
/// streams, checkpoints), alternating, in one run. Reports the wall-clock ratio engine / bare.
/// </summary>
public static class EngineOverheadBenchmark
{
    public static async Task<int> RunAsync(int epochs, int repeats)
    {
        var slots = Math.Max(1, Environment.ProcessorCount);
        TorchSharp.torch.set_num_threads(1);
        var spec = InProcessEngine.MergeModeSweep("overhead", epochs);
        var trials = SweepPlanner.Expand(spec);
        var checkpoints = Directory.CreateTempSubdirectory("sweep-bench-");
        AnsiConsole.MarkupLine("{0} trials x {1} epochs (the merge-mode sweep), {2} slots, {3} alternating runs each", trials.Count, epochs, slots, repeats);

        using var host = await InProcessEngine.StartAsync(slots, checkpoints.FullName);
        var grains = host.Services.GetRequiredService<IGrainFactory>();

        // Unmeasured runs of each first: JIT tiering and first-use costs are not what this measures.
        for (var warmUp = 1; warmUp <= 3; warmUp++)
        {
            Bare(trials, slots);
            await ThroughEngineAsync(grains, spec with { Seed = -1000 * warmUp });
        }
        var bare = new List<double>();
        var engine = new List<double>();
        for (var run = 0; run < repeats; run++)
        {
            // Both paths train the same trials (same configurations and seeds), on fresh ids for the engine.
            bare.Add(Bare(SweepPlanner.Expand(spec with { Seed = 1000 * (run + 1) }), slots));
            engine.Add(await ThroughEngineAsync(grains, spec with { Seed = 1000 * (run + 1) }));

        }

        await host.StopAsync();
        checkpoints.Delete(recursive: true);
        var (bareMedian, engineMedian) = (Median(bare), Median(engine));
        var table = new Table().RoundedBorder().AddColumn("path").AddColumn(new TableColumn("median s").RightAligned()).AddColumn("runs (s)");
        table.AddRow("bare training core", F(bareMedian), string.Join(", ", bare.Select(F)));
        table.AddRow("through the engine", F(engineMedian), string.Join(", ", engine.Select(F)));
        AnsiConsole.Write(table);
        // The minimum is the least disturbed run of each path: on a noisy 2-core machine it is the steadier ratio.
        AnsiConsole.MarkupLine(
            "engine / bare: [bold]{0}x[/] by medians, [bold]{1}x[/] by fastest runs (target <= 1.03)",
            (engineMedian / bareMedian).ToString("F3", CultureInfo.InvariantCulture),
            (engine.Min() / bare.Min()).ToString("F3", CultureInfo.InvariantCulture));
        return 0;
    }

    internal static async Task<double> ThroughEngineAsync(IGrainFactory grains, SweepSpec spec)
    {
        var clock = Stopwatch.StartNew();
        var sweep = grains.GetGrain<ISweepGrain>($"overhead-{spec.Seed}");
        await sweep.SubmitAsync(spec, "");
        while (await sweep.GetProgressAsync() is not { IsFinished: true })
        {
            await Task.Delay(20);
        }

        return clock.Elapsed.TotalSeconds;
    }

    private static double Bare(IReadOnlyList<PlannedTrial> trials, int slots)
    {
        var queue = new ConcurrentQueue<PlannedTrial>(trials);
        var clock = Stopwatch.StartNew();
        var threads = Enumerable.Range(0, slots).Select(_ => new Thread(() =>
        {
            while (queue.TryDequeue(out var trial))
            {
                Trainer.Run(trial.Config);
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        return clock.Elapsed.TotalSeconds;
    }
}
