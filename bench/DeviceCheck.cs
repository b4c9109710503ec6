using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;
using SweepCluster.Abstractions.Sweeps;
using SweepCluster.Experiments;
using SweepCluster.Training.Packing;
using SweepCluster.Training.Training;
using static SweepCluster.Bench.Stats;

namespace SweepCluster.Bench;

/// <summary>
/// <c>./sweep bench --device cuda</c>: the GPU check, made to run where there is a .NET runtime but no SDK (a GPU machine
/// with PyTorch, the build packed by ../shared/gpu/pack.sh, so no <c>dotnet test</c>). It checks that training on the
/// device gives the CPU's numbers — packs (torch operations there, the C# kernel here) and single trials — and exits
/// 1 when one differs beyond its tolerance; then it times W3 and the 192-trial merge-mode sweep on the device, the same
/// sweep on the machine's CPU cores, and the same machine's PyTorch (bench/pytorch with <c>--device</c>), against
/// issue 16's targets. <c>--device cpu</c> runs the same on the CPU (the checks then hold packs to single trials).
/// </summary>
internal static class DeviceCheck
{
    private const double PackTolerance = 1e-4;
    private const double TrialTolerance = 1e-4;
    private const double VideoTolerance = 1e-3;

    public static async Task<int> RunAsync(string deviceName, bool quick)
    {
        var device = Names.ParseDevice(deviceName, "--device");
        if (device == DeviceKind.Cuda && !TorchSharp.torch.cuda.is_available())
        {
            AnsiConsole.MarkupLine("[red]TorchSharp finds no CUDA device here[/] (no GPU or driver, or the CPU libtorch): nothing to check.");
            return 2;
        }

        var clock = Stopwatch.StartNew();
        AnsiConsole.MarkupLine(
            "SweepCluster device check on [bold]{0}[/]{1}, {2} CPU cores{3}",
            Names.Of(device), device == DeviceKind.Cuda ? $" ({TorchSharp.torch.cuda.device_count()} CUDA device(s))" : "",
            Environment.ProcessorCount, quick ? " [yellow](--quick: short runs, rough numbers)[/]" : "");

        // 1. The same numbers on the device as on the CPU.
        var epochs = quick ? 10 : 40;
        var failures = 0;
        failures += Check($"packs on {Names.Of(device)} vs each trial alone on the CPU (6 variants x 3 seeds, {epochs} epochs)", PackedAgainstAlone(device, epochs), PackTolerance);
        failures += Check($"a cumsum trial on {Names.Of(device)} vs on the CPU ({epochs} epochs)", TrialAgainstCpu(Cumsum(device, epochs)), TrialTolerance);
        failures += Check($"a CNN-LSTM trial on {Names.Of(device)} vs on the CPU (2 steps of 32 videos)", TrialAgainstCpu(Video(device)), VideoTolerance);

        // 2. Speed, against the targets of issue 16 (an H200: W3 <= 2 ms/step, the sweep <= 2 s and no slower than the CPU cores).
        var w3 = Workload.All(quick).Single(w => w.Name == "W3");
        var w3Ms = TrainingBenchmark.TimeTrainer(w3 with { Config = w3.Config with { Device = device } });
        var (seeds, sweepEpochs) = quick ? (8, 50) : (32, 250);
        var onDevice = await SweepAsync(device, seeds, sweepEpochs, Math.Min(Environment.ProcessorCount, 12));
        var onCpu = device == DeviceKind.Cpu ? onDevice : await SweepAsync(DeviceKind.Cpu, seeds, sweepEpochs, Environment.ProcessorCount);
        var peer = await PeerAsync(device, seeds, sweepEpochs, quick);

        var table = new Table().AddColumns("measure", "SweepCluster", "PyTorch (same machine)", "target");
        table.AddRow($"W3 ms/step on {Names.Of(device)}", F(w3Ms), peer.W3 is { } w3Peer ? F(w3Peer) : peer.Why, "<= 2.0 (H200)");
        table.AddRow($"{6 * seeds}-trial merge-mode sweep on {Names.Of(device)}, s", F(onDevice.Seconds), peer.Sweep is { } sweepPeer ? F(sweepPeer) : peer.Why, "<= 2 (H200)");
        if (device != DeviceKind.Cpu)
        {
            table.AddRow($"same sweep on the {Environment.ProcessorCount} CPU cores, s", F(onCpu.Seconds), "", $"device <= CPU: {(onDevice.Seconds <= onCpu.Seconds ? "met" : "not met")}");
        }

        AnsiConsole.Write(table);
        if (onDevice.Completed != 6 * seeds || onCpu.Completed != 6 * seeds)
        {
            AnsiConsole.MarkupLine("[red]FAIL[/] the sweep completed {0} of {1} trials on {2}, {3} on the CPU", onDevice.Completed, 6 * seeds, Names.Of(device), onCpu.Completed);
            failures++;
        }

        AnsiConsole.MarkupLine(
            "{0} in {1} s", failures == 0 ? "[green]every check passed[/]" : $"[red]{failures} check(s) failed[/]", F(clock.Elapsed.TotalSeconds));
        return failures == 0 ? 0 : 1;
    }

