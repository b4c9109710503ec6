using SweepCluster.Abstractions.Sweeps;
using SweepCluster.Client.Output;

namespace SweepCluster.Client.Tests;

/// <summary>The plain view's lines, from the overviews a poll gets (each with the trials that ended since the last).</summary>
public sealed class QuietProgressTests
{
    [Fact]
    public void EachTrialThatEndedSinceTheLastOverviewGetsOneLineNumberedOverTheWholeSweep()
    {
        var start = SweepOutcomeTests.Overview("s", new() { [TrialStatus.Completed] = 2, [TrialStatus.Running] = 2, [TrialStatus.Queued] = 6 }, finished: false) with
        {
            Ended = [Ended("old", TrialStatus.Completed)],
        };
        var progress = new QuietProgress(start);
        var next = start with
        {
            Version = 2,
            Ended = [Ended("t3", TrialStatus.Completed, 0.123456, 0.975), Ended("t4", TrialStatus.Failed)],
        };

        Assert.Equal(
            [
                "[3/10] t3 completed after 250 epochs, final loss 0.1235, test acc 97.5 %",
                "[4/10] t4 failed after 250 epochs, final loss -, test acc -",
            ],
            progress.Lines(next).ToList());
        Assert.Empty(progress.Lines(start with { Version = 3, Ended = [] }));
        Assert.Equal(["[5/10] t5 stopped after 250 epochs, final loss 0.5000, test acc -"], progress.Lines(start with { Ended = [Ended("t5", TrialStatus.Stopped, 0.5)] }).ToList());
    }

    [Fact]
    public void ASweepRankedByAnotherMetricShowsItOnEachLine()
    {
        var start = SweepOutcomeTests.Overview("s", new() { [TrialStatus.Running] = 2 }, finished: false) with
        {
            Metric = new SweepMetric(MetricName.ValLoss, MetricGoal.Minimize),
        };
        var progress = new QuietProgress(start);

        var lines = progress.Lines(start with { Ended = [Ended("t1", TrialStatus.Completed, 0.25, 0.9) with { FinalMetric = 0.3125 }] }).ToList();

        Assert.Equal(["[1/2] t1 completed after 250 epochs, final loss 0.2500, final val_loss 0.3125, test acc 90.0 %"], lines);
        var byAccuracy = start with { Metric = new SweepMetric(MetricName.ValAccuracy, MetricGoal.Maximize) };
        var line = new QuietProgress(byAccuracy).Lines(byAccuracy with { Ended = [Ended("t2", TrialStatus.Completed, 0.25, 0.9) with { FinalMetric = 0.875 }] }).Single();
        Assert.Contains("final val_acc 87.5 %,", line);
    }

    [Fact]
    public void TrialsTheOverviewLeftOutAreCountedInOneLine()
    {
        var progress = new QuietProgress(SweepOutcomeTests.Overview("s", new() { [TrialStatus.Queued] = 1000 }, finished: false));
        var burst = SweepOutcomeTests.Overview("s", new() { [TrialStatus.Completed] = 300, [TrialStatus.Queued] = 700 }, finished: false) with
        {
            Ended = [Ended("t1", TrialStatus.Completed, 0.5, 0.5)],
            EndedOmitted = 299,
        };

        var lines = progress.Lines(burst).ToList();

        Assert.Equal("[1/1000] t1 completed after 250 epochs, final loss 0.5000, test acc 50.0 %", lines[0]);
        Assert.Equal("[300/1000] and 299 more trials ended meanwhile (not listed here; results.csv has them)", lines[1]);
    }

    [Fact]
    public void TheSummaryCountsEveryStatusThereIs()
    {
        var overview = SweepOutcomeTests.Overview(
            "s", new() { [TrialStatus.Completed] = 5, [TrialStatus.Running] = 2, [TrialStatus.Queued] = 0, [TrialStatus.Failed] = 1, [TrialStatus.Skipped] = 2 }, finished: false)
            with { EstimatedRemaining = TimeSpan.FromSeconds(3725) };

        Assert.Equal("5 completed, 2 running, 0 queued, 1 failed, 2 skipped of 10; epochs 10/20, ~01:02:05 left", QuietProgress.Summary(overview));
    }

    private static TrialSummary Ended(string id, TrialStatus status, double? finalLoss = null, double? testAccuracy = null) =>
        ResultsWriterTests.Summary(id, "v", 0, [], status, 250, finalLoss, null, null, null, testAccuracy, 1);
}
