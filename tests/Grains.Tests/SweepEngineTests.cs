using SweepCluster.Abstractions.Sweeps;
using SweepCluster.Experiments;
using SweepCluster.Grains.Sweeps;
using SweepCluster.Grains.Trials;
using SweepCluster.Training.Training;

namespace SweepCluster.Grains.Tests;

[Collection(EngineCollection.Name)]
public sealed class SweepEngineTests(EngineFixture engine)
{
    [Fact]
    public async Task EveryTrialOfTheGridCompletesWithMergeModesOnlyForBidirectional()
    {
        var sweep = engine.Client.GetGrain<ISweepGrain>("grid");

        await sweep.SubmitAsync(Specs.Cumsum("grid", epochs: 5, repeats: 2), "");
        var progress = await engine.WaitForAsync(sweep);

        Assert.Equal(12, progress.Trials.Count);
        Assert.NotNull(progress.Finished);
        Assert.InRange(progress.Finished!.Value, progress.Started, DateTimeOffset.UtcNow);
        Assert.All(progress.Trials, t => Assert.Equal(TrialStatus.Completed, t.Status));
        Assert.Equal(6, progress.Trials.Select(t => t.Trial.Variant).Distinct().Count());
        Assert.Equal(progress.EpochsTotal, progress.EpochsDone);
    }

    [Fact]
    public async Task TheAggregatorsCurvesAreExactlyTheTrainersOwnLosses()
    {
        var sweep = engine.Client.GetGrain<ISweepGrain>("curves");

        // Alone, so the trainer's own losses are the reference bit for bit (packed trials agree within float rounding).
        await sweep.SubmitAsync(Specs.Cumsum("curves", epochs: 60, directions: [Direction.Bidirectional], merges: [MergeMode.Sum, MergeMode.Mul], seed: 3) with { Pack = false }, "");
        var progress = await engine.WaitForAsync(sweep);
        var curves = await sweep.ReadAllCurvesAsync();

        foreach (var trial in progress.Trials)
        {
            var curve = curves[trial.Trial.Id];
            Assert.Equal(60, curve.Epochs); // epochs 1..60, each once (epoch k at index k - 1)
            var own = Trainer.Run(trial.Trial.Config, new TrainerOptions { Evaluate = false });
            Assert.Equal(own.Epochs.Select(e => e.Loss), curve.Loss);
            Assert.Equal(own.Epochs.Select(e => e.Accuracy), curve.Accuracy);
        }
    }

    [Fact]
    public async Task NeverMoreTrialsTrainAtOnceThanTheSiloHasSlots()
    {
        var sweep = engine.Client.GetGrain<ISweepGrain>("slots");

        // Trials alone (forward and backward trials would share one pack, one slot).
        await sweep.SubmitAsync(Specs.Cumsum("slots", epochs: 150, repeats: 2, directions: [Direction.Forward, Direction.Backward]) with { Pack = false }, "");
        var waitedInQueue = false;
        SweepProgress? progress;
        do
        {
            progress = await sweep.GetProgressAsync();
            waitedInQueue |= progress!.Count(TrialStatus.Queued) > 0 && engine.Worker.Busy == EngineFixture.Slots;
            Assert.True(engine.Worker.Busy <= EngineFixture.Slots, $"{engine.Worker.Busy} trials training on {EngineFixture.Slots} slots");
            Assert.True(progress.Finished is null || progress.Trials.All(t => t.Status.IsFinished()), "a sweep with trials to go has no finish time");
            await Task.Delay(20);
        }
        while (!progress.IsFinished);

        Assert.True(engine.Worker.PeakBusy <= EngineFixture.Slots);
        Assert.True(waitedInQueue, "with every slot busy, the other trials should have waited in the sweep's queue");
        Assert.All(progress.Trials, t => Assert.Equal(TrialStatus.Completed, t.Status));
    }

