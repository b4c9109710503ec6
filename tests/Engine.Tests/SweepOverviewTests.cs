using SweepCluster.Abstractions.Sweeps;

namespace SweepCluster.Engine.Tests;

/// <summary>The live view: bounded by the screen, and asking only for what ended since the version it last saw.</summary>
public sealed class SweepOverviewTests
{
    private static readonly DateTimeOffset Started = new(2026, 11, 30, 0, 0, 0, TimeSpan.Zero);

    private static SweepOverview Overview(TrialLedger ledger, long since = 0, int top = 10, DateTimeOffset? now = null, DateTimeOffset? finished = null) =>
        SweepOverviews.Build("s1", "spec", ledger, Started, null, finished, since, top, now ?? Started.AddMinutes(1));

    private static void Complete(TrialLedger ledger, int index, double scale = 1)
    {
        ledger.Started(index, Trials.SiloA);
        ledger.Report(index, Trials.Epochs(index, 1, 20, scale), new TrialEnd(TrialStatus.Completed, 20, 0.1, 0.9));
    }

    [Fact]
    public void OnlyTrialsThatEndedAfterTheCallersVersionComeBack()
    {
        var ledger = Trials.Ledger(5);
        Complete(ledger, 0);
        Complete(ledger, 1);
        var first = Overview(ledger);

        Complete(ledger, 3);
        Complete(ledger, 2);
        var second = Overview(ledger, first.Version);

        Assert.Equal(["t0", "t1"], first.Ended.Select(t => t.Trial.Id));
        Assert.Equal(["t3", "t2"], second.Ended.Select(t => t.Trial.Id)); // in the order they ended
        Assert.Equal(0, second.EndedOmitted);
        Assert.Empty(Overview(ledger, second.Version).Ended);
    }

    [Fact]
    public void AtMostTheLatest200EndedTrialsComeBackAndTheRestAreCounted()
    {
        var ledger = Trials.Ledger(250, epochs: 1);
        for (var i = 0; i < 250; i++)
        {
            ledger.Started(i, Trials.SiloA);
            ledger.Report(i, Trials.Epochs(i, 1, 1), new TrialEnd(TrialStatus.Completed, 1));
        }

        var overview = Overview(ledger);

        Assert.Equal(Enumerable.Range(50, 200).Select(i => $"t{i}"), overview.Ended.Select(t => t.Trial.Id));
        Assert.Equal(50, overview.EndedOmitted);
    }

    [Fact]
    public void ATrialThatEndedAgainIsListedOnceAtItsLatestEnd()
    {
        var ledger = Trials.Ledger(2);
        ledger.Started(0, Trials.SiloA);
        ledger.Report(0, Trials.Epochs(0, 1, 2), new TrialEnd(TrialStatus.Failed, 2, Error: "boom"));
        Complete(ledger, 1);
        ledger.Requeue(0);
        Complete(ledger, 0);

        var overview = Overview(ledger);

        Assert.Equal([("t1", TrialStatus.Completed), ("t0", TrialStatus.Completed)], overview.Ended.Select(t => (t.Trial.Id, t.Status)));
    }

    [Fact]
    public void CountsEpochsAndRunningTrialsAreThoseOfTheLedger()
    {
        var ledger = Trials.Ledger(30, epochs: 10);
        for (var i = 0; i < 20; i++)
        {
            ledger.Started(i, Trials.SiloA);
            ledger.Report(i, Trials.Epochs(i, 1, 5));
        }

        var overview = Overview(ledger, now: Started.AddMinutes(10));

        Assert.Equal((30, 20, 10), (overview.Trials, overview.Count(TrialStatus.Running), overview.Count(TrialStatus.Queued)));
        Assert.Equal((100, 300), (overview.EpochsDone, overview.EpochsTotal));
        Assert.Equal(TimeSpan.FromMinutes(20), overview.EstimatedRemaining);
        Assert.Equal(Enumerable.Range(0, 12).Select(i => $"t{i}"), overview.Running.Select(t => t.Trial.Id));
        Assert.Equal(ledger.Version, overview.Version);
        var listing = SweepOverviews.Listing("s1", "spec", ledger, Started, null, Started.AddMinutes(10));
        Assert.Equal(
            new SweepListing("s1", "spec", Started, null, 30, overview.Counts, 100, 300, Metric: SweepMetric.Default),
            listing with { Counts = overview.Counts, Leaders = null });
        Assert.Equal(Overview(ledger, top: SweepOverviews.LeadersListed, now: Started.AddMinutes(10)).Leaders, listing.Leaders);
        Assert.Equal(SweepOverviews.LeadersListed, listing.Leaders!.Count);
    }

    [Fact]
    public void TheLeaderboardIsRankedAtMostOnceASecondWhileTheSweepRunsAndAtOnceWhenItFinished()
    {
        var ledger = Trials.Ledger(3);
        Complete(ledger, 0, scale: 2);
        var now = Started.AddMinutes(1);
        Assert.Equal(["v0", "v1", "v2"], Overview(ledger, now: now).Leaders.Select(r => r.Variant)); // queued ones rank last

        Complete(ledger, 1, scale: 1);
        var soon = Overview(ledger, now: now.AddMilliseconds(250));
        var later = Overview(ledger, top: 1, now: now.AddSeconds(1));
        Complete(ledger, 2, scale: 0.5);
        var finished = Overview(ledger, now: now.AddSeconds(1.1), finished: now.AddSeconds(1.1));

        Assert.Equal(["v0", "v1", "v2"], soon.Leaders.Select(r => r.Variant)); // the ranking of a quarter second ago
        Assert.Equal(["v1"], later.Leaders.Select(r => r.Variant));
        Assert.Equal(["v2", "v1", "v0"], finished.Leaders.Select(r => r.Variant));
    }
}
