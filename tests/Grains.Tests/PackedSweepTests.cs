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
        var progress = await engine.WaitForAsync(sweep);
        var curves = await sweep.ReadAllCurvesAsync();

        Assert.True(engine.Worker.PacksStarted > packs, "no pack was started");
        Assert.Equal(6, Directory.GetFiles(engine.CheckpointDirectory, "cumsum-bidirectional-sum-s4*").Length); // each member its own checkpoint
        foreach (var trial in progress.Trials)
        {
            Assert.Equal(TrialStatus.Completed, trial.Status);
            var own = Trainer.Run(trial.Trial.Config);
            var curve = curves[trial.Trial.Id];
            Assert.Equal(40, curve.Epochs); // epochs 1..40, each once (epoch k at index k - 1)
            Assert.True(own.Epochs.Zip(curve.Loss, (a, p) => Math.Abs(a.Loss - p)).Max() < 1e-5, $"{trial.Trial.Id}: packed curve differs from its own");
            Assert.True(Math.Abs(own.Test!.Loss - trial.TestLoss!.Value) < 1e-5, $"{trial.Trial.Id}: held-out loss {trial.TestLoss} vs {own.Test.Loss} alone");
        }
    }

    [Fact]
    public async Task TrialsOfEachOptimizerPackWithTheirOwnKindAndFollowTheCurvesTheyHaveAlone()
    {
        // The optimizer and its settings cross the wire in the trial's config, split packs, and are trained as chosen.
        var packs = engine.Worker.PacksStarted;
        var sweep = engine.Client.GetGrain<ISweepGrain>("packed-optimizers");
        var spec = Specs.Cumsum("packed-optimizers", 30, repeats: 3, directions: [Direction.Forward], seed: 240) with
        {
            Grid = new SweepGrid(
            [
                new SweptParameter("direction", ["forward"]),
                new SweptParameter("learning_rate", ["0.01"]),
                new SweptParameter("optimizer", ["sgd", "rmsprop"]),
                new SweptParameter("momentum", ["0.5"]),
                new SweptParameter("nesterov", ["true"]),
            ]),
        };

        await sweep.SubmitAsync(spec, "");
        var progress = await engine.WaitForAsync(sweep);
        var curves = await sweep.ReadAllCurvesAsync();

        Assert.True(engine.Worker.PacksStarted >= packs + 2, $"{engine.Worker.PacksStarted - packs} packs for two optimizers");
        Assert.Equal(6, progress.Trials.Count);
        Assert.Equal(
            [OptimizerSettings.Keras with { Kind = OptimizerKind.RmsProp, Momentum = 0.5 }, OptimizerSettings.Keras with { Kind = OptimizerKind.Sgd, Momentum = 0.5, Nesterov = true }],
            progress.Trials.Select(t => t.Trial.Config.OptimizerSettings).Distinct().OrderBy(o => o.Kind.ToString()));
        foreach (var trial in progress.Trials)
        {
            Assert.Equal(TrialStatus.Completed, trial.Status);
            var own = Trainer.Run(trial.Trial.Config, new TrainerOptions { Evaluate = false }).Epochs;
            Assert.True(own.Zip(curves[trial.Trial.Id].Loss, (a, p) => Math.Abs(a.Loss - p)).Max() < 1e-5, $"{trial.Trial.Id}: packed curve differs from its own");
        }
    }

    [Fact]
    public async Task PackedTrialsValidateAtTheSweepsCadenceAsTheyDoAloneAndTheLedgerRanksByTheMetric()
    {
        var sweep = engine.Client.GetGrain<ISweepGrain>("packed-val");
        var spec = Specs.Cumsum(
            "packed-val", 30, repeats: 2, directions: [Direction.Bidirectional], merges: [MergeMode.Sum], learningRates: [1e-3, 1e-2, 3e-2], seed: 140) with
        {
            Metric = new SweepMetric(MetricName.ValAccuracy, MetricGoal.Maximize), ValidateEvery = 7,
        };

        await sweep.SubmitAsync(spec, "");
        var progress = await engine.WaitForAsync(sweep);
        var curves = await sweep.ReadAllCurvesAsync();

        foreach (var trial in progress.Trials)
        {
            Assert.Equal(TrialStatus.Completed, trial.Status);
            var own = Trainer.Run(trial.Trial.Config).Epochs;
            var curve = curves[trial.Trial.Id];
            Assert.Equal([7, 14, 21, 28, 30], curve.ValLoss!.Select((v, i) => (v, i)).Where(p => p.v is not null).Select(p => p.i + 1));
            Assert.True(
                own.Zip(curve.ValLoss!, (a, p) => Math.Abs((a.ValLoss ?? 0) - (p ?? 0))).Max() < 1e-5,
                $"{trial.Trial.Id}: packed validation differs from its own");
            Assert.Equal(curve.ValAccuracy![^1], trial.FinalMetric);
            Assert.Equal(curve.ValAccuracy.OfType<double>().Max(), trial.BestMetric);
        }

        var overview = (await sweep.GetOverviewAsync())!;
        Assert.Equal(spec.Metric, overview.Metric);
        Assert.Equal(3, overview.Leaders.Count);
        Assert.Equal(overview.Leaders.Select(r => r.FinalMetric).OrderDescending(), overview.Leaders.Select(r => r.FinalMetric)); // highest val_acc first
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

    [Fact]
    public async Task APackMemberThatAlreadyHasACheckpointIsHandedBackAndResumesAloneFromIt()
    {
        // A local silo that restarted has lost its grains' state but not its checkpoints: the sweep knows nothing of a
        // trial's progress and packs it from epoch 0 again. The pack finds the checkpoint and hands the member back.
        var spec = Seeds("handback", seeds: 4, epochs: 30, seed: 120);
        var first = SweepPlanner.Expand(spec)[0];
        List<EpochMetrics> saved;
        using (var session = TrainingSession.Start(first.Config))
        {
            while (session.CompletedEpochs < 10)
            {
                session.RunEpoch();
            }

            saved = [.. session.History];
            new DirectoryCheckpointStore(engine.CheckpointDirectory).Write(first.Id, session.SaveCheckpoint);
        }

        var sweep = engine.Client.GetGrain<ISweepGrain>("handback");
        await sweep.SubmitAsync(spec, "");
        var progress = await engine.WaitForAsync(sweep);
        var curve = (await sweep.ReadAllCurvesAsync())[first.Id];

        Assert.All(progress.Trials, t => Assert.Equal(TrialStatus.Completed, t.Status));
        Assert.Equal(30, curve.Epochs);

        // Epochs 1-10 are the checkpoint's own records, their training times included: it resumed, it did not start over.
        Assert.Equal(saved.Select(e => e.Seconds), curve.Seconds.Take(10));
        var own = Trainer.Run(first.Config, new TrainerOptions { Evaluate = false });
        Assert.True(own.Epochs.Zip(curve.Loss, (a, p) => Math.Abs(a.Loss - p)).Max() < 1e-5, "the resumed curve is not the trial's own");
    }
}
