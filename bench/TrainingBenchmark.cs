using System.Diagnostics;
using System.Globalization;
using Spectre.Console;
using SweepCluster.Experiments;
using SweepCluster.Training.Training;
using static TorchSharp.torch;

namespace SweepCluster.Bench;

/// <summary>
/// Times W1-W3 with SweepCluster's trainer and with a plain TorchSharp loop on the same data, in one run,
/// and places both against this machine's measured float32 GEMM rate.
/// </summary>
public static class TrainingBenchmark
{
    public static int Run(bool quick, int? threads, string[] only)
    {
        if (threads is { } count)
        {
            set_num_threads(count);
        }

        var workloads = Workload.All(quick)
            .Where(w => only.Length == 0 || only.Contains(w.Name, StringComparer.OrdinalIgnoreCase))
            .ToList();
        var ceiling = GemmGflops();
        AnsiConsole.MarkupLine(
            "libtorch threads: {0}; float32 GEMM ceiling (1024x1024 matmul): [bold]{1:F1} GFLOP/s[/]{2}",
            get_num_threads(), ceiling, quick ? " [yellow](--quick: rough numbers)[/]" : "");

        foreach (var workload in workloads)
        {
            AnsiConsole.MarkupLine("  {0}: {1}, {2} timed steps", workload.Name, Markup.Escape(workload.Description), workload.Steps);
        }

        var table = new Table().RoundedBorder()
            .AddColumn("workload")
            .AddColumn(new TableColumn("ours ms/step").RightAligned())
            .AddColumn(new TableColumn("steps/s").RightAligned())
            .AddColumn(new TableColumn("plain ms/step").RightAligned())
            .AddColumn(new TableColumn("plain / ours").RightAligned())
            .AddColumn(new TableColumn("% of GEMM").RightAligned());
        foreach (var workload in workloads)
        {
            var ours = Median(workload.Repeats, () => TimeTrainer(workload));
            var plain = Median(workload.Repeats, () => TimePlainLoop(workload));
            var achieved = workload.FlopsPerStep() / (ours / 1000) / 1e9;
            table.AddRow(
                workload.Name,
                F(ours, "F3"), F(1000 / ours, "F0"), F(plain, "F3"), F(plain / ours, "F2") + "x", F(100 * achieved / ceiling, "F2") + "%");
        }

        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine("[grey]ours: SweepCluster's trainer; plain: a first-draft TorchSharp loop on the same data (both measured in this run, median of 3 runs for W1/W2, 1 for W3). '% of GEMM': our step's analytic FLOPs (forward multiply-adds x 2, backward ~2x forward) per second over the GEMM ceiling.[/]");
        return 0;
    }

    /// <summary>ms per optimizer step of SweepCluster's trainer, after one warm-up epoch.</summary>
    internal static double TimeTrainer(Workload workload)
    {
        // As many epochs as a trial may have: the timing decides when to stop.
        using var session = TrainingSession.Start(workload.Config with { Epochs = (int)Limits.Epochs.Max });
        session.RunEpoch();
        var steps = 0;
        var clock = Stopwatch.StartNew();
        while (steps < workload.Steps)
        {
            session.RunEpoch();
            steps += session.StepsPerEpoch;
        }

        return clock.Elapsed.TotalMilliseconds / steps;
    }

    private static double TimePlainLoop(Workload workload)
    {
        using var loop = new PlainLoop(workload.Config);
        loop.Step(0, 0);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < workload.Steps; i++)
        {
            loop.Step(1 + i / loop.StepsPerEpoch, i % loop.StepsPerEpoch);
        }

        return clock.Elapsed.TotalMilliseconds / workload.Steps;
    }

    internal static double GemmGflops()
    {
        const int n = 1024;
        using var a = randn(n, n);
        using var b = randn(n, n);
        using (var warm = a.matmul(b))
        {
        }

        var samples = new List<double>();
        for (var i = 0; i < 5; i++)
        {
            var clock = Stopwatch.StartNew();
            using (var product = a.matmul(b))
            {
            }

            samples.Add(2.0 * n * n * n / clock.Elapsed.TotalSeconds / 1e9);
        }

        return samples.Max();
    }

    private static double Median(int repeats, Func<double> measure)
    {
        var samples = Enumerable.Range(0, repeats).Select(_ => measure()).Order().ToList();
        return samples[samples.Count / 2];
    }

    private static string F(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);
}
