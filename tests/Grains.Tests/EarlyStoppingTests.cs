using SweepCluster.Abstractions.Sweeps;
using SweepCluster.Experiments;

namespace SweepCluster.Grains.Tests;

/// <summary>
/// The sweep's aggregator applying early-stopping rules, budgets and the target to the epoch reports of real trial
/// grains on a real silo, whose curves are scripted (<see cref="ScriptedTrainer"/>: a trial's loss falls towards its
/// learning rate). One slot, so trials reach each rung in the spec's order and every decision is known in advance.
/// </summary>
[Collection(ScriptedEngineCollection.Name)]
public sealed class EarlyStoppingTests(ScriptedEngineFixture engine)
{
    /// <summary>Forward-only trials whose curves fall towards these floors, in this order.</summary>
    private static SweepSpec Floors(string name, int seed, int epochs, params double[] floors) =>
        Specs.Cumsum(name, epochs, directions: [Direction.Forward], learningRates: floors, seed: seed);

    private async Task<SweepProgress> RunAsync(SweepSpec spec)
    {
        var sweep = engine.Client.GetGrain<ISweepGrain>(spec.Name);
        await sweep.SubmitAsync(spec, "");
        return await engine.WaitForAsync(sweep);
    }

    private static TrialSummary Floor(SweepProgress progress, double floor) =>
        progress.Trials.Single(t => t.Trial.Config.LearningRate == floor);

    [Fact]
    public async Task AshaLetsTheFirstTrialAtEachRungOnAndStopsEveryTrialOutsideTheTopThirdAtItsFirstRung()
    {
        // Rungs at 10, 30 and 90 epochs. 0.3 is first everywhere; 0.6 is 2nd of 2 at 10 (top 1 goes on); 0.1 is best;
        // 0.5, 0.2 and 0.4 rank 3rd of 4, 2nd of 5 and 4th of 6 at 10, where only the top 1, 1 and 2 go on.
        var spec = Floors("asha", seed: 100, epochs: 200, 0.3, 0.6, 0.1, 0.5, 0.2, 0.4) with { EarlyStopping = EarlyStopping.Asha(200, minEpochs: 10, eta: 3) };

        var progress = await RunAsync(spec);

        Assert.Equal([TrialStatus.Completed, TrialStatus.Stopped, TrialStatus.Completed, TrialStatus.Stopped, TrialStatus.Stopped, TrialStatus.Stopped],
            progress.Trials.Select(t => t.Status));
        foreach (var stopped in progress.Trials.Where(t => t.Status == TrialStatus.Stopped))
        {
            Assert.StartsWith("asha: ", stopped.StopReason);
            Assert.Contains("at the 10-epoch rung", stopped.StopReason);
            Assert.Equal(10, stopped.Epochs); // training waited at the rung for the verdict, and stopped there with its curve
        }

        Assert.Contains("ranks 2 of 2", Floor(progress, 0.6).StopReason);
        Assert.Contains("ranks 4 of 6", Floor(progress, 0.4).StopReason);
        Assert.All(progress.Trials.Where(t => t.Status == TrialStatus.Completed), t => Assert.Null(t.StopReason));
        Assert.Equal(200, Floor(progress, 0.1).Epochs);
    }

    [Fact]
    public async Task TheMedianRuleStopsOnlyATrialBehindTheMedianOfCompletedTrialsAfterItsGracePeriod()
    {
        // Three trials complete before any can be judged; then 0.5 is behind their median (0.2) and 0.15 ahead of it.
        var spec = Floors("median", seed: 200, epochs: 200, 0.2, 0.3, 0.1, 0.5, 0.15) with { EarlyStopping = EarlyStopping.Median(200, graceEpochs: 20, minCompleted: 3) };

        var progress = await RunAsync(spec);

        Assert.Equal([TrialStatus.Completed, TrialStatus.Completed, TrialStatus.Completed, TrialStatus.Stopped, TrialStatus.Completed],
            progress.Trials.Select(t => t.Status));
        var stopped = Floor(progress, 0.5);
        Assert.StartsWith("median: ", stopped.StopReason);
        Assert.Contains("median", stopped.StopReason!["median: ".Length..]);
        Assert.InRange(stopped.Epochs, 21, 40); // judged by its reports, and at the latest at the first check after the grace period (epoch 40)
    }

    [Fact]
    public async Task MaxTrialsRunsOnlyTheFirstTrialsOfTheSpecAndSkipsTheRest()
    {
        var spec = Floors("max-trials", seed: 300, epochs: 20, 0.1, 0.2, 0.3, 0.4) with { Budget = new SweepBudget(MaxTrials: 2) };

        var progress = await RunAsync(spec);

        Assert.Equal([TrialStatus.Completed, TrialStatus.Completed, TrialStatus.Skipped, TrialStatus.Skipped], progress.Trials.Select(t => t.Status));
        Assert.All(progress.Trials.Skip(2), t => Assert.StartsWith("max_trials 2", t.StopReason));
        Assert.All(progress.Trials.Skip(2), t => Assert.Equal(0, t.Epochs));
    }

