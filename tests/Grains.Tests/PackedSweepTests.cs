using SweepCluster.Abstractions.Sweeps;
using SweepCluster.Experiments;
using SweepCluster.Training.Training;

namespace SweepCluster.Grains.Tests;

/// <summary>Trial packing through the engine: trials of one shape train as one computation and stay trials of their own.</summary>
[Collection(EngineCollection.Name)]
public sealed class PackedSweepTests(EngineFixture engine)
{
    private static SweepSpec Seeds(string name, int seeds, int epochs, int seed) =>
        Specs.Cumsum(name, epochs, repeats: seeds, directions: [Direction.Bidirectional], merges: [MergeMode.Sum], seed: seed);

    [Fact]
    public async Task SeedsOfOneConfigurationTrainAsAPackAndEachKeepsItsOwnCurveHeldOutScoreAndCheckpoint()
    {
        var packs = engine.Worker.PacksStarted;
        var sweep = engine.Client.GetGrain<ISweepGrain>("packed");

        await sweep.SubmitAsync(Seeds("packed", seeds: 6, epochs: 40, seed: 40), "");
        await engine.WaitForAsync(sweep);
        var results = (await sweep.GetResultsAsync())!;

        Assert.True(engine.Worker.PacksStarted > packs, "no pack was started");
        Assert.Equal(6, Directory.GetFiles(engine.CheckpointDirectory, "cumsum-bidirectional-sum-s4*").Length); // each member its own checkpoint
        foreach (var trial in results.Progress.Trials)
        {
            Assert.Equal(TrialStatus.Completed, trial.Status);
            var own = Trainer.Run(trial.Trial.Config);
            var curve = results.Curves[trial.Trial.Id];
            Assert.Equal(Enumerable.Range(1, 40), curve.Select(e => e.Epoch));
            Assert.True(own.Epochs.Zip(curve, (a, p) => Math.Abs(a.Loss - p.Loss)).Max() < 1e-5, $"{trial.Trial.Id}: packed curve differs from its own");
            Assert.True(Math.Abs(own.Test!.Loss - trial.TestLoss!.Value) < 1e-5, $"{trial.Trial.Id}: held-out loss {trial.TestLoss} vs {own.Test.Loss} alone");
        }
    }

    [Fact]
    public async Task PackFalseTrainsEveryTrialOnItsOwn()
    {
        var packs = engine.Worker.PacksStarted;
        var sweep = engine.Client.GetGrain<ISweepGrain>("unpacked");

        await sweep.SubmitAsync(Seeds("unpacked", seeds: 6, epochs: 20, seed: 60) with { Pack = false }, "");
        var progress = await engine.WaitForAsync(sweep);

        Assert.All(progress.Trials, t => Assert.Equal(TrialStatus.Completed, t.Status));
        Assert.Equal(packs, engine.Worker.PacksStarted);
    }

    [Fact]
    public async Task CancellingAPackedSweepStopsEveryMemberAndFreesTheSlot()
    {
        var sweep = engine.Client.GetGrain<ISweepGrain>("packed-cancel");
        await sweep.SubmitAsync(Seeds("packed-cancel", seeds: 5, epochs: 1_000_000, seed: 80), "");
        while ((await sweep.GetProgressAsync())!.Trials.Count(t => t.Epochs > 0) < 5)
        {
            await Task.Delay(50);
        }

        await sweep.CancelAsync();
        var progress = await engine.WaitForAsync(sweep, TimeSpan.FromSeconds(20));

        Assert.All(progress.Trials, t => Assert.Equal(TrialStatus.Cancelled, t.Status));
        Assert.All(progress.Trials, t => Assert.InRange(t.Epochs, 1, 999_999));
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (engine.Worker.Busy > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.Equal(0, engine.Worker.Busy);
    }
}
