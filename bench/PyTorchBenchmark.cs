using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;
using static SweepCluster.Bench.Stats;
using static TorchSharp.torch;

namespace SweepCluster.Bench;

/// <summary>
/// SweepCluster against the PyTorch a user would write instead (the scripts in bench/pytorch, on Debian's
/// python3-torch), in one run: the merge-mode sweep through the engine vs a multiprocessing pool, and W3's
/// ms/step vs PyTorch's best thread count and allocator, placed against the GEMM ceiling. Installs nothing:
/// without PyTorch it says how to get it and measures SweepCluster's side only.
/// </summary>
public static class PyTorchBenchmark
{
    private const string InstallCommand = "sudo apt-get install --no-install-recommends python3-torch libopenblas0-pthread";
    private const int Slots = 2;
    private const int Variants = 6;
    private const double SweepTarget = 5;
    private const double ColdCommandTarget = 3;
    private const double FirstEpochTarget = 1;

    /// <summary>
    /// At most this long from submitting to the first epoch on screen: the live view's quick poll while the first epochs
    /// are awaited (the client's PollSchedule.Quick).
    /// </summary>
    private const double FirstEpochAfterSubmit = 0.05;

    /// <summary>The merge-mode sweep at the size a user runs it as one command: 6 variants x 32 seeds x 250 epochs.</summary>
    private const int CommandSeeds = 32;

    /// <summary>OpenBLAS kernels the peer is timed with (its own detection may pick a generic core on some CPUs); the fastest is used.</summary>
    private static readonly string[] CoreTypes = ["", "SkylakeX", "Haswell", "Zen"];
    private const double StepTarget = 2.5;
    private const double GemmTarget = 40;