    [Fact]
    public async Task CancellingStopsRunningTrialsAndDropsQueuedOnes()
    {
        var sweep = engine.Client.GetGrain<ISweepGrain>("cancel");
        await sweep.SubmitAsync(Specs.Cumsum("cancel", epochs: 1_000_000, repeats: 2), "");
        while ((await sweep.GetProgressAsync())!.Trials.Count(t => t.Epochs > 0) < 1)
        {
            await Task.Delay(50);
        }

        await sweep.CancelAsync();
        var progress = await engine.WaitForAsync(sweep, TimeSpan.FromSeconds(20));

        Assert.All(progress.Trials, t => Assert.Equal(TrialStatus.Cancelled, t.Status));
        Assert.All(progress.Trials, t => Assert.True(t.Epochs < 1_000_000));
        Assert.Contains(progress.Trials, t => t.Epochs > 0);
        Assert.Contains(progress.Trials, t => t.Epochs == 0);
    }

    [Fact]
    public async Task ResubmittingNeverTrainsAFinishedTrialAgain()
    {
        var spec = Specs.Cumsum("again", epochs: 20, directions: [Direction.Forward, Direction.Bidirectional], merges: [MergeMode.Ave], seed: 11);
        var first = engine.Client.GetGrain<ISweepGrain>("again-1");
        await first.SubmitAsync(spec, "");
        var firstResults = await engine.WaitForAsync(first);
        var startedBefore = engine.Worker.Started;

        // Another sweep with the same trials (same configurations and seeds): they are already done.
        var second = engine.Client.GetGrain<ISweepGrain>("again-2");
        await second.SubmitAsync(spec, "");
        var secondResults = await engine.WaitForAsync(second, TimeSpan.FromSeconds(10));

        Assert.Equal(startedBefore, engine.Worker.Started);
        Assert.Equal(firstResults.Trials.Select(t => (t.Trial.Id, t.FinalLoss)), secondResults.Trials.Select(t => (t.Trial.Id, t.FinalLoss)));
        Assert.All(secondResults.Trials, t => Assert.Equal(20, t.Epochs));
    }

    [Fact]
    public async Task ASweepOfTrialsThatFinishedBeforeEndsWithoutWaitingForDispatchTicks()
    {
        // Six packs of two on two slots: three rounds. Packs found finished take no slot, so every round goes in one
        // pass; a tick per round made this re-run take two seconds or more.
        var spec = Specs.Cumsum("rerun", epochs: 5, repeats: 4, directions: [Direction.Forward, Direction.Bidirectional], merges: [MergeMode.Concat, MergeMode.Sum], seed: 41) with { PackSize = 2 };
        await engine.WaitForAsync(await SubmitAsync("rerun-1", spec));
        var startedBefore = engine.Worker.Started;

        var again = await engine.WaitForAsync(await SubmitAsync("rerun-2", spec));

        Assert.Equal(startedBefore, engine.Worker.Started);
        Assert.Equal(12, again.Count(TrialStatus.Completed));
        Assert.True(again.Finished - again.Started < SweepGrain.DispatchPeriod, $"the re-run took {again.Finished - again.Started}");
    }

    [Fact]
    public async Task APackWhoseOtherMembersFinishedBeforeStartsWithoutWaitingForThem()
    {
        var spec = Specs.Cumsum("more-seeds", epochs: 5, repeats: 2, directions: [Direction.Forward], seed: 43);
        await engine.WaitForAsync(await SubmitAsync("more-seeds-1", spec));
        var startedBefore = engine.Worker.Started;

        // Two more seeds: a pack of four is planned, two of its members are the first sweep's finished trials.
        var more = await engine.WaitForAsync(await SubmitAsync("more-seeds-2", spec with { Repeats = 4 }));

        Assert.Equal(startedBefore + 2, engine.Worker.Started);
        Assert.Equal(4, more.Count(TrialStatus.Completed));
        Assert.True(more.Finished - more.Started < PackAssembly.Wait, $"the sweep took {more.Finished - more.Started}");
    }

