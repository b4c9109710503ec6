using SweepCluster.Abstractions.Sweeps;
using SweepCluster.Client.Output;

namespace SweepCluster.Client.Tests;

/// <summary>The live view's polls: quick while the first epochs are awaited and at the end, so neither waits a whole interval.</summary>
public sealed class PollScheduleTests
{
    private static readonly TimeSpan JustStarted = TimeSpan.FromMilliseconds(100);

    [Fact]
    public void ASweepWithoutEpochsYetIsPolledQuicklyForItsFirstSecondsOnly()
    {
        var waiting = Training(done: 0, total: 48_000, remaining: null);

        Assert.Equal(PollSchedule.Quick, PollSchedule.Next(waiting, JustStarted));
        Assert.Equal(PollSchedule.Interval, PollSchedule.Next(waiting, PollSchedule.QuickStart));
    }

    [Fact]
    public void ATrainingSweepIsPolledEveryIntervalUntilItsEstimateSaysItEndsWithinTwo()
    {
        Assert.Equal(PollSchedule.Interval, PollSchedule.Next(Training(done: 24_000, total: 48_000, remaining: TimeSpan.FromSeconds(1)), JustStarted));
        Assert.Equal(PollSchedule.Interval, PollSchedule.Next(Training(done: 40_000, total: 48_000, remaining: 2 * PollSchedule.Interval), JustStarted));
        Assert.Equal(PollSchedule.Quick, PollSchedule.Next(Training(done: 44_000, total: 48_000, remaining: TimeSpan.FromMilliseconds(400)), JustStarted));
    }

    [Fact]
    public void ASweepWithEveryEpochInButNotYetFinishedIsPolledQuickly()
    {
        // No estimate once every epoch is done: the trials' ends are still on their way.
        var lastEnds = Training(done: 48_000, total: 48_000, remaining: null);

        Assert.Equal(PollSchedule.Quick, PollSchedule.Next(lastEnds, TimeSpan.FromMinutes(10)));
    }

    private static SweepOverview Training(long done, long total, TimeSpan? remaining) =>
        SweepOutcomeTests.Overview("s", new() { [TrialStatus.Running] = 192 }, finished: false) with
        {
            EpochsDone = done,
            EpochsTotal = total,
            EstimatedRemaining = remaining,
        };
}