    [Fact]
    public async Task ReachingTheStopWhenTargetEndsTheSweepStoppingTheTrialThatReachedItAndSkippingTheQueue()
    {
        // 0.05's loss falls below 0.1 at epoch 12 (0.05 + 0.95/12 = 0.129 at 8 ... 0.0995 at 19).
        var spec = Floors("target", seed: 400, epochs: 200, 0.3, 0.05, 0.2, 0.1) with { StopWhen = new StopTarget(Loss: 0.1) };

        var progress = await RunAsync(spec);

        Assert.Equal([TrialStatus.Completed, TrialStatus.Stopped, TrialStatus.Skipped, TrialStatus.Skipped], progress.Trials.Select(t => t.Status));
        Assert.StartsWith("stop_when: trial ", progress.EndReason);
        Assert.Contains($"reached loss {ScriptedTrainer.Loss(0.05, 19):G4} <= 0.1 at epoch 19", progress.EndReason);
        Assert.All(progress.Trials.Skip(1), t => Assert.Equal(progress.EndReason, t.StopReason));
        Assert.InRange(progress.Trials[1].Epochs, 19, 199);
    }

    [Fact]
    public async Task AnAccuracyTargetEndsTheSweepToo()
    {
        // The scripted accuracy is 1 - floor: 0.96 for the second trial, from its first epoch.
        var spec = Floors("accuracy-target", seed: 450, epochs: 200, 0.3, 0.04, 0.2) with { StopWhen = new StopTarget(Accuracy: 0.95) };

        var progress = await RunAsync(spec);

        Assert.Equal([TrialStatus.Completed, TrialStatus.Stopped, TrialStatus.Skipped], progress.Trials.Select(t => t.Status));
        Assert.Contains("reached accuracy 0.96 >= 0.95 at epoch 1", progress.EndReason);
    }

    [Fact]
    public async Task MaxEpochsTotalEndsTheSweepOnceItsTrialsTrainedThatManyEpochs()
    {
        // The budget is checked as reports arrive: the third trial's stop must reach it within its last 500 epochs
        // (~0.5 s of scripted training; with 100 epochs, a loaded CI machine let it complete first).
        var spec = Floors("epoch-budget", seed: 500, epochs: 1000, 0.1, 0.2, 0.3, 0.4) with { Budget = new SweepBudget(MaxEpochsTotal: 2500) };

        var progress = await RunAsync(spec);

        Assert.Equal([TrialStatus.Completed, TrialStatus.Completed, TrialStatus.Stopped, TrialStatus.Skipped], progress.Trials.Select(t => t.Status));
        Assert.StartsWith("max_epochs_total 2500", progress.EndReason);
        Assert.InRange(progress.Trials[2].Epochs, 500, 999);
        Assert.InRange(progress.Trials.Sum(t => t.Epochs), 2500, 2999);
    }

    [Fact]
    public async Task TheTimeLimitEndsTheSweepAndResubmittingDoesNotRestartIt()
    {
        // 4 trials of 2000 scripted epochs take 16 s or more; the limit is 2 s.
        var spec = Floors("time-limit", seed: 600, epochs: 2000, 0.1, 0.2, 0.3, 0.4) with { Budget = new SweepBudget(TimeLimit: TimeSpan.FromSeconds(2)) };

        var progress = await RunAsync(spec);
        var sweep = engine.Client.GetGrain<ISweepGrain>(spec.Name);
        var resubmitted = await sweep.SubmitAsync(spec, "");
        var again = (await sweep.GetProgressAsync())!;

        Assert.Equal([TrialStatus.Stopped, TrialStatus.Skipped, TrialStatus.Skipped, TrialStatus.Skipped], progress.Trials.Select(t => t.Status));
        Assert.StartsWith("time_limit 00:00:02", progress.EndReason);
        Assert.Equal(progress.Trials.Select(t => t.Status), again.Trials.Select(t => t.Status));
        Assert.Equal((1, 3), (resubmitted.Count(TrialStatus.Stopped), resubmitted.Count(TrialStatus.Skipped)));
    }
}

/// <summary>Two sweeps sharing a trial, where one stops it early and the other has no reason to.</summary>
[Collection(TwoSlotScriptedEngineCollection.Name)]
public sealed class SharedTrialStoppingTests(TwoSlotScriptedEngineFixture engine)
{
    [Fact]
    public async Task ATrialAnotherSweepStoppedEarlyIsTrainedToTheEndForASweepWithoutThatLimit()
    {
        // Same configuration and seed in both sweeps: one trial. The second sweep joins it while it trains (the free
        // slot lets its dispatch reach the trial); the first ends at its epoch budget and stops it, and the second,
        // which has no budget, has it queued again and trained to the end.
        var limited = Specs.Cumsum("shared-budget", 1000, directions: [Direction.Forward], learningRates: [0.6], seed: 800) with { Budget = new SweepBudget(MaxEpochsTotal: 500) };
        var unlimited = limited with { Name = "shared-whole", Budget = null };
        var first = engine.Client.GetGrain<ISweepGrain>(limited.Name);
        var second = engine.Client.GetGrain<ISweepGrain>(unlimited.Name);

        await first.SubmitAsync(limited, "");
        await second.SubmitAsync(unlimited, "");
        Assert.Equal(TrialStatus.Running, (await second.GetProgressAsync())!.Trials[0].Status); // joined the running trial
        var whole = await engine.WaitForAsync(second);
        var ended = await engine.WaitForAsync(first);

        Assert.StartsWith("max_epochs_total 500", ended.EndReason);
        var shared = Assert.Single(whole.Trials);
        Assert.Equal(Assert.Single(ended.Trials).Trial.Id, shared.Trial.Id);
        Assert.Equal((TrialStatus.Completed, 1000, null), (shared.Status, shared.Epochs, shared.StopReason));
    }
}