    private async Task<ISweepGrain> SubmitAsync(string id, SweepSpec spec)
    {
        var sweep = engine.Client.GetGrain<ISweepGrain>(id);
        await sweep.SubmitAsync(spec, "");
        return sweep;
    }

    [Fact]
    public async Task ADivergingTrialDoesNotStopTheSweep()
    {
        var sweep = engine.Client.GetGrain<ISweepGrain>("diverge");

        await sweep.SubmitAsync(Specs.Cumsum("diverge", epochs: 200, directions: [Direction.Forward], learningRates: [1e-3, 1e38]), "");
        var progress = await engine.WaitForAsync(sweep);

        Assert.Equal(TrialStatus.Completed, progress.Trials.Single(t => t.Trial.Config.LearningRate == 1e-3).Status);
        var diverged = progress.Trials.Single(t => t.Trial.Config.LearningRate == 1e38);
        Assert.Equal(TrialStatus.Diverged, diverged.Status);
        Assert.True(diverged.Epochs < 200);
    }

    [Fact]
    public async Task ATrialThatCannotTrainFailsWithItsReasonAndTheSweepStillEnds()
    {
        var sweep = engine.Client.GetGrain<ISweepGrain>("missing-data");
        var spec = new SweepSpec(
            "missing-data", TaskKind.Sentiment,
            TaskOptions.Default with { Source = SentimentSource.AclImdb, Path = "/nonexistent/aclImdb", TrainSize = 10, TestSize = 10 },
            new SweepGrid([new SweptParameter("direction", ["forward"])]),
            Repeats: 1, Epochs: 2, BatchSize: null, DeviceKind.Cpu, Seed: 0, CheckpointEvery: 10);

        await sweep.SubmitAsync(spec, "");
        var progress = await engine.WaitForAsync(sweep);

        var trial = Assert.Single(progress.Trials);
        Assert.Equal(TrialStatus.Failed, trial.Status);
        Assert.Contains("/nonexistent/aclImdb", trial.Error);
    }

    [Fact]
    public async Task ACudaTrialOnACpuOnlyClusterIsUnschedulableAndTheRestStillRuns()
    {
        var cuda = engine.Client.GetGrain<ISweepGrain>("no-cuda");
        var cpu = engine.Client.GetGrain<ISweepGrain>("cpu-beside-cuda");

        await cuda.SubmitAsync(Specs.Cumsum("no-cuda", epochs: 5, directions: [Direction.Forward], device: DeviceKind.Cuda), "");
        await cpu.SubmitAsync(Specs.Cumsum("cpu-beside-cuda", epochs: 5, directions: [Direction.Forward]), "");
        var unschedulable = await engine.WaitForAsync(cuda);
        var completed = await engine.WaitForAsync(cpu);

        var trial = Assert.Single(unschedulable.Trials);
        Assert.Equal(TrialStatus.Unschedulable, trial.Status);
        Assert.Contains("needs a cuda silo", trial.Error);
        Assert.Equal(TrialStatus.Completed, Assert.Single(completed.Trials).Status);
    }

    [Fact]
    public async Task APageLargerThanTheSweepAnswersIsRejectedNamingTheLimit()
    {
        var sweep = engine.Client.GetGrain<ISweepGrain>("paging");
        await sweep.SubmitAsync(Specs.Cumsum("paging", epochs: 2, directions: [Direction.Forward], repeats: 3), "");
        await engine.WaitForAsync(sweep);

        var trials = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => sweep.GetTrialsAsync(0, int.MaxValue));
        var curves = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => sweep.GetCurvesAsync(-1, 10));

        // The parameter's name travels in the message (Orleans carries an exception's type and message, not ParamName).
        Assert.Contains("'count'", trials.Message);
        Assert.Contains($"{SweepPaging.MaxPageSize:N0}", trials.Message);
        Assert.Contains("'offset'", curves.Message);
        Assert.Equal(2, (await sweep.GetTrialsAsync(1, SweepPaging.MaxPageSize)).Count); // short only at the end
    }
}