    private static int Check(string what, double worst, double tolerance)
    {
        var ok = worst <= tolerance; // NaN fails
        AnsiConsole.MarkupLine("{0} {1}: largest difference {2} (tolerance {3})", ok ? "[green]PASS[/]" : "[red]FAIL[/]", Markup.Escape(what), worst.ToString("E2", CultureInfo.InvariantCulture), tolerance.ToString("E0", CultureInfo.InvariantCulture));
        return ok ? 0 : 1;
    }

    /// <summary>Each variant's seeds as a pack on <paramref name="device"/>, every epoch's loss against the trial trained alone on the CPU.</summary>
    private static double PackedAgainstAlone(DeviceKind device, int epochs)
    {
        var worst = 0.0;
        foreach (var (direction, merge) in new[]
        {
            (Direction.Forward, MergeMode.Concat), (Direction.Backward, MergeMode.Concat), (Direction.Bidirectional, MergeMode.Concat),
            (Direction.Bidirectional, MergeMode.Sum), (Direction.Bidirectional, MergeMode.Mul), (Direction.Bidirectional, MergeMode.Ave),
        })
        {
            var configs = Enumerable.Range(0, 3).Select(seed => Cumsum(device, epochs) with { Direction = direction, MergeMode = merge, Seed = seed }).ToList();
            using var pack = PackedSession.Start(configs);
            var curves = Enumerable.Range(0, epochs).Select(_ => pack.RunEpoch()).ToList();
            for (var k = 0; k < configs.Count; k++)
            {
                var alone = Trainer.Run(configs[k] with { Device = DeviceKind.Cpu }, new TrainerOptions { Evaluate = false }).Epochs;
                worst = Math.Max(worst, alone.Select((e, i) => Math.Abs(e.Loss - curves[i][k].Loss)).Max());
            }
        }

        return worst;
    }

    /// <summary>Every epoch's loss of <paramref name="config"/> on its device against the same trial on the CPU.</summary>
    private static double TrialAgainstCpu(TrialConfig config)
    {
        var there = Trainer.Run(config, new TrainerOptions { Evaluate = false }).Epochs;
        var here = Trainer.Run(config with { Device = DeviceKind.Cpu }, new TrainerOptions { Evaluate = false }).Epochs;
        return here.Zip(there, (a, b) => Math.Abs(a.Loss - b.Loss) / Math.Max(1, Math.Abs(a.Loss))).Max();
    }

    private static TrialConfig Cumsum(DeviceKind device, int epochs) =>
        new() { Task = TaskKind.Cumsum, Direction = Direction.Bidirectional, MergeMode = MergeMode.Concat, Epochs = epochs, Device = device };

