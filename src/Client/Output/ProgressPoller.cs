using SweepCluster.Abstractions.Sweeps;

namespace SweepCluster.Client.Output;

/// <summary>
/// Asks a sweep for its overview (only what changed since the last one), riding out the seconds a cluster needs to
/// notice a dead silo and bring the sweep back elsewhere: meanwhile it keeps the last overview and says once that it
/// is waiting. Only a silence longer than <see cref="GiveUpAfter"/> ends the watching (the sweep itself goes on).
/// </summary>
internal sealed class ProgressPoller(ISweepGrain sweep, int top, Action<string> say)
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan GiveUpAfter = TimeSpan.FromMinutes(5);

    private DateTimeOffset? _unreachableSince;

    /// <summary>The overview after <paramref name="last"/>; when the sweep does not answer, <paramref name="last"/> with no newly ended trials.</summary>
    public async Task<SweepOverview> RefreshAsync(SweepOverview last)
    {
        var unchanged = last with { Ended = [], EndedOmitted = 0 };
        try
        {
            // Null: the sweep was forgotten while we watched; there is nothing left to wait for.
            var overview = await sweep.GetOverviewAsync(last.Version, top).WaitAsync(CallTimeout) ?? throw UserException.UnknownSweep(last.SweepId);
            if (_unreachableSince is not null)
            {
                say("the sweep answers again");
                _unreachableSince = null;
            }

            return overview;
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
                    $"the sweep has not answered for {GiveUpAfter.TotalMinutes:F0} minutes; it goes on if the cluster recovers: ./sweep watch {last.SweepId}");
            }

            return unchanged;
        }
    }
}
