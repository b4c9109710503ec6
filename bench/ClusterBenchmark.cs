using System.Diagnostics;
using Spectre.Console;
using static SweepCluster.Bench.Stats;
using SweepCluster.Abstractions.Sweeps;
using SweepCluster.Client.Specs;
using SweepCluster.Cluster.Harness;

namespace SweepCluster.Bench;

/// <summary>
/// Cluster mode on this machine, with real processes (redis-server, silos) on loopback:
/// (1) trials/s of 3 silos x 1 slot against 1 silo x 1 slot on the same tiny trials, alternating;
/// (2) the same sweep with and without a kill -9 of a silo mid-training: the wall-time penalty, and the time
/// from the kill until the lost trials train again on the survivors.
/// </summary>
public static class ClusterBenchmark
{
    public static async Task<int> RunAsync(bool quick)
    {
        var rounds = quick ? 1 : 2;
        var tiny = Spec("throughput", trials: quick ? 6 : 12, epochs: quick ? 800 : 2000);
        AnsiConsole.MarkupLine("[bold]throughput[/]: {0} cumsum trials x {1} epochs, {2} alternating round(s)", tiny.Trials, tiny.Spec.Spec.Epochs, rounds);
        var one = new List<double>();
        var three = new List<double>();
        var oneWithThree = new List<double>();
        var two = new List<double>();
        var oneWithTwo = new List<double>();
        for (var round = 0; round < rounds; round++)
        {
            one.Add(tiny.Trials / (await SweepAsync(silos: 1, tiny.Spec)).Seconds);
            three.Add(tiny.Trials / (await SweepAsync(silos: 3, tiny.Spec)).Seconds);
            oneWithThree.Add(tiny.Trials / (await SweepAsync(silos: 1, tiny.Spec, slots: 3)).Seconds);
            two.Add(tiny.Trials / (await SweepAsync(silos: 2, tiny.Spec)).Seconds);
            oneWithTwo.Add(tiny.Trials / (await SweepAsync(silos: 1, tiny.Spec, slots: 2)).Seconds);
            AnsiConsole.MarkupLine(
                "  round {0}: 1x1 {1:F2}, 3x1 {2:F2}, 1x3 {3:F2}, 2x1 {4:F2}, 1x2 {5:F2} trials/s (silos x slots)",
                round + 1, one[^1], three[^1], oneWithThree[^1], two[^1], oneWithTwo[^1]);
        }

        AnsiConsole.MarkupLine(
            "  3 silos x 1 slot / 1 silo x 1 slot: [bold]{0:F2}x[/] trials/s (median; this machine has {1} cores)",
            Median(three) / Median(one), Environment.ProcessorCount);
        AnsiConsole.MarkupLine(
            "  3 silos x 1 slot / 1 silo x 3 slots: [bold]{0:F2}x[/] (the same parallelism in one process: what spreading over processes costs)",
            Median(three) / Median(oneWithThree));
        AnsiConsole.MarkupLine(
            "  2 silos x 1 slot / 1 silo x 1 slot: [bold]{0:F2}x[/]; / 1 silo x 2 slots: [bold]{1:F2}x[/] (one training thread per core)",
            Median(two) / Median(one), Median(two) / Median(oneWithTwo));

        var killSpec = Spec("kill", trials: 6, epochs: quick ? 4000 : 8000);
        AnsiConsole.MarkupLine("[bold]kill -9[/]: {0} trials x {1} epochs on 3 silos x 1 slot", killSpec.Trials, killSpec.Spec.Spec.Epochs);
        var calm = await SweepAsync(silos: 3, killSpec.Spec);
        var killed = await SweepAsync(silos: 3, killSpec.Spec, killMidway: true);
        AnsiConsole.MarkupLine("  no kill {0:F1} s, with a kill {1:F1} s: penalty [bold]{2:F2}x[/] wall time", calm.Seconds, killed.Seconds, killed.Seconds / calm.Seconds);
        AnsiConsole.MarkupLine("  kill to the lost trial(s) training again on a survivor: [bold]{0:F1} s[/]", killed.Recovery!.Value.TotalSeconds);
        return 0;
    }

    private static (ParsedSpec Spec, int Trials) Spec(string name, int trials, int epochs)
    {
        var spec = SweepSpecParser.Parse($"""
            name: {name}
            task: cumsum
            parameters:
              direction: [forward, backward, bidirectional]
              merge_mode: [sum, concat, mul, ave]
              hidden: 20
            repeats: {Math.Max(1, trials / 6)}
            epochs: {epochs}
            checkpoint_every: 100
            """);
        return (spec, SweepPlanner.Expand(spec.Spec).Count);
    }

    private static async Task<(double Seconds, TimeSpan? Recovery)> SweepAsync(int silos, ParsedSpec spec, bool killMidway = false, int slots = 1)
    {
        await using var cluster = await LocalCluster.StartAsync(silos, slots);
        await using var connection = await cluster.ConnectAsync();
        var sweep = connection.Grains.GetGrain<ISweepGrain>(spec.SweepId);
        var clock = Stopwatch.StartNew();
        await sweep.SubmitAsync(spec.Spec, spec.ResolvedYaml);
        TimeSpan? recovery = null;
        if (killMidway)
        {
            var epochs = spec.Spec.Epochs;
            bool Midway(TrialSummary t) => t.Status == TrialStatus.Running && t.Silo is not null && t.Epochs >= epochs / 4 && t.Epochs <= epochs / 2;
            var before = await cluster.WaitForAsync(sweep, p => p.Trials.Any(Midway), TimeSpan.FromMinutes(5));
            var victim = cluster.Silos.Single(s => s.Name == before.Trials.First(Midway).Silo);
            var lost = before.Trials.Where(t => t.Status == TrialStatus.Running && t.Silo == victim.Name).Select(t => t.Trial.Id).ToHashSet();
            var sinceKill = Stopwatch.StartNew();
            victim.Kill();
            await cluster.WaitForAsync(
                sweep, p => p.Trials.Where(t => lost.Contains(t.Trial.Id)).All(t => t.Silo != victim.Name && t.Status != TrialStatus.Queued), TimeSpan.FromMinutes(5));
            recovery = sinceKill.Elapsed;
        }

        var finished = await cluster.WaitForFinishAsync(sweep, TimeSpan.FromMinutes(10));
        var seconds = clock.Elapsed.TotalSeconds;
        if (finished.Trials.Any(t => t.Status != TrialStatus.Completed))
        {
            throw new InvalidOperationException($"not every trial completed:\n{cluster.Logs()}");
        }

        return (seconds, recovery);
    }
}
