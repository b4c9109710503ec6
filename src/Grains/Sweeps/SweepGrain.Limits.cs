using SweepCluster.Abstractions.Sweeps;
using SweepCluster.Engine;

namespace SweepCluster.Grains.Sweeps;

/// <summary>What the sweep's limits decide (<see cref="SweepLimits"/>), carried out: a trial stopped early, or the whole sweep ended.</summary>
public sealed partial class SweepGrain
{
    private async Task DecideAsync(LimitDecision decision, int index)
    {
        switch (decision)
        {
            case EndSweep end:
                await EndAsync(end);
                break;

            case StopTrial stop:
                TrialStoppedEarly(logger, Ledger.Planned(index).Id, stop.Rule, stop.Detail);
                Ledger.Stop(index, stop.Reason, stop.Epoch);
                await TellStopAsync(index, stop.Rule);
                await PersistAsync();
                break;
        }
    }

    /// <summary>Ends the sweep early: running trials are stopped, queued ones skipped, and nothing new starts.</summary>
    private async Task EndAsync(EndSweep end)
    {
        state.State.EndReason = end.Reason;
        SweepEndedEarly(logger, SweepId, end.Reason);
        foreach (var index in Ledger.EndSweep(end.Reason))
        {
            await TellStopAsync(index, end.Rule);
        }

        await PersistAsync();
        await CheckFinishedAsync();
    }

    /// <summary>Tells a trial the sweep stopped it; its slot frees when its end arrives (within a step).</summary>
    private async Task TellStopAsync(int index, string rule)
    {
        metrics.TrialStoppedEarly(SweepId, rule);
        var trialId = Ledger.Planned(index).Id;
        try
        {
            await GrainFactory.GetGrain<ITrialGrain>(trialId).StopEarlyAsync().WaitAsync(CallTimeout);
        }
        catch (Exception e) when (e is TimeoutException or OrleansException)
        {
            // Its silo is unreachable; the watchdog finds the trial's end (or its loss) as for any running trial.
            StopNotDelivered(logger, e, trialId);
        }
    }
}