    public static async Task<int> RunAsync(bool quick)
    {
        var (seeds, epochs, repeats) = quick ? (2, 50, 1) : (8, 250, 3);
        var w1 = Workload.All(quick).Single(w => w.Name == "W1");
        var w3 = Workload.All(quick).Single(w => w.Name == "W3");
        var scripts = FindScripts();
        var python = scripts is null ? null : await FindPythonWithTorchAsync();
        if (python is not null)
        {
            _coreType = await FastestCoreTypeAsync(python.Interpreter, scripts!);
        }

        if (python is null)
        {
            AnsiConsole.MarkupLine(scripts is null
                ? "[yellow]bench/pytorch not found (run from the repository).[/] Measuring SweepCluster's side only."
                : $"[yellow]No python3 with PyTorch found.[/] Install it with [bold]{Markup.Escape(InstallCommand)}[/]; measuring SweepCluster's side only.");
        }
        else
        {
            AnsiConsole.MarkupLine("PyTorch peer: {0} (torch {1}), OPENBLAS_CORETYPE={2}{3}",
                Markup.Escape(python.Interpreter), Markup.Escape(python.TorchVersion), _coreType is "" ? "(its own detection)" : _coreType,
                quick ? " [yellow](--quick: rough numbers)[/]" : "");
        }

        // W3 and the ceiling on every core, as TrainingBenchmark measures them by default; W1 on one, as the sweep runs it.
        var threads = Environment.ProcessorCount;
        set_num_threads(threads);
        AnsiConsole.MarkupLine("W3 ({0}) with SweepCluster's trainer on {1} threads, and the GEMM ceiling...", Markup.Escape(w3.Description), threads);
        var ceiling = TrainingBenchmark.GemmGflops();
        var oursW3 = TrainingBenchmark.TimeTrainer(w3);
        set_num_threads(1);
        var oursW1 = Median(Enumerable.Range(0, w1.Repeats).Select(_ => TrainingBenchmark.TimeTrainer(w1)));
        var peer = python is null ? null : await OrNullOnFailure(() => PeerStepsAsync(python.Interpreter, scripts!, w1, w3, threads));

        AnsiConsole.MarkupLine("Merge-mode sweep ({0} variants x {1} seeds x {2} epochs) through SweepCluster's engine, {3} slots of 1 thread...", Variants, seeds, epochs, Slots);
        var ours = new Side(oursW3, oursW1, await EngineSweepAsync(seeds, epochs, repeats));
        Side? theirs = null;
        if (peer is not null)
        {
            AnsiConsole.MarkupLine("Merge-mode sweep in PyTorch, {0} worker processes of 1 thread...", Slots);
            var walls = await OrNullOnFailure(async () => (await RunScriptAsync(python!.Interpreter, Path.Combine(scripts!, "merge_sweep.py"), jemalloc: false,
                    "--workers", I(Slots), "--seeds", I(seeds), "--epochs", I(epochs), "--repeats", I(repeats)))
                .GetProperty("wall_s").EnumerateArray().Select(e => e.GetDouble()).ToArray());
            theirs = walls is null ? null : new Side(peer.Best.MsPerStep, peer.W1MsPerStep, walls);
        }

        var commandEpochs = quick ? 50 : 250;
        AnsiConsole.MarkupLine(
            "Merge-mode sweep ({0} variants x {1} seeds x {2} epochs) as the whole ./sweep run command, in a fresh local silo: started by a small sweep before, and started by the command...",
            Variants, CommandSeeds, commandEpochs);
        var warmCommand = new double[repeats];
        var warmSubmitted = new double[repeats];
        var coldCommand = new double[repeats];
        var (warmFloor, coldFloor) = (new double[repeats], new double[repeats]);
        for (var run = 0; run < repeats; run++)
        {
            (warmCommand[run], warmSubmitted[run], _) = await CommandSweep.RunAsync(CommandSeeds, commandEpochs, warmSilo: true);
            (coldCommand[run], _, _) = await CommandSweep.RunAsync(CommandSeeds, commandEpochs, warmSilo: false);
            (warmFloor[run], _, _) = await CommandSweep.RunFloorAsync(warmSilo: true);
            (coldFloor[run], _, _) = await CommandSweep.RunFloorAsync(warmSilo: false);
        }

        double[]? packedPeer = null;
        if (python is not null)
        {
            AnsiConsole.MarkupLine("The same sweep in PyTorch, each variant's seeds packed on a trial axis, {0} worker processes of 1 thread...", Slots);
            packedPeer = await OrNullOnFailure(async () => (await RunScriptAsync(python.Interpreter, Path.Combine(scripts!, "packed_sweep.py"), jemalloc: false,
                    "--workers", I(Slots), "--seeds", I(CommandSeeds), "--epochs", I(commandEpochs), "--repeats", I(repeats)))
                .GetProperty("wall_s").EnumerateArray().Select(e => e.GetDouble()).ToArray());
        }

        Report(seeds, epochs, threads, ceiling, w3, ours, theirs, peer?.Best);
        ReportCommand(commandEpochs, warmCommand, coldCommand, (warmFloor, coldFloor), packedPeer);
        Verdict(Median(warmSubmitted) + FirstEpochAfterSubmit <= FirstEpochTarget,
            $"first epoch on screen: the sweep was submitted {F(Median(warmSubmitted))} s after ./sweep run started (warm silo; runs {string.Join(", ", warmSubmitted.Select(F))} s); "
            + $"its first epochs follow within milliseconds and the live view polls every {FirstEpochAfterSubmit * 1000:F0} ms until they are in (target <= {F(FirstEpochTarget)} s)");
        if (theirs is not null)
        {
            var configurations = new Table().RoundedBorder().Title("PyTorch W3 configurations")
                .AddColumn(new TableColumn("set_num_threads").RightAligned()).AddColumn("allocator")
                .AddColumn(new TableColumn("ms/step").RightAligned()).AddColumn(new TableColumn("cores busy").RightAligned())
                .AddColumn(new TableColumn("its own GEMM GFLOP/s").RightAligned());
            foreach (var step in peer!.W3)
            {
                configurations.AddRow(I(step.Threads), step.Allocator, F(step.MsPerStep), F(step.CoresBusy), F(step.GemmGflops));
            }

            AnsiConsole.Write(configurations);
            AnsiConsole.MarkupLine("[grey]cores busy: CPU seconds per wall second while timing. Debian's torch multiplies through OpenBLAS, whose own threads "
                + "torch.set_num_threads does not always cap, so a 1-thread configuration may still keep every core busy.[/]");
        }

        return 0;
    }

