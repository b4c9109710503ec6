using SweepCluster.Abstractions.Sweeps;

namespace SweepCluster.Grains.Sweeps;

/// <summary>
/// The watchdog: finds running trials that no longer train, because their silo left the cluster, or (checked every
/// <see cref="FullCheckPeriod"/>) because their end never came. Those are queued again, or given their end.
/// </summary>
public sealed partial class SweepGrain
{
    /// <summary>Every running trial is pinged this often even when its silo looks fine, to catch a lost end.</summary>
    private static readonly TimeSpan FullCheckPeriod = TimeSpan.FromSeconds(60);

    private DateTimeOffset _lastFullCheck = DateTimeOffset.MinValue;

    private async Task CheckRunningAsync()
    {
        var ledger = Ledger;
        var snapshot = membership.CurrentSnapshot;
        var full = DateTimeOffset.UtcNow - _lastFullCheck >= FullCheckPeriod;
        var suspects = ledger.Running.Concat(ledger.AwaitingEnd)
            .Where(i => full || ledger[i].Silo is not { } silo || HasLeft(snapshot, silo))
            .ToList();
        if (full)
        {
            _lastFullCheck = DateTimeOffset.UtcNow;
        }

        if (suspects.Count == 0)
        {
            return;
        }

        var pings = await Task.WhenAll(suspects.Select(async i =>
        {
            try
            {
                return await GrainFactory.GetGrain<ITrialGrain>(ledger.Planned(i).Id).PingAsync().WaitAsync(CallTimeout);
            }
            catch (Exception e) when (e is TimeoutException or OrleansException)
            {
                return null; // its silo is still being declared dead; the next check asks again
            }
        }));

        var version = ledger.Version;
        var ended = new List<(int Index, TrialEnd End)>();
        foreach (var (index, ping) in suspects.Zip(pings))
        {
            if (ping is null || !Busy(index))
            {
                continue; // no answer, or its end came while the pings were out
            }

            if (ping.IsTraining)
            {
                if (ledger[index].Status == TrialStatus.Running && ledger[index].Silo != ping.Silo)
                {
                    ledger.Started(index, ping.Silo!);
                }
            }
            else if (ping.Ended is { } end)
            {
                if (end.Epochs > ledger[index].Epochs)
                {
                    ended.Add((index, end)); // its last epochs never reached this sweep: they are in the curve store
                }
                else
                {
                    ledger.Apply(index, [], end);
                }
            }
            else if (ledger[index].AwaitingEnd)
            {
                ledger.EndLost(index);
            }
            else
            {
                var silo = ledger[index].Silo ?? "an unknown silo";
                ledger.SiloLost(index);
                if (ledger[index].Status == TrialStatus.Failed)
                {
                    TrialLostForGood(logger, ledger.Planned(index).Id, ledger[index].SiloLosses, silo);
                }
                else
                {
                    TrialLost(logger, ledger.Planned(index).Id, silo, ledger[index].Epochs);
                }
            }
        }

        await ApplyFinishedAsync(ended);
        if (ledger.Version != version)
        {
            await PersistAsync();
        }
    }

    private static bool HasLeft(ClusterMembershipSnapshot snapshot, string silo) =>
        snapshot.GetSiloStatus(SiloAddress.FromParsableString(silo)) is SiloStatus.Dead or SiloStatus.None;
}
