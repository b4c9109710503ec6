using SweepCluster.Abstractions.Sweeps;
using SweepCluster.Experiments;

namespace SweepCluster.Grains.Tests;

/// <summary>
/// A trial whose estimated memory exceeds what its silo has free fails before it allocates anything, saying how much it
/// needs and how much the silo has, and the silo trains on (a trial that is started directly, past the spec's checks).
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class SiloMemoryGuardTests(EngineFixture engine)
{
    [Fact]
    public async Task ATrialTooBigForTheSilosFreeMemoryFailsWithTheNumbersAndTheSiloTrainsOn()
    {
        var config = new TrialConfig
        {
            Task = TaskKind.Cumsum, TaskOptions = new TaskOptions { Timesteps = 10_000 }, Hidden = 4096, Layers = 16, BatchSize = 65_536, Epochs = 1,
        };
        Assert.True(TrialFootprint.Of(config).Bytes > AvailableMemory.Bytes(), "the test needs a trial larger than this machine's free memory");
        var trial = engine.Client.GetGrain<ITrialGrain>(SweepPlanner.TrialId("too-big", config));

        var start = await trial.StartAsync("no-such-sweep", config, checkpointEvery: 0, judgedEpochs: [], pack: null);
        var ended = await EndOf(trial);

        Assert.Equal(TrialStartOutcome.Started, start.Outcome);
        Assert.Equal(TrialStatus.Failed, ended.Status);
        Assert.Matches(@"^needs ~[\d,.]+ GiB, silo has [\d,.]+ GiB available", ended.Error);

        var sweep = engine.Client.GetGrain<ISweepGrain>("after-too-big");
        await sweep.SubmitAsync(Specs.Cumsum("after-too-big", epochs: 3, directions: [Direction.Forward]), "");
        Assert.All((await engine.WaitForAsync(sweep)).Trials, t => Assert.Equal(TrialStatus.Completed, t.Status));
    }

    [Fact]
    public async Task APackTooBigForTheSilosFreeMemoryFailsItsMembersWithTheNumbersAndTheSiloTrainsOn()
    {
        // Each member within the spec's 4 GiB (batches of 65,536 x 15 steps: ~3.8 GiB by the estimate, cheap to compute),
        // and one more member than the silo's free memory holds: a pack started directly, past the sweep's pack cap.
        TrialConfig Member(int seed) => new()
        {
            Task = TaskKind.Cumsum, TaskOptions = new TaskOptions { Timesteps = 15 }, Hidden = 20, BatchSize = 65_536, Epochs = 1, Seed = seed,
        };
        var perTrial = TrialFootprint.Of(Member(0)).Bytes;
        Assert.InRange(perTrial, 3L << 30, Limits.MaxTrialBytes);
        var configs = Enumerable.Range(0, Math.Max(2, (int)(AvailableMemory.Bytes() / perTrial) + 1)).Select(Member).ToList();
        var silo = engine.Cluster.GetActiveSilos().First().SiloAddress.ToParsableString();
        var ticket = new PackTicket("pack-too-big", configs.Count, silo);
        var trials = configs.Select(c => engine.Client.GetGrain<ITrialGrain>(SweepPlanner.TrialId("pack-too-big", c))).ToList();

        var starts = await Task.WhenAll(trials.Zip(configs, (t, c) => t.StartAsync("no-such-sweep", c, checkpointEvery: 0, judgedEpochs: [], pack: ticket)));
        var ends = await Task.WhenAll(trials.Select(EndOf));

        Assert.All(starts, start => Assert.Equal(TrialStartOutcome.Started, start.Outcome));
        Assert.All(ends, ended => Assert.Equal(TrialStatus.Failed, ended.Status));
        Assert.All(ends, ended => Assert.Matches(@"^needs ~[\d,.]+ GiB, silo has [\d,.]+ GiB available", ended.Error));

        var sweep = engine.Client.GetGrain<ISweepGrain>("after-pack-too-big");
        await sweep.SubmitAsync(Specs.Cumsum("after-pack-too-big", epochs: 3, directions: [Direction.Forward]), "");
        Assert.All((await engine.WaitForAsync(sweep)).Trials, t => Assert.Equal(TrialStatus.Completed, t.Status));
    }

    private static async Task<TrialEnd> EndOf(ITrialGrain trial)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if ((await trial.PingAsync()).Ended is { } ended)
            {
                return ended;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("the trial did not end");
    }
}