    /// <summary>PyTorch's W3 at 1 and all threads, each with glibc malloc and (where installed) jemalloc; and W1 on 1 thread.</summary>
    private static async Task<PeerSteps> PeerStepsAsync(string python, string scripts, Workload w1, Workload w3, int threads)
    {
        var script = Path.Combine(scripts, "step_time.py");
        var configurations = new List<PeerStep>();
        foreach (var peerThreads in new[] { 1, threads }.Distinct())
        {
            foreach (var jemalloc in File.Exists(ChildAllocator.Jemalloc) ? new[] { false, true } : [false])
            {
                AnsiConsole.MarkupLine("W3 in PyTorch, set_num_threads({0}), {1}...", peerThreads, jemalloc ? "jemalloc" : "glibc malloc");
                var json = await RunScriptAsync(python, script, jemalloc,
                    "--workload", "W3", "--threads", I(peerThreads), "--steps", I(w3.Steps), "--train-size", I(w3.Config.TaskOptions.TrainSizeOrDefault));
                configurations.Add(new PeerStep(
                    peerThreads, jemalloc, json.GetProperty("ms_per_step").GetDouble(), json.GetProperty("cores_busy").GetDouble(),
                    json.GetProperty("gemm_gflops").GetDouble()));
            }
        }

        AnsiConsole.MarkupLine("W1 in PyTorch, set_num_threads(1)...");
        var seedLoop = await RunScriptAsync(python, script, jemalloc: false,
            "--workload", "W1", "--threads", "1", "--steps", I(w1.Steps), "--repeats", I(w1.Repeats));
        return new PeerSteps(configurations, seedLoop.GetProperty("ms_per_step").GetDouble());
    }

    private static async Task<T?> OrNullOnFailure<T>(Func<Task<T>> measure)
    {
        try
        {
            return await measure();
        }
        catch (PeerFailedException failure)
        {
            AnsiConsole.MarkupLine("[red]The PyTorch side failed[/], reporting SweepCluster's only: {0}", Markup.Escape(failure.Message));
            return default;
        }
    }

    private static void Report(int seeds, int epochs, int threads, double ceiling, Workload w3, Side ours, Side? theirs, PeerStep? best)
    {
        var table = new Table().RoundedBorder()
            .AddColumn("measurement")
            .AddColumn(new TableColumn("SweepCluster").RightAligned())
            .AddColumn(new TableColumn("PyTorch").RightAligned())
            .AddColumn(new TableColumn("PyTorch / SweepCluster").RightAligned())
            .AddColumn("target");
        table.AddRow(
            "sweep wall s",
            F(ours.SweepWall), theirs is null ? "-" : F(theirs.SweepWall), theirs is null ? "-" : F(theirs.SweepWall / ours.SweepWall) + "x",
            $">= {F(SweepTarget)}x");
        table.AddRow(
            "W3 ms/step",
            $"{F(ours.W3MsPerStep)} ({threads} thr, {OurAllocator()})",
            best is null ? "-" : $"{F(best.MsPerStep)} ({best.Threads} thr, {best.Allocator})",
            theirs is null ? "-" : F(theirs.W3MsPerStep / ours.W3MsPerStep) + "x",
            $">= {F(StepTarget)}x");
        table.AddRow(
            "W3 % of GEMM",
            F(PercentOfGemm(w3, ours.W3MsPerStep, ceiling)) + "%",
            theirs is null ? "-" : F(PercentOfGemm(w3, theirs.W3MsPerStep, ceiling)) + "%",
            "",
            $">= {F(GemmTarget)}% (ours)");
        table.AddRow(
            "W1 ms/step (1 thread)",
            ours.W1MsPerStep.ToString("F3", CultureInfo.InvariantCulture),
            theirs is null ? "-" : theirs.W1MsPerStep.ToString("F3", CultureInfo.InvariantCulture),
            theirs is null ? "-" : F(theirs.W1MsPerStep / ours.W1MsPerStep) + "x",
            "(context)");
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine(
            "[grey]Both sides measured in this run, one after the other. Sweep: {0} trials ({1} variants x {2} seeds) x {3} epochs at batch 1, "
            + "through SweepCluster's engine in this process ({4} slots) vs a multiprocessing pool of {4} workers, 1 thread per trial on both, "
            + "each after an untimed warm-up; median of runs (SweepCluster: {5} s; PyTorch: {6} s). "
            + "W3/W1: one warm-up epoch, then whole epochs (as TrainingBenchmark). GEMM ceiling: libtorch's (TorchSharp's) float32 1024x1024 matmul "
            + "on {7} threads, {8} GFLOP/s; both sides' W3 placed against it.[/]",
            Variants * seeds, Variants, seeds, epochs, Slots,
            string.Join(", ", ours.SweepSeconds.Select(F)), theirs is null ? "-" : string.Join(", ", theirs.SweepSeconds.Select(F)),
            threads, F(ceiling));

        if (theirs is null)
        {
            AnsiConsole.MarkupLine("[yellow]PyTorch not measured[/]: no verdict on the sweep and W3 ratios.");
        }
        else
        {
            var sweep = theirs.SweepWall / ours.SweepWall;
            Verdict(sweep >= SweepTarget,
                $"sweep: PyTorch / SweepCluster = {F(sweep)}x, SweepCluster {Faster(sweep)} ({F(ours.SweepWall)} s vs PyTorch's {F(theirs.SweepWall)} s; target >= {F(SweepTarget)}x)");
            var step = theirs.W3MsPerStep / ours.W3MsPerStep;
            Verdict(step >= StepTarget,
                $"W3: PyTorch / SweepCluster = {F(step)}x, SweepCluster {Faster(step)} than PyTorch's best, set_num_threads({best!.Threads}) with {best.Allocator} ({F(ours.W3MsPerStep)} vs {F(theirs.W3MsPerStep)} ms/step; target >= {F(StepTarget)}x)");
        }

        var percent = PercentOfGemm(w3, ours.W3MsPerStep, ceiling);
        Verdict(percent >= GemmTarget,
            $"W3: SweepCluster at {F(percent)}% of the {F(ceiling)} GFLOP/s GEMM ceiling (target >= {F(GemmTarget)}%)");
    }

