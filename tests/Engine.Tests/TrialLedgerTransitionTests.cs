using SweepCluster.Abstractions.Sweeps;

namespace SweepCluster.Engine.Tests;

/// <summary>Status changes keep the ledger's counts, sets and epoch totals in step without recounting.</summary>
public sealed class TrialLedgerTransitionTests
{
    /// <summary>The maintained numbers must equal what a recount of the records says.</summary>
    private static void AssertConsistent(TrialLedger ledger)
    {
        var records = Enumerable.Range(0, ledger.Count).Select(i => (Index: i, Record: ledger[i])).ToList();
        Assert.Equal(
            records.GroupBy(r => r.Record.Status).ToDictionary(g => g.Key, g => g.Count()).OrderBy(p => p.Key),
            ledger.Counts.OrderBy(p => p.Key));
        Assert.Equal(records.Where(r => r.Record.Status == TrialStatus.Queued).Select(r => r.Index), ledger.Queued);
        Assert.Equal(records.Where(r => r.Record.Status == TrialStatus.Running).Select(r => r.Index), ledger.Running);
        Assert.Equal(records.Sum(r => (long)r.Record.Epochs), ledger.EpochsApplied);
        Assert.Equal(
            records.Sum(r => (long)(r.Record.Status.IsFinished() ? ledger.Planned(r.Index).Config.Epochs : r.Record.Epochs)),
            ledger.EpochsDone);
    }

    [Fact]
    public void CountsSetsAndEpochTotalsFollowEveryTransition()
    {
        var ledger = Trials.Ledger(6, epochs: 10);
        Assert.Equal(60, ledger.EpochsTotal);
        Assert.Equal(6, ledger.Counts[TrialStatus.Queued]);

        ledger.Started(0, Trials.SiloA);
        ledger.Started(1, Trials.SiloA);
        ledger.Started(2, Trials.SiloB);
        ledger.Report(0, Trials.Epochs(0, 1, 4));
        ledger.Report(1, Trials.Epochs(1, 1, 10), new TrialEnd(TrialStatus.Completed, 10));
        ledger.Report(2, Trials.Epochs(2, 1, 3));
        ledger.Stop(2, "median: behind", 3);
        ledger.Skip(5, "max_trials 5: only the first 5 trials of the spec run");
        AssertConsistent(ledger);

        Assert.Equal([0], ledger.Running);
        Assert.Equal([3, 4], ledger.Queued);
        Assert.Equal([2], ledger.AwaitingEnd);
        Assert.Equal(4 + 10 + 10 + 10, ledger.EpochsDone); // stopped and skipped count as done
        Assert.Equal(17, ledger.EpochsApplied);
        Assert.Equal((1, 1, 1, 2, 1), (ledger.Counts[TrialStatus.Running], ledger.Counts[TrialStatus.Completed], ledger.Counts[TrialStatus.Stopped],
            ledger.Counts[TrialStatus.Queued], ledger.Counts[TrialStatus.Skipped]));

        ledger.ReturnToQueue(0);
        ledger.Cancel(3);
        ledger.Unschedulable(4, "needs a cuda silo");
        AssertConsistent(ledger);
        Assert.Equal([0], ledger.Queued);
        Assert.Equal(4, ledger[0].Epochs); // it resumes from there
        Assert.False(ledger.AllFinished);
    }

    [Fact]
    public void ATrialThatLosesItsSiloThreeTimesFails()
    {
        var ledger = Trials.Ledger(1);
        for (var loss = 1; loss <= 2; loss++)
        {
            ledger.Started(0, Trials.SiloA);
            ledger.Report(0, Trials.Epochs(0, loss, loss));
            ledger.SiloLost(0);
            Assert.Equal(TrialStatus.Queued, ledger[0].Status);
            Assert.Equal(loss, ledger[0].SiloLosses);
        }

        ledger.Started(0, Trials.SiloB);
        ledger.SiloLost(0);

        Assert.Equal(TrialStatus.Failed, ledger[0].Status);
        Assert.Equal("lost its silo 3 times", ledger[0].Error);
        Assert.True(ledger.AllFinished);
        Assert.Equal(new ReportAck(2, false, true), ledger.Ack(0));
        AssertConsistent(ledger);
    }

