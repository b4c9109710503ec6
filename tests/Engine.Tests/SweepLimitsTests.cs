using SweepCluster.Abstractions.Sweeps;
using SweepCluster.Engine.Stopping;

namespace SweepCluster.Engine.Tests;

/// <summary>The sweep's target, budgets and early-stopping rules, decided from the ledger's compact records.</summary>
public sealed class SweepLimitsTests
{
    /// <summary>A loss curve falling from 1 towards <paramref name="floor"/>, epochs <paramref name="from"/>..<paramref name="to"/>.</summary>
    private static IReadOnlyList<EpochReport> Curve(int trial, double floor, int from, int to) =>
        [.. Enumerable.Range(from, to - from + 1).Select(e => new EpochReport($"t{trial}", e, floor + (1 - floor) / e, 0.5, 1))];

    /// <summary>Applies a report as the grain does, then asks the limits; a stop is applied to the ledger too.</summary>
    private static LimitDecision? Report(TrialLedger ledger, SweepLimits limits, int trial, IReadOnlyList<EpochReport> epochs, TrialEnd? end = null)
    {
        var intake = ledger.Accept(trial, new TrialReport($"t{trial}", epochs, end));
        ledger.Apply(trial, intake.NewEpochs, end);
        var decision = limits.AfterEpochs(ledger, trial, intake.NewEpochs);
        if (decision is StopTrial stop)
        {
            ledger.Stop(trial, stop.Reason, stop.Epoch);
        }

        return decision;
    }

    private static (TrialLedger Ledger, SweepLimits Limits) Sweep(SweepSpec spec, int trials)
    {
        var limits = new SweepLimits(spec);
        var ledger = new TrialLedger(Trials.Plan(trials, spec.Epochs), limits.JudgedEpochs);
        for (var i = 0; i < trials; i++)
        {
            ledger.Started(i, Trials.SiloA);
        }

        return (ledger, limits);
    }

    [Fact]
    public void JudgedEpochsAreAshasRungsOrTenChecksAfterTheMediansGracePeriod()
    {
        Assert.Equal([10, 30, 90], new SweepLimits(Specs.Of(100, EarlyStopping.Asha(100, minEpochs: 10, eta: 3))).JudgedEpochs);
        Assert.Equal([20, 30, 40, 50, 60, 70, 80, 90], new SweepLimits(Specs.Of(100, EarlyStopping.Median(100, graceEpochs: 10))).JudgedEpochs);
        Assert.Empty(new SweepLimits(Specs.Of(100)).JudgedEpochs);
    }

    [Fact]
    public void AshaLetsTheFirstTrialAtARungOnAndThenOnlyTheTopThird()
    {
        var (ledger, limits) = Sweep(Specs.Of(100, EarlyStopping.Asha(100, minEpochs: 10, eta: 3)), 4);

        Assert.Null(Report(ledger, limits, 0, Curve(0, 0.5, 1, 10)));     // first at the rung: goes on
        Assert.IsType<StopTrial>(Report(ledger, limits, 1, Curve(1, 0.6, 1, 10))); // 2nd of 2, top 1 goes on: stopped
        Assert.Null(Report(ledger, limits, 2, Curve(2, 0.1, 1, 10)));     // best so far: goes on
        var stopped = Assert.IsType<StopTrial>(Report(ledger, limits, 3, Curve(3, 0.55, 1, 10))); // 3rd of 4, top 1: stopped

        Assert.Equal(("asha", 10), (stopped.Rule, stopped.Epoch));
        Assert.StartsWith("asha: best loss ", stopped.Reason);
        Assert.EndsWith("ranks 3 of 4 at the 10-epoch rung; only the top 1 (1/3) go on", stopped.Reason);
        Assert.Equal(stopped.Reason, ledger[3].StopReason);
    }

    [Fact]
    public void AshaOnRecordsDecidesAsTheRuleOnWholeCurves()
    {
        // 60 trials in a shuffled order reach each rung in turn; the old rule sees whole curves (a stopped one's up to
        // its stop), the ledger only its records. Every verdict must be the same, word for word.
        var rule = new AshaRule(minEpochs: 3, eta: 3, maxEpochs: 50);
        var (ledger, limits) = Sweep(Specs.Of(50, EarlyStopping.Asha(50, minEpochs: 3, eta: 3)), 60);
        var random = new Random(7);
        var floors = Enumerable.Range(0, 60).Select(_ => random.NextDouble()).ToArray();
        var curves = Enumerable.Range(0, 60).Select(_ => new List<double>()).ToArray();
        var stoppedAt = new int?[60];
        var verdicts = 0;
        var previous = 0;
        foreach (var rung in rule.Rungs)
        {
            foreach (var trial in Enumerable.Range(0, 60).OrderBy(_ => random.Next()).Where(t => stoppedAt[t] is null))
            {
                var epochs = Curve(trial, floors[trial], previous + 1, rung).Select(e => e with { Loss = e.Loss + random.NextDouble() * 0.05 }).ToList();
                curves[trial].AddRange(epochs.Select(e => e.Loss));
                var others = Enumerable.Range(0, 60).Where(t => t != trial)
                    .Select(t => new RunningBest(curves[t].Take(stoppedAt[t] ?? int.MaxValue)));
                var expected = rule.Decide(new RunningBest(curves[trial]), rung, others);

                var actual = Report(ledger, limits, trial, epochs);

                Assert.Equal(expected?.Reason, (actual as StopTrial)?.Detail);
                if (expected is not null)
                {
                    stoppedAt[trial] = rung;
                    verdicts++;
                }
            }

            previous = rung;
        }

        Assert.InRange(verdicts, 20, 59); // the rule did stop trials, and not all of them
    }