    private static void ReportCommand(int epochs, double[] warm, double[] cold, (double[] Warm, double[] Cold) floor, double[]? peer)
    {
        var table = new Table().RoundedBorder()
            .AddColumn($"merge-mode sweep, {Variants * CommandSeeds} trials x {epochs} epochs")
            .AddColumn(new TableColumn("SweepCluster s").RightAligned())
            .AddColumn(new TableColumn("PyTorch packed s").RightAligned())
            .AddColumn(new TableColumn("PyTorch / SweepCluster").RightAligned())
            .AddColumn("target");
        void Row(string what, double[] ours, double target) => table.AddRow(
            what, F(Median(ours)), peer is null ? "-" : F(Median(peer)), peer is null ? "-" : F(Median(peer) / Median(ours)) + "x", $">= {F(target)}x");
        Row("./sweep run, silo started by a small sweep before", warm, SweepTarget);
        Row("./sweep run, the command starts the silo", cold, ColdCommandTarget);
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine(
            "[grey]SweepCluster: the whole command (script, client, connect, submit, training in a new local silo, results files), each run in a fresh "
            + "SWEEP_HOME; runs {0} and {1} s. PyTorch: bench/pytorch/packed_sweep.py, each variant's {2} seeds stacked on a trial axis (baddbmm per "
            + "timestep, per-trial losses summed, torch.optim.Adam), one pack per variant on a pool of {3} worker processes after an untimed warm-up, "
            + "not counting Python's start; runs {4} s.[/]",
            string.Join(", ", warm.Select(F)), string.Join(", ", cold.Select(F)), CommandSeeds, Slots, peer is null ? "-" : string.Join(", ", peer.Select(F)));
        if (peer is null)
        {
            AnsiConsole.MarkupLine("[yellow]PyTorch not measured[/]: no verdict on the command ratios.");
            return;
        }

        var warmRatio = Median(peer) / Median(warm);
        var coldRatio = Median(peer) / Median(cold);
        Verdict(warmRatio >= SweepTarget, $"./sweep run in a warm silo: PyTorch packed / SweepCluster = {F(warmRatio)}x (target >= {F(SweepTarget)}x)");
        Verdict(coldRatio >= ColdCommandTarget, $"./sweep run starting its silo: PyTorch packed / SweepCluster = {F(coldRatio)}x (target >= {F(ColdCommandTarget)}x)");

        // What the targets leave for the whole command, against the command with next to no training: its fixed cost.
        AnsiConsole.MarkupLine(
            "The targets allow the whole command {0} s (warm) and {1} s (cold); the same command for the floor sweep ({2}) takes {3} s warm (runs {4}) "
            + "and {5} s cold (runs {6}).",
            F(Median(peer) / SweepTarget), F(Median(peer) / ColdCommandTarget), CommandSweep.FloorDescription,
            F(Median(floor.Warm)), string.Join(", ", floor.Warm.Select(F)), F(Median(floor.Cold)), string.Join(", ", floor.Cold.Select(F)));
    }

