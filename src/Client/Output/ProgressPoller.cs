using SweepCluster.Abstractions.Sweeps;

namespace SweepCluster.Client.Output;

/// <summary>
/// Asks a sweep for its progress, riding out the seconds a cluster needs to notice a dead silo and bring the
/// sweep back elsewhere: meanwhile it keeps the last progress and says once that it is waiting. Only a silence
/// longer than <see cref="GiveUpAfter"/> ends the watching (the sweep itself goes on).
/// </summary>
internal sealed class ProgressPoller(ISweepGrain sweep, Action<string> say)
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan GiveUpAfter = TimeSpan.FromMinutes(5);

    private DateTimeOffset? _unreachableSince;

    public async Task<SweepProgress> RefreshAsync(SweepProgress last)
    {
        try
        {
            var progress = await sweep.GetProgressAsync().WaitAsync(CallTimeout) ?? last;
            if (_unreachableSince is not null)
            {
                say("the sweep answers again");
                _unreachableSince = null;
            }

            return progress;
        }
        catch (Exception e) when (e is TimeoutException or OrleansException)
        {
            var now = DateTimeOffset.UtcNow;
            if (_unreachableSince is null)
            {
                _unreachableSince = now;
                say($"the sweep does not answer ({e.GetType().Name}); a silo may have died: waiting for the cluster to recover");
            }
            else if (now - _unreachableSince > GiveUpAfter)
            {
                throw new UserException(
                    $"the sweep has not answered for {GiveUpAfter.TotalMinutes:F0} minutes; it goes on if the cluster recovers: ./sweep watch {sweep.GetPrimaryKeyString()}");
            }

            return last;
        }
    }
}
