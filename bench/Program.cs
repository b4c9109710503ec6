using System.CommandLine;
using SweepCluster.Bench;

var quick = new Option<bool>("--quick") { Description = "Few steps per workload: checks the benchmark runs, numbers are rough" };
var threads = new Option<int?>("--threads") { Description = "libtorch intra-op threads (default: libtorch's choice, one per core)" };
var only = new Argument<string[]>("workloads") { Description = "Which workloads to run (W1 W2 W3); all by default", Arity = ArgumentArity.ZeroOrMore };
var root = new RootCommand("SweepCluster training-loop benchmark: ms/step of W1-W3 against a plain TorchSharp loop and the GEMM ceiling")
{
    quick, threads, only,
};
root.SetAction(result => TrainingBenchmark.Run(result.GetValue(quick), result.GetValue(threads), result.GetValue(only) ?? []));
return root.Parse(args).Invoke();
