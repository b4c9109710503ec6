using SweepCluster.Abstractions.Sweeps;

namespace SweepCluster.Client.Output;

/// <summary>
/// When the live view asks for the next overview: every <see cref="Interval"/> while a sweep trains, but every
/// <see cref="Quick"/> while its first epochs are awaited (during the first <see cref="QuickStart"/> of watching) and once
/// the sweep is about to end (its estimate is under two intervals, or every epoch is in), so the first epochs and the end
/// show within ~50 ms rather than up to 250 ms. A poll costs the sweep about a millisecond; the quick ones are few.
/// </summary>
public static class PollSchedule
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);
    public static readonly TimeSpan Quick = TimeSpan.FromMilliseconds(50);

    /// <summary>A sweep queued behind others may wait long for its first epoch: after this, it is polled as usual.</summary>
    public static readonly TimeSpan QuickStart = TimeSpan.FromSeconds(3);

    /// <summary>The wait before the poll after <paramref name="overview"/>, <paramref name="watching"/> after the watching began.</summary>
    public static TimeSpan Next(SweepOverview overview, TimeSpan watching)
    {
        var awaitingFirstEpochs = overview.EpochsDone == 0 && watching < QuickStart;
        var ending = overview.EpochsDone >= overview.EpochsTotal || overview.EstimatedRemaining < 2 * Interval;
        return awaitingFirstEpochs || ending ? Quick : Interval;
    }
}
