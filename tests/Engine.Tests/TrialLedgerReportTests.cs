using SweepCluster.Abstractions.Sweeps;

namespace SweepCluster.Engine.Tests;

/// <summary>The report path: every epoch applied once by number, ends only after their epochs, verdicts on the ack.</summary>
public sealed class TrialLedgerReportTests
{
    private static TrialLedger Running(int count = 1)
    {
        var ledger = Trials.Ledger(count);
        for (var i = 0; i < count; i++)
        {
            ledger.Started(i, Trials.SiloA);
        }

        return ledger;
    }

    [Fact]
    public void TheSameBatchSentTwiceIsAppliedOnce()
    {
        var ledger = Running();
        var batch = Trials.Epochs(0, 1, 3);

        Assert.Equal(new ReportAck(3, false, false), ledger.Report(0, batch));
        var version = ledger.Version;
        var again = ledger.Accept(0, new TrialReport("t0", batch));

        Assert.Empty(again.NewEpochs);
        Assert.False(again.Gap);
        Assert.Equal(new ReportAck(3, false, false), ledger.Report(0, batch));
        Assert.Equal(version, ledger.Version);
        Assert.Equal(1.5, ledger[0].Seconds);
        Assert.Equal(3, ledger.EpochsApplied);
    }

    [Fact]
    public void AnOverlappingBatchAppliesOnlyItsNewEpochs()
    {
        var ledger = Running();
        ledger.Report(0, Trials.Epochs(0, 1, 3));

        var intake = ledger.Accept(0, new TrialReport("t0", Trials.Epochs(0, 2, 6)));

        Assert.Equal([4, 5, 6], intake.NewEpochs.Select(e => e.Epoch));
        ledger.Apply(0, intake.NewEpochs, null);
        Assert.Equal(6, ledger[0].Epochs);
        Assert.Equal(3.0, ledger[0].Seconds);
        Assert.Equal(1.0 / 6, ledger[0].LastLoss);
    }

    [Fact]
    public void AReportPastTheNextEpochIsAGapThatChangesNothing()
    {
        var ledger = Running();
        ledger.Report(0, Trials.Epochs(0, 1, 3));
        var version = ledger.Version;

        var intake = ledger.Accept(0, new TrialReport("t0", Trials.Epochs(0, 5, 7)));
        var ack = ledger.Report(0, Trials.Epochs(0, 5, 7));

        Assert.True(intake.Gap);
        Assert.Empty(intake.NewEpochs);
        Assert.Equal(3, ack.AppliedThrough);
        Assert.Equal(version, ledger.Version);
    }

    [Fact]
    public void AnEndAheadOfItsEpochsWaitsForThem()
    {
        var ledger = Running();
        ledger.Report(0, Trials.Epochs(0, 1, 3));

        var early = ledger.Report(0, [], new TrialEnd(TrialStatus.Completed, 5, TestLoss: 0.2));

        Assert.Equal(new ReportAck(3, false, false), early);
        Assert.Equal(TrialStatus.Running, ledger[0].Status);
        Assert.Null(ledger[0].TestLoss);

        var done = ledger.Report(0, Trials.Epochs(0, 4, 5), new TrialEnd(TrialStatus.Completed, 5, TestLoss: 0.2, TestAccuracy: 0.9));

        Assert.Equal(new ReportAck(5, false, true), done);
        Assert.Equal(TrialStatus.Completed, ledger[0].Status);
        Assert.Equal((0.2, 0.9), (ledger[0].TestLoss, ledger[0].TestAccuracy));
    }

    [Fact]
    public void AnEndSentAgainAfterItWasAppliedChangesNothingAndStaysDone()
    {
        var ledger = Running();
        var end = new TrialEnd(TrialStatus.Completed, 4);
        ledger.Report(0, Trials.Epochs(0, 1, 4), end);
        var version = ledger.Version;

        Assert.Equal(new ReportAck(4, false, true), ledger.Report(0, Trials.Epochs(0, 1, 4), end));
        Assert.Equal(version, ledger.Version);
        Assert.Single(ledger.EndLog);
    }