    [Fact]
    public void RequeueGivesFailedCancelledAndUnschedulableTrialsAFreshStartAndLeavesTheRest()
    {
        var ledger = Trials.Ledger(5);
        ledger.Started(0, Trials.SiloA);
        ledger.Report(0, Trials.Epochs(0, 1, 3), new TrialEnd(TrialStatus.Failed, 3, Error: "out of memory"));
        ledger.Cancel(1);
        ledger.Unschedulable(2, "needs a cuda silo");
        ledger.Started(3, Trials.SiloA);
        ledger.Report(3, Trials.Epochs(3, 1, 20), new TrialEnd(TrialStatus.Completed, 20));
        ledger.Skip(4, "stop_when");

        Assert.Equal(3, ledger.RequeueUnfinished());

        Assert.Equal([0, 1, 2], ledger.Queued);
        Assert.Equal((0, null, null, 0), (ledger[0].Epochs, ledger[0].Error, ledger[0].LastLoss, ledger[0].SiloLosses));
        Assert.Null(ledger[2].Error);
        Assert.Equal(TrialStatus.Completed, ledger[3].Status);
        Assert.Equal(TrialStatus.Skipped, ledger[4].Status);
        AssertConsistent(ledger);
    }

    [Fact]
    public void EndingTheSweepStopsRunningTrialsAtTheirEpochsAndSkipsQueuedOnes()
    {
        var ledger = Trials.Ledger(4);
        ledger.Started(0, Trials.SiloA);
        ledger.Report(0, Trials.Epochs(0, 1, 7));
        ledger.Started(1, Trials.SiloA);

        var stopped = ledger.EndSweep("time_limit 00:01:00: the sweep ran that long");

        Assert.Equal([0, 1], stopped);
        Assert.Equal((TrialStatus.Stopped, 7, true), (ledger[0].Status, ledger[0].StopEpoch!.Value, ledger[0].AwaitingEnd));
        Assert.Equal(TrialStatus.Skipped, ledger[2].Status);
        Assert.Equal("time_limit 00:01:00: the sweep ran that long", ledger[3].StopReason);
        Assert.True(ledger.AllFinished);
        AssertConsistent(ledger);
    }

    [Fact]
    public void AStoppedTrialWhoseEndIsLostStaysStoppedAndEnds()
    {
        var ledger = Trials.Ledger(1);
        ledger.Started(0, Trials.SiloA);
        ledger.Report(0, Trials.Epochs(0, 1, 5));
        ledger.Stop(0, "asha", 5);
        Assert.Empty(ledger.EndLog);

        ledger.EndLost(0);

        Assert.Equal(TrialStatus.Stopped, ledger[0].Status);
        Assert.Empty(ledger.AwaitingEnd);
        Assert.Equal([0], ledger.EndLog.Select(e => e.Index));
        Assert.True(ledger.Ack(0).Done);
    }

    [Fact]
    public void ATrialFoundFinishedTakesItsNumbersFromTheStoredCurve()
    {
        var ledger = Trials.Ledger(2);
        var curve = new TrialCurve("t0", [0.5, 0.4, 0.45], [0.1, 0.2, 0.3], [1, 2, 3]);

        ledger.ApplyFinished(0, new TrialEnd(TrialStatus.Stopped, 3), curve); // reused at its start: keeps that end
        ledger.Started(1, Trials.SiloA);
        ledger.Report(1, Trials.Epochs(1, 1, 2));
        ledger.ApplyFinished(1, new TrialEnd(TrialStatus.Stopped, 3), curve with { TrialId = "t1" }); // the watchdog: another sweep stopped it

        Assert.Equal((TrialStatus.Stopped, 3, 0.4, 0.45, 6.0), (ledger[0].Status, ledger[0].Epochs, ledger[0].BestLoss!.Value, ledger[0].LastLoss!.Value, ledger[0].Seconds));
        Assert.Equal((TrialStatus.Queued, 3), (ledger[1].Status, ledger[1].Epochs));
        AssertConsistent(ledger);
    }

    [Fact]
    public void TrialsAreFoundByIdAndEveryChangeBumpsTheVersion()
    {
        var ledger = Trials.Ledger(3);
        var version = ledger.Version;

        ledger.Started(ledger.IndexOf("t2")!.Value, Trials.SiloA);

        Assert.Null(ledger.IndexOf("t9"));
        Assert.Equal(TrialStatus.Running, ledger[2].Status);
        Assert.True(ledger.Version > version);
    }
}
