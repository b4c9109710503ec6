using SweepCluster.Abstractions.Sweeps;

namespace SweepCluster.Engine.Tests;

/// <summary>
/// A sweep's chosen metric in the engine: the stopping rules, stop_when, the summaries and the ranking judge it (with its
/// goal), not the training loss; epochs without a measurement keep the latest one.
/// </summary>
public sealed class MetricTests
{
    private static readonly SweepMetric ValLoss = new(MetricName.ValLoss, MetricGoal.Minimize);
    private static readonly SweepMetric ValAccuracy = new(MetricName.ValAccuracy, MetricGoal.Maximize);

    /// <summary>
    /// Epochs <paramref name="from"/>..<paramref name="to"/>: training loss falling towards <paramref name="trainFloor"/>;
    /// every <paramref name="every"/>th epoch validated, with a held-out loss of <paramref name="valLoss"/> and accuracy 1 - it.
    /// </summary>
    private static List<EpochReport> Curve(int trial, double trainFloor, double valLoss, int from, int to, int every) =>
        [
            .. Enumerable.Range(from, to - from + 1).Select(e => new EpochReport(
                $"t{trial}", e, trainFloor + 1.0 / e, 0.5, 1, e % every == 0 ? valLoss : null, e % every == 0 ? 1 - valLoss : null)),
        ];

    private static (TrialLedger Ledger, SweepLimits Limits) Sweep(SweepSpec spec, int trials)
    {
        var limits = new SweepLimits(spec);
        var ledger = new TrialLedger(Trials.Plan(trials, spec.Epochs), limits.JudgedEpochs, spec.Objective);
        for (var i = 0; i < trials; i++)
        {
            ledger.Started(i, Trials.SiloA);
        }

        return (ledger, limits);
    }

    private static LimitDecision? Report(TrialLedger ledger, SweepLimits limits, int trial, IReadOnlyList<EpochReport> epochs)
    {
        var intake = ledger.Accept(trial, new TrialReport($"t{trial}", epochs));
        ledger.Apply(trial, intake.NewEpochs, null);
        var decision = limits.AfterEpochs(ledger, trial, intake.NewEpochs);
        if (decision is StopTrial stop)
        {
            ledger.Stop(trial, stop.Reason, stop.Epoch);
        }

        return decision;
    }

    [Theory]
    [InlineData(null)]
    [InlineData("val_loss")]
    [InlineData("val_acc")]
    public void AshaStopsTheOverfittingTrialByItsMetricAndTheOtherByTrainingLoss(string? metric)
    {
        // Trial 0 trains worse but generalises better than trial 1 (which overfits: low training loss, high held-out loss).
        var chosen = metric is null ? null : new SweepMetric(SweepMetric.ParseName(metric), SweepMetric.NaturalGoal(SweepMetric.ParseName(metric)));
        var spec = Specs.Of(100, EarlyStopping.Asha(100, minEpochs: 10, eta: 2)) with { Metric = chosen, ValidateEvery = 5 };
        var (ledger, limits) = Sweep(spec, 2);

        Assert.Null(Report(ledger, limits, 0, Curve(0, trainFloor: 0.5, valLoss: 0.3, 1, 10, every: 5))); // first at the rung
        var decision = Report(ledger, limits, 1, Curve(1, trainFloor: 0.1, valLoss: 0.6, 1, 10, every: 5));

        if (metric is null)
        {
            Assert.Null(decision); // by training loss trial 1 is the better one
            return;
        }

        var stop = Assert.IsType<StopTrial>(decision);
        Assert.StartsWith($"asha: best {metric} {(metric == "val_loss" ? 0.6 : 0.4):G4} ranks 2 of 2", stop.Reason);
    }

    [Fact]
    public void TheRulesJudgeAtValidatedEpochsAndKeepTheLatestMeasurementBetween()
    {
        // Rungs 10, 30, 90 move up to the next multiple of validate_every (4): 12, 32, 92.
        var spec = Specs.Of(100, EarlyStopping.Asha(100, minEpochs: 10, eta: 3)) with { Metric = ValLoss, ValidateEvery = 4 };
        Assert.Equal([12, 32, 92], new SweepLimits(spec).JudgedEpochs);
        Assert.Equal([10, 30, 90], new SweepLimits(spec with { Metric = null }).JudgedEpochs); // training loss: every epoch is measured

        // Between validations the ledger's running best is the latest measurement's (epochs 5-7 hold epoch 4's).
        var (ledger, _) = Sweep(spec, 1);
        ledger.Report(0, Curve(0, 0.1, 0.4, 1, 7, every: 4));
        Assert.Equal(0.4, ledger[0].FiniteBest);
        Assert.Equal(0.4, ledger.Summarise(0).FinalMetric);
        Assert.Equal(0.4, ledger.Summarise(0).BestMetric);
    }

    [Fact]
    public void AMaximizedMetricRanksTheHighestFirstAndKeepsItsValuesThroughAChunkRestore()
    {
        var judged = new SweepLimits(Specs.Of(20)).JudgedEpochs;
        var plan = Trials.Plan(3, 20);
        var ledger = new TrialLedger(plan, judged, ValAccuracy);
        double[] valLosses = [0.3, 0.1, 0.2]; // val acc 0.7, 0.9, 0.8
        double[] trainFloors = [0.0, 0.5, 0.2]; // by final loss: t0, t2, t1
        for (var i = 0; i < 3; i++)
        {
            ledger.Started(i, Trials.SiloA);
            ledger.Report(i, Curve(i, trainFloors[i], valLosses[i], 1, 20, every: 5), new TrialEnd(TrialStatus.Completed, 20));
        }

        var summaries = Enumerable.Range(0, 3).Select(ledger.Summarise).ToList();
        Assert.Equal(["v1", "v2", "v0"], ConfigurationRanking.Rank(summaries, ValAccuracy).Select(r => r.Variant));
        Assert.Equal(["v0", "v2", "v1"], ConfigurationRanking.Rank(summaries).Select(r => r.Variant)); // by final loss
        Assert.Equal(0.9, summaries[1].FinalMetric!.Value, 12);
        Assert.Equal(0.9, summaries[1].BestMetric!.Value, 12);

        var restored = TrialLedger.Restore(plan, judged, ledger.TakeDirtyChunks(), ValAccuracy);
        Assert.Equal(summaries, Enumerable.Range(0, 3).Select(restored.Summarise));
    }

    [Fact]
    public void StopWhenAValidationTargetEndsTheSweepOnlyAtAValidatedEpoch()
    {
        var spec = Specs.Of(100, stopWhen: new StopTarget(ValLoss: 0.25)) with { Metric = ValLoss, ValidateEvery = 5 };
        var (ledger, limits) = Sweep(spec, 1);

        Assert.Null(Report(ledger, limits, 0, Curve(0, 0.0, 0.3, 1, 9, every: 5)));
        var end = Assert.IsType<EndSweep>(Report(ledger, limits, 0, Curve(0, 0.0, 0.2, 10, 12, every: 5)));

        Assert.Equal("stop_when: trial t0 reached val_loss 0.2 <= 0.25 at epoch 10", end.Reason);
    }
}