    private static TrialConfig Video(DeviceKind device) => new()
    {
        Task = TaskKind.MovingSquare, TaskOptions = new TaskOptions { Size = 50, TrainSize = 64, TestSize = 32 },
        Direction = Direction.Forward, Hidden = 50, BatchSize = 32, Epochs = 1, Device = device,
    };

    /// <summary>
    /// The merge-mode sweep through a silo in this process, its trials on <paramref name="device"/>, after an untimed small
    /// one. On a GPU a packed step is bound by kernel launches, not by the trials in it: packs there take a whole shape
    /// (up to 96 trials) rather than the CPU's 16.
    /// </summary>
    private static async Task<(double Seconds, int Completed)> SweepAsync(DeviceKind device, int seeds, int epochs, int slots)
    {
        var packSize = device == DeviceKind.Cpu ? 16 : 96;
        var spec = InProcessEngine.MergeModeSweep($"device-{Names.Of(device)}", epochs) with { Repeats = seeds, Device = device, PackSize = packSize };
        var checkpoints = Directory.CreateTempSubdirectory("sweep-device-check-");
        try
        {
            using var host = await InProcessEngine.StartAsync(slots, checkpoints.FullName, packSize);
            var grains = host.Services.GetRequiredService<IGrainFactory>();
            await EngineOverheadBenchmark.ThroughEngineAsync(grains, spec with { Repeats = 2, Epochs = 5, Seed = -7000 - (int)device }, TimeSpan.FromMilliseconds(20));
            var timed = spec with { Seed = 7000 + (1000 * (int)device) };
            var seconds = await EngineOverheadBenchmark.ThroughEngineAsync(grains, timed, TimeSpan.FromMilliseconds(20));
            var progress = await grains.GetGrain<ISweepGrain>($"overhead-{timed.Seed}-{timed.Epochs}").GetProgressAsync();
            var completed = progress!.Trials.Count(t => t.Status == TrialStatus.Completed);
            await host.StopAsync();
            return (seconds, completed);
        }
        finally
        {
            checkpoints.Delete(recursive: true);
        }
    }

    /// <summary>The same machine's PyTorch on <paramref name="device"/>: W3 ms/step and the packed merge-mode sweep's seconds, or why not.</summary>
    private static async Task<(double? W3, double? Sweep, string Why)> PeerAsync(DeviceKind device, int seeds, int epochs, bool quick)
    {
        var scripts = PyTorchBenchmark.FindScripts();
        var python = scripts is null ? null : await PyTorchBenchmark.FindPythonWithTorchAsync();
        if (python is null)
        {
            return (null, null, scripts is null ? "bench/pytorch not found" : "no python3 with torch");
        }

        var name = device == DeviceKind.Cuda ? "cuda" : "cpu";
        async Task<double?> Measure(string script, string field, params string[] arguments)
        {
            try
            {
                return (await PyTorchBenchmark.RunScriptAsync(python.Interpreter, Path.Combine(scripts!, script), jemalloc: false, arguments)).GetProperty(field).GetDouble();
            }
            catch (Exception e) when (e is PyTorchBenchmark.PeerFailedException or InvalidOperationException or KeyNotFoundException)
            {
                AnsiConsole.MarkupLine("[yellow]PyTorch peer {0} failed:[/] {1}", script, Markup.Escape(e.Message));
                return null;
            }
        }

        var w3 = await Measure("step_time.py", "ms_per_step", "--workload", "W3", "--device", name, "--steps", quick ? "2" : "32", "--train-size", quick ? "64" : "1000");
        var sweep = await Measure(
            "packed_sweep.py", "median_wall_s", "--device", name, "--seeds", seeds.ToString(CultureInfo.InvariantCulture), "--epochs", epochs.ToString(CultureInfo.InvariantCulture),
            "--workers", Math.Min(Environment.ProcessorCount, 6).ToString(CultureInfo.InvariantCulture));
        return (w3, sweep, $"python {python.TorchVersion}: failed");
    }
}