    [Fact]
    public void AStopRidesOnTheAckAndTheRunIsDoneOnlyOnceItsEndCame()
    {
        var ledger = Running();
        ledger.Report(0, Trials.Epochs(0, 1, 4));
        ledger.Stop(0, "asha: behind", 4);

        Assert.Equal(new ReportAck(4, true, false), ledger.Ack(0));
        Assert.Equal(new ReportAck(6, true, false), ledger.Report(0, Trials.Epochs(0, 5, 6))); // trained on while the stop travelled
        Assert.Equal(new ReportAck(6, true, true), ledger.Report(0, [], new TrialEnd(TrialStatus.Stopped, 6)));
        Assert.Equal(("asha: behind", 4), (ledger[0].StopReason, ledger[0].StopEpoch));
        Assert.Equal(TrialStatus.Stopped, ledger.Summarise(0).Status);
    }

    [Fact]
    public void ATrialStoppedByAnotherSweepGoesBackToTheQueueWithItsEpochs()
    {
        var ledger = Running();

        var ack = ledger.Report(0, Trials.Epochs(0, 1, 4), new TrialEnd(TrialStatus.Stopped, 4));

        Assert.Equal(TrialStatus.Queued, ledger[0].Status);
        Assert.Equal(4, ledger[0].Epochs);
        Assert.Null(ledger[0].Silo);
        Assert.True(ack.Done); // that run is over; starting it again is a new one
        Assert.Equal([0], ledger.Queued);
    }

    [Fact]
    public void ATrialQueuedAgainThatStillReportsKeepsItsReporterUntilItsEndIsTaken()
    {
        // The watchdog queued it (its ping reached another activation while the cluster settled), yet it trains on:
        // its epochs are the sweep's only copy, so its reporter must not be told the sweep is done with it.
        var ledger = Running();
        ledger.Report(0, Trials.Epochs(0, 1, 4));
        ledger.SiloLost(0);

        var ack = ledger.Report(0, Trials.Epochs(0, 5, 8));

        Assert.Equal(new ReportAck(8, false, false), ack);
        Assert.Equal(TrialStatus.Queued, ledger[0].Status);
        Assert.Equal(new ReportAck(10, false, true), ledger.Report(0, Trials.Epochs(0, 9, 10), new TrialEnd(TrialStatus.Completed, 10, 0.1, 0.9)));
        Assert.Equal(TrialStatus.Completed, ledger[0].Status);
        Assert.Empty(ledger.Queued);
    }

    [Fact]
    public void AnEndedTrialTakesNoMoreEpochs()
    {
        var ledger = Running();
        ledger.Report(0, Trials.Epochs(0, 1, 2), new TrialEnd(TrialStatus.Failed, 2, Error: "boom"));

        Assert.Empty(ledger.Accept(0, new TrialReport("t0", Trials.Epochs(0, 3, 4))).NewEpochs);
        Assert.Equal(new ReportAck(2, false, true), ledger.Report(0, Trials.Epochs(0, 3, 4), new TrialEnd(TrialStatus.Completed, 4)));
        Assert.Equal(TrialStatus.Failed, ledger[0].Status);
    }

    [Fact]
    public void TheSummaryHasTheCurvesNumbersWithoutKeepingTheCurve()
    {
        var ledger = Running();
        List<EpochReport> curve =
            [.. Enumerable.Range(1, 37).Select(e => new EpochReport("t0", e, e == 20 ? double.NaN : 1.0 / e + (e % 3) * 0.01, e / 40.0, 0.25 * e))];
        ledger.Report(0, curve[..11]);
        ledger.Report(0, curve[11..]);

        var running = ledger.Summarise(0);
        ledger.Report(0, [], new TrialEnd(TrialStatus.Completed, 37, 0.3, 0.8));
        var ended = ledger.Summarise(0);

        foreach (var summary in new[] { running, ended })
        {
            Assert.Equal(37, summary.Epochs);
            Assert.Equal(curve[^1].Loss, summary.LastLoss);
            Assert.Equal(curve.Min(e => e.Loss), summary.BestLoss); // NaN, as the old summary from the whole curve said
            Assert.Equal(curve[^1].Accuracy, summary.LastAccuracy);
            Assert.Equal(CurveStatistics.FinalLoss(curve), summary.FinalLoss);
            Assert.Equal(curve.Sum(e => e.Seconds), summary.Seconds);
            Assert.Equal("127.0.0.1:11111", summary.Silo);
        }

        Assert.Empty(ledger[0].RecentLosses); // ended: only its final loss is kept
        Assert.Equal(curve.Where(e => double.IsFinite(e.Loss)).Min(e => e.Loss), ledger[0].FiniteBest); // what the rules compare
    }
}
