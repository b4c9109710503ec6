using System.CommandLine;
using SweepCluster.Bench;

var quick = new Option<bool>("--quick") { Description = "Few steps per workload: checks the benchmark runs, numbers are rough" };
var threads = new Option<int?>("--threads") { Description = "libtorch intra-op threads (default: libtorch's choice, one per core)" };
var only = new Argument<string[]>("workloads") { Description = "Which workloads to run (W1 W2 W3); all by default", Arity = ArgumentArity.ZeroOrMore };
var memory = new Option<int?>("--memory") { Description = "Instead: train W1 for this many steps and sample resident memory (e.g. --memory 100000)" };
var root = new RootCommand("SweepCluster training-loop benchmark: ms/step of W1-W3 against a plain TorchSharp loop and the GEMM ceiling")
{
    quick, threads, memory, only,
};
root.SetAction(result => result.GetValue(memory) is { } steps
    ? MemoryBenchmark.Run(steps)
    : TrainingBenchmark.Run(result.GetValue(quick), result.GetValue(threads), result.GetValue(only) ?? []));
return root.Parse(args).Invoke();
