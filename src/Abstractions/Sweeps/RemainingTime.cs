namespace SweepCluster.Abstractions.Sweeps;

/// <summary>A sweep's estimated time left, extrapolated from the epochs done so far.</summary>
public static class RemainingTime
{
    /// <summary>
    /// Null until an epoch is done, once all are, and when the estimate is beyond any <see cref="TimeSpan"/> (a sweep
    /// of 10^12 planned epochs after one done): computed in doubles, as <c>elapsed * ratio</c> would overflow.
    /// </summary>
    public static TimeSpan? Estimate(TimeSpan elapsed, long done, long total)
    {
        if (done <= 0 || done >= total)
        {
            return null;
        }

        var seconds = Math.Max(0, elapsed.TotalSeconds) * ((double)(total - done) / done);
        return seconds < TimeSpan.MaxValue.TotalSeconds / 2 ? TimeSpan.FromSeconds(seconds) : null;
    }
}
