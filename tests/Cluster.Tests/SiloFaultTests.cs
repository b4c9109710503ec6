using System.Diagnostics;
using SweepCluster.Abstractions.Sweeps;
using SweepCluster.Client.Specs;
using SweepCluster.Cluster.Harness;
using Xunit.Abstractions;

namespace SweepCluster.Cluster.Tests;

/// <summary>
/// Faults a silo meets on its own, with real processes on loopback: a shutdown while Redis is gone, and a trial that
/// takes down every silo it trains on.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class SiloFaultTests(ITestOutputHelper output)
{
    private static readonly TimeSpan SweepTimeout = TimeSpan.FromMinutes(4);

    [Fact]
    public async Task AStoppingSiloExitsWithinItsShutdownDeadlineWhileRedisIsDown()
    {
        const int shutdownSeconds = 5;
        await using var cluster = await LocalCluster.StartAsync(silos: 1, settings: $"--Silo:ShutdownSeconds={shutdownSeconds}");
        var silo = cluster.Silos[0];
        await using (var connection = await cluster.ConnectAsync())
        {
            var spec = ClusterSweeps.Cumsum("deadline", 1_000_000, merges: "[sum]");
            var sweep = connection.Grains.GetGrain<ISweepGrain>(spec.SweepId);
            await sweep.SubmitAsync(spec.Spec, spec.ResolvedYaml);
            await cluster.WaitForAsync(sweep, p => p.Trials.Any(t => t.Status == TrialStatus.Running && t.Epochs > 0), SweepTimeout);
        }

        // The trial's hand-back cannot be stored (grain storage is Redis): its delivery retries, but not past the deadline.
        await cluster.Redis.StopAsync();
        var stopping = Stopwatch.StartNew();
        try
        {
            await silo.TerminateAsync(TimeSpan.FromSeconds(120));
        }
        catch (TimeoutException)
        {
        }

        output.WriteLine($"SIGTERM with Redis down: exited after {stopping.Elapsed.TotalSeconds:F1} s (deadline {shutdownSeconds} s)");
        Assert.True(silo.HasExited, $"still running {stopping.Elapsed.TotalSeconds:F0} s after SIGTERM\n{silo.Log()}");
        Assert.InRange(stopping.Elapsed.TotalSeconds, 0, shutdownSeconds + 20); // 10 s for Orleans to leave, and some for a loaded machine
    }

    [Fact]
    public async Task ATrialWhoseSiloIsKilledEachTimeItTrainsFailsAfterThreeLosses()
    {
        await using var cluster = await LocalCluster.StartAsync(silos: 2);
        await using var connection = await cluster.ConnectAsync();
        var spec = SweepSpecParser.Parse("""
            name: losses
            task: cumsum
            parameters:
              direction: forward
              hidden: 20
            epochs: 1000000
            checkpoint_every: 100
            """);
        var sweep = connection.Grains.GetGrain<ISweepGrain>(spec.SweepId);
        await sweep.SubmitAsync(spec.Spec, spec.ResolvedYaml);

        // Each time the trial trains, its silo dies (as one running out of memory would) and a fresh silo joins. The
        // sweep's own silo may be among the dead (it counts the loss once brought back); a kill in the moment between
        // its placing the trial and storing that may go uncounted, hence one kill to spare.
        var kills = 0;
        SweepProgress progress;
        while (true)
        {
            progress = await cluster.WaitForAsync(
                sweep, p => p.Trials[0] is { Status: TrialStatus.Failed } || p.Trials[0] is { Status: TrialStatus.Running } running && IsLive(cluster, running.Silo), SweepTimeout);
            var trial = progress.Trials[0];
            if (trial.Status == TrialStatus.Failed || kills == 6)
            {
                break;
            }

            var victim = cluster.Silos.Single(s => s.Name == trial.Silo);
            victim.Kill();
            kills++;
            output.WriteLine($"kill {kills}: {victim.Name}, the trial at epoch {trial.Epochs}");
            await cluster.AddSiloAsync();
        }

        foreach (var line in cluster.Logs().Split('\n').Where(l => l.Contains("SweepGrain") || l.Contains("started training")))
        {
            output.WriteLine(line);
        }

        // The sweep records its finish as the failed trial's end is in (a poll may see the end a moment before).
        progress = await cluster.WaitForFinishAsync(sweep, SweepTimeout);
        var failed = Assert.Single(progress.Trials);
        Assert.Equal((TrialStatus.Failed, "lost its silo 3 times"), (failed.Status, failed.Error));
        Assert.InRange(kills, 3, 4);
    }

    private static bool IsLive(LocalCluster cluster, string? silo) => cluster.Silos.Any(s => s.Name == silo && !s.HasExited);
}