    [Fact]
    public void AStoppedTrialCountsAtRungsOnlyUpToWhereItWasStopped()
    {
        var (ledger, limits) = Sweep(Specs.Of(100, EarlyStopping.Asha(100, minEpochs: 10, eta: 3)), 3);
        Report(ledger, limits, 0, Curve(0, 0.1, 1, 10));
        Assert.IsType<StopTrial>(Report(ledger, limits, 1, Curve(1, 0.2, 1, 10)));
        Report(ledger, limits, 1, Curve(1, 0, 11, 30), new TrialEnd(TrialStatus.Stopped, 30)); // trained on (and well) while the stop travelled

        // Trial 1 reached epoch 30, better than trial 2 will, but was stopped at 10: trial 2 is the first at the 30-epoch rung, and goes on.
        Report(ledger, limits, 2, Curve(2, 0.05, 1, 10));
        Assert.Null(Report(ledger, limits, 2, Curve(2, 0.3, 11, 30)));
    }

    [Fact]
    public void TheMedianRuleStopsATrialWorseThanTheMedianOfCompletedTrialsAfterTheGracePeriod()
    {
        var (ledger, limits) = Sweep(Specs.Of(100, EarlyStopping.Median(100, graceEpochs: 10, minCompleted: 3)), 6);
        Report(ledger, limits, 0, Curve(0, 0.1, 1, 100), new TrialEnd(TrialStatus.Completed, 100));
        Report(ledger, limits, 1, Curve(1, 0.2, 1, 100), new TrialEnd(TrialStatus.Completed, 100));

        Assert.Null(Report(ledger, limits, 3, Curve(3, 0.9, 1, 20))); // two completed trials are too few to judge
        Report(ledger, limits, 2, Curve(2, 0.3, 1, 100), new TrialEnd(TrialStatus.Completed, 100));
        Assert.Null(Report(ledger, limits, 4, Curve(4, 0.15, 1, 20)));
        var stopped = Assert.IsType<StopTrial>(Report(ledger, limits, 5, Curve(5, 0.6, 1, 20)));

        Assert.Equal(("median", 20), (stopped.Rule, stopped.Epoch));
        var median = 0.2 + 0.8 / 20;
        Assert.Equal($"median: best loss {0.6 + 0.4 / 20:G4} by epoch 20 is worse than the median {median:G4} of 3 completed trials", stopped.Reason);
    }

    [Fact]
    public void ATrialReachingTheStopWhenTargetEndsTheSweep()
    {
        var (ledger, limits) = Sweep(Specs.Of(100, stopWhen: new StopTarget(Loss: 0.2)), 1);
        IReadOnlyList<EpochReport> epochs = [new("t0", 1, 0.5, 0.1, 1), new("t0", 2, 0.19, 0.2, 1), new("t0", 3, 0.1, 0.3, 1)];

        var decision = Report(ledger, limits, 0, epochs);

        Assert.Equal(new EndSweep("stop_when", "stop_when: trial t0 reached loss 0.19 <= 0.2 at epoch 2"), decision);
    }

    [Fact]
    public void TheEpochBudgetEndsTheSweepOnceTheTrialsTrainedThatMany()
    {
        var (ledger, limits) = Sweep(Specs.Of(100, budget: new SweepBudget(MaxEpochsTotal: 10)), 2);

        Assert.Null(Report(ledger, limits, 0, Curve(0, 0.1, 1, 6)));
        var decision = Report(ledger, limits, 1, Curve(1, 0.1, 1, 4));

        Assert.Equal(new EndSweep("max_epochs_total", "max_epochs_total 10: the sweep's trials trained 10 epochs"), decision);
    }

    [Fact]
    public void TheTimeLimitEndsTheSweepOnlyWhileATrialIsUnfinished()
    {
        var (ledger, limits) = Sweep(Specs.Of(100, budget: new SweepBudget(TimeLimit: TimeSpan.FromMinutes(5))), 1);
        var started = new DateTimeOffset(2026, 11, 30, 0, 0, 0, TimeSpan.Zero);

        Assert.Null(limits.AtTick(ledger, started, started.AddMinutes(4)));
        Assert.Equal(new EndSweep("time_limit", "time_limit 00:05:00: the sweep ran that long"), limits.AtTick(ledger, started, started.AddMinutes(5)));
        ledger.Cancel(0);
        Assert.Null(limits.AtTick(ledger, started, started.AddMinutes(6)));
    }

    [Fact]
    public void MaxTrialsSkipsTheTrialsPastTheFirstN()
    {
        var limits = new SweepLimits(Specs.Of(10, budget: new SweepBudget(MaxTrials: 2)));
        var ledger = Trials.Ledger(5);

        limits.SkipOverMaxTrials(ledger);

        Assert.Equal([0, 1], ledger.Queued);
        Assert.Equal("max_trials 2: only the first 2 trials of the spec run", ledger[4].StopReason);
    }
}
