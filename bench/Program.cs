using System.CommandLine;
using SweepCluster.Bench;

var quick = new Option<bool>("--quick") { Description = "Few steps per workload: checks the benchmark runs, numbers are rough" };
var threads = new Option<int?>("--threads") { Description = "libtorch intra-op threads (default: libtorch's choice, one per core)" };
var only = new Argument<string[]>("workloads") { Description = "Which workloads to run (W1 W2 W3); all by default", Arity = ArgumentArity.ZeroOrMore };
var engine = new Option<bool>("--engine") { Description = "Instead: the merge-mode sweep bare vs through the Orleans engine (overhead ratio)" };
var epochs = new Option<int?>("--epochs") { Description = "With --engine: epochs per trial (default 250, the tutorial's)" };
var cluster = new Option<bool>("--cluster") { Description = "Instead: cluster mode with real redis-server and silo processes (3x1 vs 1x1 trials/s, kill -9 penalty)" };
var metrics = new Option<bool>("--metrics") { Description = "Instead: the engine with metrics collected vs not (ratio), and /metrics with 500 live trials" };
var earlyStopping = new Option<bool>("--early-stopping") { Description = "Instead: the merge-mode sweep as a full grid vs with ASHA (epochs, wall time, winner)" };
var seedSets = new Option<int?>("--seed-sets") { Description = "With --early-stopping: how many sets of 3 seeds (default 5)" };
var pytorch = new Option<bool>("--pytorch") { Description = "Instead: SweepCluster vs the PyTorch peer in bench/pytorch (merge-mode sweep wall time, W3 ms/step, % of GEMM)" };
var commandSweep = new Option<bool>("--command-sweep") { Description = "Instead: only --pytorch's whole ./sweep run of the 192-trial merge-mode sweep, warm and cold local silo, and the same command for a 6-trial, 1-epoch sweep (its fixed cost); medians of 3, no peers" };
var allocators = new Option<bool>("--allocators") { Description = "Instead: W1-W3 under glibc, glibc tuned, and jemalloc (ms/step, page faults, peak memory), one child process each" };
var rounds = new Option<int?>("--rounds") { Description = "With --allocators: alternating rounds (default 2)" };
var allocatorChild = new Option<bool>("--allocator-child") { Hidden = true };
var packing = new Option<bool>("--packing") { Description = "Instead: the seed loop's trials one by one vs packed into one batched computation (ms per trial-epoch by pack size)" };
var memory = new Option<int?>("--memory") { Description = "Instead: train W1 for this many steps and sample resident memory (e.g. --memory 100000)" };
var scale = new Option<string?>("--scale") { Description = "Instead: a sweep far bigger than the demos through the CLI and a local silo: quick (120 trials), 10k (10,080 x 250 epochs) or 100k (99,936 x 20)" };
var baseline = new Option<string?>("--baseline") { Description = "With --scale: another built checkout (e.g. an older commit's worktree) measured first, for ratios" };
var pastSweeps = new Option<int?>("--past-sweeps") { Description = "With --scale: sweeps known when list is timed (default 200)" };
var device = new Option<string?>("--device") { Description = "Instead: the device check (cuda or cpu): training there equals the CPU's (exit 1 if not), W3 and the 192-trial sweep timed beside the same machine's PyTorch" };
var root = new RootCommand("SweepCluster training-loop benchmark: ms/step of W1-W3 against a plain TorchSharp loop and the GEMM ceiling")
{
    quick, threads, memory, engine, epochs, cluster, metrics, earlyStopping, seedSets, pytorch, commandSweep, allocators, rounds, allocatorChild, packing, scale, baseline, pastSweeps, device, only,
};
root.SetAction(async (result, _) => result.GetValue(device) is { } deviceName
    ? await DeviceCheck.RunAsync(deviceName, result.GetValue(quick))
    : result.GetValue(scale) is { } size
    ? await ScaleBenchmark.RunAsync(
        size switch
        {
            "quick" => ScaleBenchmark.Shape.Quick,
            "10k" => ScaleBenchmark.Shape.Grid10K,
            "100k" => ScaleBenchmark.Shape.Grid100K,
            _ => throw new ArgumentException($"--scale takes quick, 10k or 100k, not '{size}'"),
        },
        result.GetValue(baseline), result.GetValue(pastSweeps) ?? 200)
    : result.GetValue(allocatorChild)
    ? AllocatorBenchmark.RunChild(result.GetValue(quick))
    : result.GetValue(packing)
    ? PackingBenchmark.Run(result.GetValue(quick))
    : result.GetValue(allocators)
    ? await AllocatorBenchmark.RunAsync(result.GetValue(quick), result.GetValue(rounds) ?? 2)
    : result.GetValue(pytorch)
    ? await PyTorchBenchmark.RunAsync(result.GetValue(quick))
    : result.GetValue(commandSweep)
    ? await CommandSweepBenchmark.RunAsync(result.GetValue(quick))
    : result.GetValue(earlyStopping)
    ? await EarlyStoppingBenchmark.RunAsync(seedSets: result.GetValue(seedSets) ?? (result.GetValue(quick) ? 1 : 5), epochs: result.GetValue(epochs) ?? 250)
    : result.GetValue(cluster)
    ? await ClusterBenchmark.RunAsync(result.GetValue(quick))
    : result.GetValue(metrics)
    ? await MetricsBenchmark.RunAsync(epochs: result.GetValue(epochs) ?? (result.GetValue(quick) ? 50 : 250), repeats: result.GetValue(quick) ? 1 : 7)
    : result.GetValue(engine)
    ? await EngineOverheadBenchmark.RunAsync(epochs: result.GetValue(epochs) ?? (result.GetValue(quick) ? 50 : 250), repeats: result.GetValue(quick) ? 1 : 7)
    : result.GetValue(memory) is { } steps
        ? MemoryBenchmark.Run(steps)
        : TrainingBenchmark.Run(result.GetValue(quick), result.GetValue(threads), result.GetValue(only) ?? []));
return await root.Parse(args).InvokeAsync();
