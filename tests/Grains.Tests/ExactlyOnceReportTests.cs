using SweepCluster.Abstractions.Sweeps;
using SweepCluster.Experiments;

namespace SweepCluster.Grains.Tests;

/// <summary>
/// The report path delivers at least once and the sweep applies each epoch exactly once, by its number: a batch sent
/// again, a batch that overlaps what the sweep has, and a batch past a gap (as an outbox's retries send them), played
/// here straight at the sweep grain for a trial whose training is held before its first epoch.
/// </summary>
[Collection(InstrumentedEngineCollection.Name)]
public sealed class ExactlyOnceReportTests(InstrumentedEngineFixture engine)
{
    private const int Epochs = 10;
    private const double Floor = 0.25;

    /// <summary>Summaries may keep losses compactly (single precision); curves keep them as sent.</summary>
    private const double Tolerance = 1e-6;

    [Fact]
    public async Task RetriedOverlappingAndGappedBatchesApplyEachEpochOnceWithTheValuesFirstSent()
    {
        var spec = Specs.Cumsum("exactly-once", Epochs, directions: [Direction.Forward], learningRates: [Floor], seed: 4_100);
        var trial = Assert.Single(SweepPlanner.Expand(spec));
        var hold = engine.Trainer.HoldSeed(trial.Config.Seed);
        var sweep = engine.Client.GetGrain<ISweepGrain>(spec.Name);
        await sweep.SubmitAsync(spec, "");
        await hold.Holding.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await WaitUntilRunningAsync(sweep);

        var first = await sweep.ReportAsync(Report(trial.Id, 1, 3));
        var again = await sweep.ReportAsync(Report(trial.Id, 1, 3));
        Assert.Equal((3, false), (first.AppliedThrough, first.Done));
        Assert.Equal((3, false), (again.AppliedThrough, again.Done));
        await AssertAppliedAsync(sweep, trial.Id, 3);

        // Epochs 2 and 3 again, with other values: the sweep has them, so it must keep the ones it applied.
        var overlap = await sweep.ReportAsync(new TrialReport(trial.Id, [Epoch(trial.Id, 2, loss: 1e-4), Epoch(trial.Id, 3, loss: 1e-4), .. Script(trial.Id, 4, 5)]));
        Assert.Equal(5, overlap.AppliedThrough);
        await AssertAppliedAsync(sweep, trial.Id, 5);

        // Epochs 8 and 9 with 6 and 7 missing: nothing is applied, and the ack says to resend from 6.
        var gapped = await sweep.ReportAsync(Report(trial.Id, 8, 9));
        Assert.Equal((5, false), (gapped.AppliedThrough, gapped.Done));
        await AssertAppliedAsync(sweep, trial.Id, 5);

        var filled = await sweep.ReportAsync(Report(trial.Id, 6, Epochs));
        Assert.Equal((Epochs, false), (filled.AppliedThrough, filled.Done));
        await AssertAppliedAsync(sweep, trial.Id, Epochs);

        // The trial now trains for real: its outbox sends the same epochs 1..10 once more, then its end.
        hold.Release();
        var progress = await engine.WaitForAsync(sweep, TimeSpan.FromSeconds(60));
        var summary = Assert.Single(progress.Trials);
        Assert.Equal((TrialStatus.Completed, Epochs), (summary.Status, summary.Epochs));
        Assert.Equal(Epochs, progress.EpochsDone);
        Assert.Equal(ScriptedTrainer.Loss(Floor, Epochs), summary.BestLoss!.Value, Tolerance); // not 1e-4: the overlapping values never applied
        await AssertAppliedAsync(sweep, trial.Id, Epochs);
    }

    /// <summary>The sweep's curve of the trial is the script's epochs 1..<paramref name="epochs"/>, each once, and its counts agree.</summary>
    private static async Task AssertAppliedAsync(ISweepGrain sweep, string trialId, int epochs)
    {
        var curve = (await sweep.ReadAllCurvesAsync())[trialId];
        var expected = Script(trialId, 1, epochs);
        Assert.Equal(expected.Select(e => e.Loss), curve.Loss);
        Assert.Equal(expected.Select(e => e.Accuracy), curve.Accuracy);
        Assert.Equal(expected.Select(e => e.Seconds), curve.Seconds);

        var overview = (await sweep.GetOverviewAsync())!;
        Assert.Equal(epochs, overview.EpochsDone);
        var summary = Assert.Single((await sweep.GetProgressAsync())!.Trials);
        Assert.Equal(epochs, summary.Epochs);
        Assert.Equal(expected[^1].Loss, summary.LastLoss!.Value, Tolerance);
        Assert.Equal(expected.Min(e => e.Loss), summary.BestLoss!.Value, Tolerance);
    }

    private static async Task WaitUntilRunningAsync(ISweepGrain sweep)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while ((await sweep.GetProgressAsync())!.Trials[0].Status != TrialStatus.Running)
        {
            Assert.True(DateTime.UtcNow < deadline, "the held trial never showed as running");
            await Task.Delay(50);
        }
    }

    private static TrialReport Report(string trialId, int from, int to) => new(trialId, Script(trialId, from, to));

    /// <summary>Epochs <paramref name="from"/>..<paramref name="to"/> as the <see cref="ScriptedTrainer"/> trains them (so its later resend agrees).</summary>
    private static List<EpochReport> Script(string trialId, int from, int to) =>
        [.. Enumerable.Range(from, to - from + 1).Select(epoch => Epoch(trialId, epoch, ScriptedTrainer.Loss(Floor, epoch)))];

    private static EpochReport Epoch(string trialId, int epoch, double loss) =>
        new(trialId, epoch, loss, 1 - Floor, ScriptedTrainer.EpochTime.TotalSeconds);
}