    /// <summary>
    /// The OpenBLAS kernels that run the packed peer fastest here, timed on a short packed sweep: its own CPU detection
    /// ("" below) can take a new Xeon for a generic core and run GEMM several times slower.
    /// </summary>
    private static async Task<string> FastestCoreTypeAsync(string python, string scripts)
    {
        // Two alternating rounds, the faster of each: one noisy run must not pick the kernels.
        var timed = new List<(string CoreType, double Seconds)>();
        foreach (var round in new[] { 1, 2 })
        {
            foreach (var coreType in CoreTypes)
            {
                _coreType = coreType;
                try
                {
                    var json = await RunScriptAsync(python, Path.Combine(scripts, "packed_sweep.py"), jemalloc: false,
                        "--workers", "1", "--seeds", "8", "--epochs", "40", "--repeats", "1");
                    timed.Add((coreType, json.GetProperty("median_wall_s").GetDouble()));
                }
                catch (PeerFailedException)
                {
                    // not a core type this OpenBLAS knows
                }
            }
        }

        timed = [.. timed.GroupBy(t => t.CoreType).Select(g => (g.Key, g.Min(t => t.Seconds)))];

        AnsiConsole.MarkupLine("[grey]OpenBLAS core types timed on a short packed sweep: {0}[/]",
            Markup.Escape(string.Join(", ", timed.Select(t => $"{(t.CoreType is "" ? "detected" : t.CoreType)} {F(t.Seconds)} s"))));
        return timed.Count == 0 ? "" : timed.MinBy(t => t.Seconds).CoreType;
    }

    /// <summary>What this process allocates with: ./sweep preloads jemalloc (or tunes glibc) for training processes.</summary>
    private static string OurAllocator() =>
        Environment.GetEnvironmentVariable("LD_PRELOAD")?.Contains("jemalloc", StringComparison.Ordinal) == true ? "jemalloc"
        : Environment.GetEnvironmentVariable("GLIBC_TUNABLES") is { Length: > 0 } ? "glibc tuned"
        : "glibc malloc";

    private static string Faster(double ratio) => ratio >= 1 ? $"{F(ratio)}x faster" : $"{F(1 / ratio)}x slower";

    private static void Verdict(bool met, string text) =>
        AnsiConsole.MarkupLine("{0} {1}", met ? "[green]met[/]    " : "[red]not met[/]", Markup.Escape(text));

    /// <summary>Wall seconds of each timed run of the sweep through a real silo in this process, after three untimed ones.</summary>
    private static async Task<double[]> EngineSweepAsync(int seeds, int epochs, int repeats)
    {
        var spec = InProcessEngine.MergeModeSweep("pytorch-peer", epochs) with { Repeats = seeds };
        var checkpoints = Directory.CreateTempSubdirectory("sweep-bench-");
        try
        {
            using var host = await InProcessEngine.StartAsync(Slots, checkpoints.FullName);
            set_num_threads(1);
            var grains = host.Services.GetRequiredService<IGrainFactory>();
            // The whole sweep three times, untimed (as --engine): the engine's and the packs' code is optimised by the JIT
            // only after it has run for a while.
            for (var warmUp = 1; warmUp <= 3; warmUp++)
            {
                await EngineOverheadBenchmark.ThroughEngineAsync(grains, spec with { Seed = -1000 * warmUp });
            }
            var walls = new double[repeats];
            for (var run = 0; run < repeats; run++)
            {
                walls[run] = await EngineOverheadBenchmark.ThroughEngineAsync(grains, spec with { Seed = 1000 * (run + 1) });
            }

            await host.StopAsync();
            return walls;
        }
        finally
        {
            checkpoints.Delete(recursive: true);
        }
    }

