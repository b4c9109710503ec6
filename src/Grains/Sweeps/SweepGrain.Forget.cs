using SweepCluster.Abstractions.Sweeps;

namespace SweepCluster.Grains.Sweeps;

/// <summary>Forgetting a sweep: everything it stored goes, and its trials' curves and checkpoints that no other sweep uses.</summary>
public sealed partial class SweepGrain
{
    /// <summary>Trials asked at once: a 100,000-trial sweep is forgotten in bounded bursts of calls.</summary>
    private const int ForgetBatch = 200;

    public async Task<bool> ForgetAsync()
    {
        if (_ledger is not { } ledger)
        {
            DeactivateOnIdle();
            return false;
        }

        if (!ledger.AllFinished)
        {
            await CancelAsync();
        }

        _dispatchTimer?.Dispose();
        _dispatchTimer = null;
        var deleted = 0;
        for (var from = 0; from < ledger.Count; from += ForgetBatch)
        {
            var ids = Enumerable.Range(from, Math.Min(ForgetBatch, ledger.Count - from)).Select(i => ledger.Planned(i).Id).ToList();
            var unused = await Task.WhenAll(ids.Select(id => GrainFactory.GetGrain<ITrialGrain>(id).ForgetAsync(SweepId)));
            var gone = ids.Where((_, i) => unused[i]).ToList();
            if (gone.Count == 0)
            {
                continue;
            }

            await curves.DeleteAsync(gone);
            foreach (var id in gone)
            {
                DeleteCheckpoint(id);
            }

            deleted += gone.Count;
        }

        await store.DeleteAsync(SweepId);
        await GrainFactory.GetGrain<ISweepRegistryGrain>(0).RemoveAsync(SweepId);
        await UnregisterWatchdogAsync();
        _write?.Dispose();
        (_write, _ledger, _limits, _suggester) = (null, null, null, null);
        await state.ClearStateAsync();
        state.State = new SweepState();
        metrics.SweepRemoved(SweepId);
        SweepForgotten(logger, SweepId, deleted);
        DeactivateOnIdle();
        return true;
    }

    /// <summary>A checkpoint that cannot be deleted now is left behind (and logged), not a reason to keep the sweep.</summary>
    private void DeleteCheckpoint(string trialId)
    {
        try
        {
            checkpoints.Delete(trialId);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or StackExchange.Redis.RedisException)
        {
            CheckpointNotDeleted(logger, e, trialId);
        }
    }
}
