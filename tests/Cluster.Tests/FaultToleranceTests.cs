using System.Diagnostics;
using System.Text.RegularExpressions;
using SweepCluster.Abstractions.Sweeps;
using SweepCluster.Client.Connection;
using SweepCluster.Client.Specs;
using SweepCluster.Cluster.Harness;
using Xunit.Abstractions;

namespace SweepCluster.Cluster.Tests;

/// <summary>
/// The cluster's promise, each with real processes on loopback (redis-server and silos): a silo or a client
/// that dies, a silo that is stopped, a Redis restart or a silo that joins late costs time, never results.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed partial class FaultToleranceTests(ITestOutputHelper output)
{
    private static readonly TimeSpan SweepTimeout = TimeSpan.FromMinutes(4);

    [Fact]
    public async Task AKilledSilosTrialsResumeOnTheSurvivorsAndEveryEpochIsKeptOnce()
    {
        const int epochs = 8000;
        await using var cluster = await LocalCluster.StartAsync(silos: 3);
        await using var connection = await cluster.ConnectAsync();
        var spec = ClusterSweeps.Cumsum("kill", epochs);
        var (sweep, before, victim) = await CatchMidTrainingAsync(cluster, connection, spec, epochs);
        var killed = Stopwatch.StartNew();
        victim.Kill();
        var lost = before.Trials.Where(t => t.Status == TrialStatus.Running && t.Silo == victim.Name).Select(t => t.Trial.Id).ToList();

        var moved = await cluster.WaitForAsync(
            sweep, p => p.Trials.Where(t => lost.Contains(t.Trial.Id)).All(t => t.Silo != victim.Name && t.Status != TrialStatus.Queued), SweepTimeout);
        output.WriteLine($"kill -9 of {victim.Name} with {lost.Count} running trial(s): running again after {killed.Elapsed.TotalSeconds:F1} s");
        var (liveTrial, liveEpoch) = await WaitForLiveResumedEpochAsync(cluster, sweep, [victim], lost);
        output.WriteLine($"{liveTrial} resumed on a survivor and reached the running sweep with epoch {liveEpoch}");
        var finished = await cluster.WaitForFinishAsync(sweep, SweepTimeout);

        Assert.All(finished.Trials, t => Assert.Equal(TrialStatus.Completed, t.Status));
        Assert.All(finished.Trials.Where(t => lost.Contains(t.Trial.Id)), t => Assert.NotEqual(victim.Name, t.Silo));
        var survivorLogs = string.Join("\n", cluster.Silos.Where(s => s != victim).Select(s => s.Log()));
        Assert.Contains(lost, id => ResumedAfter(survivorLogs, id) > 0);
        await ClusterSweeps.AssertCompleteResultsAsync(cluster, sweep, trials: 6, epochs);
        AssertNoStateFailures(cluster);
    }

    [Fact]
    public async Task ASiloKilledAndStartedAgainOnItsAddressResumesTheSweepAndItsEpochsArriveLive()
    {
        // Every grain of the cluster comes back from Redis here, the sweep's included (a killed silo with
        // survivors moves only what it hosted): a power loss on a one-machine cluster, then the silo started again.
        const int epochs = 6000;
        await using var cluster = await LocalCluster.StartAsync(silos: 1, slotsPerSilo: 3);
        var spec = ClusterSweeps.Cumsum("restart", epochs, merges: "[sum]");
        SiloProcess killed;
        List<string> lost;
        await using (var connection = await cluster.ConnectAsync())
        {
            var (_, before, victim) = await CatchMidTrainingAsync(cluster, connection, spec, epochs);
            victim.Kill();
            (killed, lost) = (victim, before.Trials.Where(t => t.Status == TrialStatus.Running).Select(t => t.Trial.Id).ToList());
        }

        await cluster.RestartSiloAsync(killed, slots: 3);
        await using var again = await cluster.ConnectAsync();
        var sweep = again.Grains.GetGrain<ISweepGrain>(spec.SweepId);
        var (liveTrial, liveEpoch) = await WaitForLiveResumedEpochAsync(cluster, sweep, [killed], lost);
        output.WriteLine($"{liveTrial} resumed on the restarted silo and reached the running sweep with epoch {liveEpoch}");
        var finished = await cluster.WaitForFinishAsync(sweep, SweepTimeout);

        Assert.All(finished.Trials, t => Assert.Equal(TrialStatus.Completed, t.Status));
        await ClusterSweeps.AssertCompleteResultsAsync(cluster, sweep, trials: 3, epochs);
        AssertNoStateFailures(cluster);
    }

    [Fact]
    public async Task AKilledSilosPackedTrialsResumeAloneFromTheirOwnCheckpointsOnTheSurvivors()
    {
        const int epochs = 30_000; // packed, an epoch of the five costs ~60 us: long enough to be caught mid-training
        await using var cluster = await LocalCluster.StartAsync(silos: 3);
        await using var connection = await cluster.ConnectAsync();
        var spec = ClusterSweeps.PackedCumsum("kill-packed", epochs, seeds: 5);
        var (sweep, before, victim) = await CatchMidTrainingAsync(cluster, connection, spec, epochs);
        victim.Kill();
        var lost = before.Trials.Where(t => t.Status == TrialStatus.Running && t.Silo == victim.Name).Select(t => t.Trial.Id).ToList();
        var finished = await cluster.WaitForFinishAsync(sweep, SweepTimeout);

        Assert.Contains("5 trials packed as one computation", victim.Log());
        Assert.Equal(5, lost.Count);
        Assert.All(finished.Trials, t => Assert.Equal(TrialStatus.Completed, t.Status));
        var survivorLogs = string.Join("\n", cluster.Silos.Where(s => s != victim).Select(s => s.Log()));
        Assert.All(lost, id => Assert.True(ResumedAfter(survivorLogs, id) > 0, $"{id} did not resume from a checkpoint the pack wrote"));
        await ClusterSweeps.AssertCompleteResultsAsync(cluster, sweep, trials: 5, epochs);
    }

    [Fact]
    public async Task AStoppedSiloCheckpointsItsTrialsAndNothingStartsOver()
    {
        const int epochs = 6000;
        await using var cluster = await LocalCluster.StartAsync(silos: 2);
        await using var connection = await cluster.ConnectAsync();
        var spec = ClusterSweeps.Cumsum("sigterm", epochs, merges: "[sum]");
        var (sweep, before, stopping) = await CatchMidTrainingAsync(cluster, connection, spec, epochs);
        var moving = before.Trials.Where(t => t.Status == TrialStatus.Running && t.Silo == stopping.Name).ToList();
        await stopping.TerminateAsync(TimeSpan.FromSeconds(60));
        var finished = await cluster.WaitForFinishAsync(sweep, SweepTimeout);

        Assert.Equal(0, stopping.ExitCode);
        Assert.All(finished.Trials, t => Assert.Equal(TrialStatus.Completed, t.Status));
        // It resumed from where it was stopped, not from an older checkpoint, let alone from epoch 0.
        AssertResumedWhereStopped(cluster, stopping, moving);

        await ClusterSweeps.AssertCompleteResultsAsync(cluster, sweep, trials: 3, epochs);
    }

    [Fact]
    public async Task AStoppedSilosPackedTrialsAreEachCheckpointedAndResumeAloneWhereTheyWere()
    {
        const int epochs = 30_000; // packed, an epoch of the five costs ~60 us: long enough to be caught mid-training
        await using var cluster = await LocalCluster.StartAsync(silos: 2);
        await using var connection = await cluster.ConnectAsync();
        var spec = ClusterSweeps.PackedCumsum("sigterm-packed", epochs, seeds: 5);
        var (sweep, before, stopping) = await CatchMidTrainingAsync(cluster, connection, spec, epochs);
        var moving = before.Trials.Where(t => t.Status == TrialStatus.Running && t.Silo == stopping.Name).ToList();
        await stopping.TerminateAsync(TimeSpan.FromSeconds(60));
        var finished = await cluster.WaitForFinishAsync(sweep, SweepTimeout);

        Assert.Equal(0, stopping.ExitCode);
        Assert.Contains("5 trials packed as one computation", stopping.Log());
        Assert.Equal(5, moving.Count);
        Assert.All(finished.Trials, t => Assert.Equal(TrialStatus.Completed, t.Status));
        // Each member left the pack with a checkpoint of its own at the epoch the pack had reached.
        AssertResumedWhereStopped(cluster, stopping, moving);

        await ClusterSweeps.AssertCompleteResultsAsync(cluster, sweep, trials: 5, epochs);
    }

    [Fact]
    public async Task AKilledClientLeavesTheSweepRunningAndResultsCanBeFetchedLater()
    {
        const int epochs = 3000;
        await using var cluster = await LocalCluster.StartAsync(silos: 2);
        var spec = ClusterSweeps.Cumsum("client-killed", epochs, merges: "[sum]");
        var work = Directory.CreateTempSubdirectory("sweep-client-killed-").FullName;
        try
        {
            var specFile = Path.Combine(work, "spec.yaml");
            await File.WriteAllTextAsync(specFile, spec.ResolvedYaml);
            using var client = Cli("run", specFile, "--cluster", cluster.Redis.Connection, "--quiet", "--out", Path.Combine(work, "never"));
            await using var connection = await cluster.ConnectAsync();
            var sweep = connection.Grains.GetGrain<ISweepGrain>(spec.SweepId);
            try
            {
                await cluster.WaitForAsync(sweep, p => p.EpochsDone > 0 && !p.IsFinished, SweepTimeout);
            }
            finally
            {
                client.Kill();
                await client.WaitForExitAsync();
            }

            await cluster.WaitForFinishAsync(sweep, SweepTimeout);
            using var results = Cli("results", spec.SweepId, "--cluster", cluster.Redis.Connection, "--out", Path.Combine(work, "later"));
            await results.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(1));

            Assert.Equal(0, results.ExitCode);
            Assert.False(Directory.Exists(Path.Combine(work, "never")));
            ClusterSweeps.AssertResultsDirectory(Path.Combine(work, "later"), trials: 3, epochs);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    [Fact]
    public async Task ARedisRestartMidSweepLosesNothing()
    {
        const int epochs = 6000;
        await using var cluster = await LocalCluster.StartAsync(silos: 2, redisPassword: "s3cret-for-tests");
        await using var connection = await cluster.ConnectAsync();
        var spec = ClusterSweeps.Cumsum("redis-restart", epochs, merges: "[sum]");
        var sweep = connection.Grains.GetGrain<ISweepGrain>(spec.SweepId);
        await sweep.SubmitAsync(spec.Spec, spec.ResolvedYaml);

        await cluster.WaitForAsync(sweep, p => MidTraining(p, epochs) is not null, SweepTimeout);
        await cluster.Redis.StopAsync();
        await Task.Delay(TimeSpan.FromSeconds(3));
        await cluster.Redis.StartAgainAsync();
        var finished = await cluster.WaitForFinishAsync(sweep, SweepTimeout);

        Assert.All(finished.Trials, t => Assert.Equal(TrialStatus.Completed, t.Status));
        await ClusterSweeps.AssertCompleteResultsAsync(cluster, sweep, trials: 3, epochs);
    }

    [Fact]
    public async Task ASiloJoiningMidSweepTakesQueuedTrials()
    {
        // Trials alone (packed, the six take well under a second) and long enough that some still wait in the queue when
        // the new silo has started.
        const int epochs = 6000;
        await using var cluster = await LocalCluster.StartAsync(silos: 1);
        await using var connection = await cluster.ConnectAsync();
        var spec = ClusterSweeps.Cumsum("join", epochs);
        var sweep = connection.Grains.GetGrain<ISweepGrain>(spec.SweepId);
        await sweep.SubmitAsync(spec.Spec, spec.ResolvedYaml);

        await cluster.WaitForAsync(sweep, p => p.EpochsDone > 0, SweepTimeout);
        var joined = await cluster.AddSiloAsync();
        var finished = await cluster.WaitForFinishAsync(sweep, SweepTimeout);

        Assert.All(finished.Trials, t => Assert.Equal(TrialStatus.Completed, t.Status));
        Assert.Contains(finished.Trials, t => t.Silo == joined.Name);
        Assert.Contains(finished.Trials, t => t.Silo == cluster.Silos[0].Name);
    }

    [Fact]
    public async Task CudaTrialsArePlacedOnlyOnSilosThatHaveCuda()
    {
        // No GPU here: one silo declares CUDA (Silo:Cuda=true) to prove placement; its TorchSharp-cpu then
        // fails those trials with the CUDA message, which shows they really ran there.
        await using var cluster = await LocalCluster.StartAsync(silos: 1, slotsPerSilo: 2);
        var cuda = await cluster.AddSiloAsync(slots: 1, "--Silo:Cuda=true");
        await using var connection = await cluster.ConnectAsync();
        var spec = ClusterSweeps.Cumsum("cuda-placement", epochs: 5, merges: "[sum]", device: "cuda");
        var sweep = connection.Grains.GetGrain<ISweepGrain>(spec.SweepId);
        await sweep.SubmitAsync(spec.Spec, spec.ResolvedYaml);

        var finished = await cluster.WaitForFinishAsync(sweep, SweepTimeout);

        Assert.All(finished.Trials, t => Assert.Equal(cuda.Name, t.Silo));
        Assert.All(finished.Trials, t => Assert.Contains("no CUDA device", t.Error));
    }

    /// <summary>
    /// Submits the spec and waits until one of its trials is well into training (so it has checkpoints) and far from
    /// done; returns the sweep, its progress then, and the silo training that trial.
    /// </summary>
    private static async Task<(ISweepGrain Sweep, SweepProgress Before, SiloProcess Silo)> CatchMidTrainingAsync(
        LocalCluster cluster, SweepConnection connection, ParsedSpec spec, int epochs)
    {
        var sweep = connection.Grains.GetGrain<ISweepGrain>(spec.SweepId);
        await sweep.SubmitAsync(spec.Spec, spec.ResolvedYaml);
        var before = await cluster.WaitForAsync(sweep, p => MidTraining(p, epochs) is not null, SweepTimeout);
        return (sweep, before, cluster.Silos.Single(s => s.Name == MidTraining(before, epochs)!.Silo));
    }

    /// <summary>A trial running with a good part of its epochs behind it and most still ahead.</summary>
    private static TrialSummary? MidTraining(SweepProgress progress, int epochs) =>
        progress.Trials.FirstOrDefault(t => t.Status == TrialStatus.Running && t.Silo is not null && t.Epochs >= epochs / 5 && t.Epochs <= epochs / 2);

    /// <summary>
    /// Polls the running sweep until its curve of a trial that resumed on a survivor holds an epoch well past the
    /// checkpoint it resumed from: an epoch only the survivor trained, which reached the sweep live on the report path
    /// (the sweep must still be running and the trial still training).
    /// </summary>
    private static async Task<(string TrialId, int Epoch)> WaitForLiveResumedEpochAsync(
        LocalCluster cluster, ISweepGrain sweep, IReadOnlyCollection<SiloProcess> dead, IReadOnlyList<string> lost)
    {
        // Past anything the victim can have reported after its last checkpoint (every 100 epochs, at most every 0.2 s).
        const int pastTheCheckpoint = 1000;
        var deadline = DateTime.UtcNow + SweepTimeout;
        while (DateTime.UtcNow < deadline)
        {
            SweepProgress? progress = null;
            IReadOnlyDictionary<string, TrialCurve>? curves = null;
            try
            {
                progress = await sweep.GetProgressAsync().WaitAsync(TimeSpan.FromSeconds(10));
                curves = await sweep.ReadAllCurvesAsync().WaitAsync(TimeSpan.FromSeconds(10));
            }
            catch (Exception e) when (e is TimeoutException or OrleansException)
            {
                // the sweep's silo is being declared dead; ask again
            }

            if (progress is not null && curves is not null)
            {
                Assert.False(
                    progress.IsFinished,
                    $"the sweep ended before any resumed trial's epochs reached it live: {Curves(progress, curves)}\n{Failures(cluster)}\n{cluster.Logs()}");
                var survivorLogs = string.Join("\n", cluster.Silos.Except(dead).Select(s => s.Log()));
                foreach (var trial in progress.Trials.Where(t => lost.Contains(t.Trial.Id) && t.Status == TrialStatus.Running))
                {
                    var resumed = ResumedAfter(survivorLogs, trial.Trial.Id);
                    var reached = LastEpochHeard(curves, trial.Trial.Id);
                    if (resumed > 0 && reached >= resumed + pastTheCheckpoint)
                    {
                        return (trial.Trial.Id, reached);
                    }
                }
            }

            await Task.Delay(250);
        }

        throw new TimeoutException($"no resumed trial's epochs reached the sweep live in {SweepTimeout.TotalSeconds:F0} s\n{Failures(cluster)}\n{cluster.Logs()}");
    }

    private static int LastEpochHeard(IReadOnlyDictionary<string, TrialCurve> curves, string trialId) =>
        curves.TryGetValue(trialId, out var curve) ? curve.Epochs : 0;

    private static string Curves(SweepProgress progress, IReadOnlyDictionary<string, TrialCurve> curves) =>
        string.Join(", ", progress.Trials.Select(t => $"{t.Trial.Id}={t.Status}@{t.Silo}, last epoch heard {LastEpochHeard(curves, t.Trial.Id)}"));

    /// <summary>No silo failed to read a grain's state back from Redis.</summary>
    private static void AssertNoStateFailures(LocalCluster cluster) =>
        Assert.True(Failures(cluster).Length == 0, Failures(cluster));

    private static string Failures(LocalCluster cluster)
    {
        var failures = cluster.Silos
            .SelectMany(s => s.Log().Split('\n').Select(line => $"{s.Name}: {line}"))
            .Where(line => StateFailure().IsMatch(line))
            .ToList();
        return failures.Count == 0 ? "" : $"silos logged {failures.Count} state failure(s), the first:\n{string.Join("\n", failures.Take(10))}";
    }

    [GeneratedRegex("Failed to read grain state|Error from storage provider \\S+ during Read")]
    private static partial Regex StateFailure();

    /// <summary>Each trial the stopping silo trained was suspended there and resumed on the survivor at least where it was.</summary>
    private static void AssertResumedWhereStopped(LocalCluster cluster, SiloProcess stopping, IEnumerable<TrialSummary> moving)
    {
        var survivor = cluster.Silos.Single(s => s != stopping).Log();
        foreach (var trial in moving)
        {
            Assert.Matches($"Trial {trial.Trial.Id} suspended after \\d+ epochs", stopping.Log());
            Assert.True(ResumedAfter(survivor, trial.Trial.Id) >= trial.Epochs, $"{trial.Trial.Id} resumed after epoch {ResumedAfter(survivor, trial.Trial.Id)}, was at {trial.Epochs}\n{cluster.Logs()}");
        }
    }

    /// <summary>The epoch a trial resumed after, from a silo's log (0 when it never resumed there).</summary>
    private static int ResumedAfter(string log, string trialId) =>
        Regex.Matches(log, $"Trial {Regex.Escape(trialId)} resumed from its checkpoint after epoch (\\d+)")
            .Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture))
            .DefaultIfEmpty(0)
            .Max();

    private static Process Cli(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(RepositoryFiles.ClientDll);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ClusterCollection
{
    public const string Name = "cluster";
}
