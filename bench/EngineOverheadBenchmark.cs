using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;
using static SweepCluster.Bench.Stats;
using SweepCluster.Abstractions.Sweeps;
using SweepCluster.Engine;
using SweepCluster.Experiments;
using SweepCluster.Training.Packing;
using SweepCluster.Training.Training;

namespace SweepCluster.Bench;

/// <summary>
/// What Orleans costs: the merge-mode sweep's trials trained bare (the training core on the same number of
/// threads, a plain queue) and through the engine (a real silo in this process: sweep grain, trial grains,
/// the report path, checkpoints), alternating, in one run; once with every trial alone (<c>pack: false</c>) and once packed,
/// where the bare path packs the same trials the same way (same groups, same pack sizes). Reports the wall-clock
/// ratio engine / bare of each.
/// </summary>
public static class EngineOverheadBenchmark
{
    /// <summary>As in the PyTorch comparison: 8 seeds per configuration, so that packs form as they do for users.</summary>
    private const int Seeds = 8;

    /// <summary>Sweeps of 5 epochs before the full-size warm-ups: enough that code run once per sweep is recompiled optimized (tier 0, instrumented, then optimized: ~60 calls).</summary>
    private const int ShortWarmUps = 60;

    public static async Task<int> RunAsync(int epochs, int repeats)
    {
        var slots = Math.Max(1, Environment.ProcessorCount);
        TorchSharp.torch.set_num_threads(1);
        var spec = InProcessEngine.MergeModeSweep("overhead", epochs) with { Repeats = Seeds };
        var checkpoints = Directory.CreateTempSubdirectory("sweep-bench-");
        AnsiConsole.MarkupLine("{0} trials x {1} epochs (the merge-mode sweep, {2} seeds), {3} slots, {4} alternating runs of each path ({5} packed)",
            SweepPlanner.Expand(spec).Count, epochs, Seeds, slots, repeats, (2 * repeats) + 1);

        using var host = await InProcessEngine.StartAsync(slots, checkpoints.FullName);
        var grains = host.Services.GetRequiredService<IGrainFactory>();
        var table = new Table().RoundedBorder().AddColumn("trials").AddColumn("path").AddColumn(new TableColumn("median s").RightAligned())
            .AddColumn("runs (s)").AddColumn(new TableColumn("engine / bare").RightAligned());
        foreach (var packed in new[] { false, true })
        {
            // A packed sweep takes ~0.7 s, and single runs scatter by +-5% on a noisy machine: twice the runs (and one)
            // cost little and steady its median.
            var (bare, engine) = await CompareAsync(grains, spec with { Pack = packed }, slots, packed ? (2 * repeats) + 1 : repeats);
            var (bareMedian, engineMedian) = (Median(bare), Median(engine));
            var label = packed ? "packed" : "alone";
            table.AddRow(label, "bare training core", F(bareMedian), string.Join(", ", bare.Select(F)), "");
            // The minimum is the least disturbed run of each path: on a noisy 2-core machine it is the steadier ratio.
            table.AddRow(label, "through the engine", F(engineMedian), string.Join(", ", engine.Select(F)),
                $"{Ratio(engineMedian, bareMedian)}x medians, {Ratio(engine.Min(), bare.Min())}x fastest");
        }

        await host.StopAsync();
        checkpoints.Delete(recursive: true);
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine("Target: engine / bare <= 1.03.");
        return 0;
    }