    private static double PercentOfGemm(Workload workload, double msPerStep, double ceiling) =>
        100 * workload.FlopsPerStep() / (msPerStep / 1000) / 1e9 / ceiling;

    /// <summary>bench/pytorch, looked for above the working directory and above the binary.</summary>
    internal static string? FindScripts()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                var candidate = Path.Combine(directory.FullName, "bench", "pytorch");
                if (File.Exists(Path.Combine(candidate, "step_time.py")))
                {
                    return candidate;
                }
            }
        }

        return null;
    }

    /// <summary>
    /// The first python3 that imports torch: the one on PATH, then Debian's own, which python3-torch installs
    /// into and which a pyenv or venv python3 on PATH hides.
    /// </summary>
    internal static async Task<PythonWithTorch?> FindPythonWithTorchAsync()
    {
        foreach (var interpreter in new[] { "python3", "/usr/bin/python3" })
        {
            var probe = new ProcessStartInfo(interpreter)
            {
                ArgumentList = { "-c", "import torch; print(torch.__version__)" },
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            try
            {
                using var process = Process.Start(probe)!;
                var version = await process.StandardOutput.ReadToEndAsync();
                await process.StandardError.ReadToEndAsync();
                await process.WaitForExitAsync();
                if (process.ExitCode == 0)
                {
                    return new PythonWithTorch(interpreter, version.Trim());
                }
            }
            catch (Win32Exception)
            {
                // not installed under this name
            }
        }

        return null;
    }

    /// <summary>Runs one of the peer scripts and returns the JSON object it prints; jemalloc (or explicitly no preload) in its environment.</summary>
    internal static async Task<JsonElement> RunScriptAsync(string python, string script, bool jemalloc, params string[] arguments)
    {
        var start = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-B"); // no __pycache__ left in the working tree
        start.ArgumentList.Add(script);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        if (_coreType is { Length: > 0 })
        {
            start.Environment["OPENBLAS_CORETYPE"] = _coreType;
        }

        // glibc as shipped, or jemalloc with freed pages kept: the setting PyTorch users pick for training loops.
        if (jemalloc)
        {
            ChildAllocator.Use(start, ChildAllocator.Jemalloc, ChildAllocator.JemallocNoDecay);
        }
        else
        {
            ChildAllocator.Use(start);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new PeerFailedException($"{Path.GetFileName(script)} exited with {process.ExitCode}: {await errors}");
        }

        try
        {
            using var document = JsonDocument.Parse(await output);
            return document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new PeerFailedException($"{Path.GetFileName(script)} printed no JSON object: {e.Message}");
        }
    }

    /// <summary>OPENBLAS_CORETYPE for every peer script ("" leaves OpenBLAS to detect the CPU).</summary>
    private static string _coreType = "";

    private static string I(int value) => value.ToString(CultureInfo.InvariantCulture);

    internal sealed record PythonWithTorch(string Interpreter, string TorchVersion);

    /// <summary>One side's measurements: W3 ms/step (its best configuration), W1 ms/step, and each timed sweep run's wall seconds.</summary>
    private sealed record Side(double W3MsPerStep, double W1MsPerStep, double[] SweepSeconds)
    {
        public double SweepWall => Median(SweepSeconds);
    }

    private sealed record PeerSteps(IReadOnlyList<PeerStep> W3, double W1MsPerStep)
    {
        public PeerStep Best => W3.MinBy(p => p.MsPerStep)!;
    }

    internal sealed class PeerFailedException(string message) : Exception(message);

    private sealed record PeerStep(int Threads, bool Jemalloc, double MsPerStep, double CoresBusy, double GemmGflops)
    {
        public string Allocator => Jemalloc ? "jemalloc" : "glibc malloc";
    }
}