    private static async Task<(List<double> Bare, List<double> Engine)> CompareAsync(IGrainFactory grains, SweepSpec spec, int slots, int repeats)
    {
        AnsiConsole.MarkupLine(spec.Pack ? "Trials packed (pack_size {0})..." : "Every trial alone...", spec.PackSize);

        // Unmeasured runs of each first: JIT tiering and first-use costs are not what this measures. The engine's code
        // that runs once or a few times per sweep is only recompiled optimized after ~30 calls, and JIT work on a busy
        // 2-core machine slowed the measured sweeps by up to 10% when only 3 warm-ups ran: short sweeps (5 epochs)
        // take it there first. Trials take seeds spec seed + 0..repeats-1, and a trial (configuration + seed) already
        // trained is not trained again: every run gets seeds of its own.
        var tag = spec.Pack ? 100 : 200;
        for (var warmUp = 1; warmUp <= ShortWarmUps; warmUp++)
        {
            await ThroughEngineAsync(grains, spec with { Seed = -100_000 * warmUp - tag, Epochs = 5 }, poll: TimeSpan.FromMilliseconds(20));
        }

        for (var warmUp = 1; warmUp <= 3; warmUp++)
        {
            Bare(spec, slots);
            await ThroughEngineAsync(grains, spec with { Seed = -1000 * warmUp - tag });
        }

        var bare = new List<double>();
        var engine = new List<double>();
        var (bareJit, engineJit) = (TimeSpan.Zero, TimeSpan.Zero);
        for (var run = 0; run < repeats; run++)
        {
            // Both paths train the same trials (same configurations and seeds), on fresh ids for the engine.
            var seeded = spec with { Seed = 1000 * (run + 1) + tag };
            var jit = JitInfo.GetCompilationTime();
            bare.Add(Bare(seeded, slots));
            bareJit += JitInfo.GetCompilationTime() - jit;
            jit = JitInfo.GetCompilationTime();
            engine.Add(await ThroughEngineAsync(grains, seeded));
            engineJit += JitInfo.GetCompilationTime() - jit;
        }

        AnsiConsole.MarkupLine("  JIT compiling during the measured runs: {0:F0} ms (bare), {1:F0} ms (engine)", bareJit.TotalMilliseconds, engineJit.TotalMilliseconds);
        return (bare, engine);
    }

    private static string Ratio(double engine, double bare) => (engine / bare).ToString("F3", CultureInfo.InvariantCulture);

    /// <summary>
    /// Seconds from submitting to the sweep's last trial end, as the sweep recorded it. Progress is polled as the CLI's
    /// live view polls it (every 250 ms), which is part of what a user's sweep costs; the poll's own lag is not.
    /// </summary>
    internal static async Task<double> ThroughEngineAsync(IGrainFactory grains, SweepSpec spec, TimeSpan? poll = null)
    {
        var submitted = DateTimeOffset.UtcNow;
        var sweep = grains.GetGrain<ISweepGrain>($"overhead-{spec.Seed}-{spec.Epochs}");
        await sweep.SubmitAsync(spec, "");
        while (true)
        {
            await Task.Delay(poll ?? TimeSpan.FromMilliseconds(250));
            if (await sweep.GetProgressAsync() is { IsFinished: true } progress)
            {
                return ((progress.Finished ?? DateTimeOffset.UtcNow) - submitted).TotalSeconds;
            }
        }
    }

    /// <summary>
    /// The training core without Orleans: the sweep's work (packs as the sweep grain forms them, then trials alone) on
    /// <paramref name="slots"/> threads from one queue; each trial ends scored on its held-out set, as in the engine.
    /// </summary>
    private static double Bare(SweepSpec spec, int slots)
    {
        var queue = new ConcurrentQueue<Action>(Work(spec));
        var clock = Stopwatch.StartNew();
        var threads = Enumerable.Range(0, slots).Select(_ => new Thread(() =>
        {
            while (queue.TryDequeue(out var work))
            {
                work();
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        return clock.Elapsed.TotalSeconds;
    }

    private static IEnumerable<Action> Work(SweepSpec spec)
    {
        var configs = SweepPlanner.Expand(spec).Select(t => t.Config).ToList();
        var packs = new List<List<TrialConfig>>();
        if (spec.Pack)
        {
            foreach (var group in configs.GroupBy(PackedSession.PackKey).Where(g => g.Key is not null))
            {
                var members = group.ToList();
                while (members.Count >= DispatchPlanner.PackMinimum && DispatchPlanner.PackSize(members.Count, spec.PackSize) is var size && size >= DispatchPlanner.PackMinimum)
                {
                    packs.Add(members[..size]);
                    members = members[size..];
                }
            }
        }

        var packed = packs.SelectMany(p => p).ToHashSet();
        foreach (var pack in packs)
        {
            yield return () => TrainPack(pack);
        }

        foreach (var config in configs.Where(c => !packed.Contains(c)))
        {
            yield return () => Trainer.Run(config);
        }
    }

    private static void TrainPack(IReadOnlyList<TrialConfig> configs)
    {
        var pack = PackedSession.Start(configs);
        while (pack.CompletedEpochs < configs[0].Epochs)
        {
            pack.RunEpoch();
        }

        for (var k = 0; k < configs.Count; k++)
        {
            using var member = pack.Unpack(k);
            member.Evaluate();
        }
    }
}
