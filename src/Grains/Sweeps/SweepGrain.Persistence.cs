using SweepCluster.Abstractions.Sweeps;
using SweepCluster.Engine;

namespace SweepCluster.Grains.Sweeps;

/// <summary>
/// Write-behind: epochs are durable in the curve store before they are acked, so the ledger's records (the chunks that
/// changed, then the small grain state) follow at most <see cref="WriteBehind"/> later. Starts, stops, a cancel and the
/// sweep's finish are written at once (see <see cref="PersistAsync"/>'s callers): a sweep brought back from older
/// records asks its running trials (<see cref="ITrialGrain.PingAsync"/>), so only what no trial can tell it must be
/// durable before it acts on it.
/// </summary>
public sealed partial class SweepGrain
{
    private static readonly TimeSpan WriteBehind = TimeSpan.FromSeconds(1);

    /// <summary>The registry's row changes with every epoch; it is sent at most this often while the sweep runs.</summary>
    private static readonly TimeSpan ListingPeriod = TimeSpan.FromSeconds(5);

    private IGrainTimer? _write;

    /// <summary>Chunks taken from the ledger and not yet stored: a failed write keeps them for the next one.</summary>
    private Dictionary<int, byte[]> _unwritten = [];
    private DateTimeOffset _lastListing = DateTimeOffset.MinValue;
    private long _listedVersion = -1;

    /// <summary>Something changed: written within <see cref="WriteBehind"/>.</summary>
    private void Changed() =>
        _write ??= this.RegisterGrainTimer(
            _ => PersistAsync(), new GrainTimerCreationOptions(WriteBehind, Timeout.InfiniteTimeSpan) { KeepAlive = true });

    /// <summary>The dirty ledger chunks (each under 64 KiB), then the grain state that says which version they are.</summary>
    private async Task PersistAsync()
    {
        _write?.Dispose();
        _write = null;
        if (_ledger is null)
        {
            return;
        }

        foreach (var (index, bytes) in _ledger.TakeDirtyChunks())
        {
            _unwritten[index] = bytes;
        }

        try
        {
            if (_unwritten.Count > 0)
            {
                await store.WriteChunksAsync(SweepId, _unwritten);
                _unwritten = [];
            }

            state.State.Version = _ledger.Version;
            await state.WriteStateAsync();
        }
        catch
        {
            Changed(); // the store is down: try again later, whether or not anything else changes
            throw;
        }
    }

    /// <summary>
    /// Sends the sweep's row to the registry: at once when <paramref name="force"/> (submitted, finished), else only
    /// when its counts changed and <see cref="ListingPeriod"/> has passed.
    /// </summary>
    private async Task UpdateListingAsync(bool force = false)
    {
        if (_ledger is null || (!force && (_ledger.Version == _listedVersion || DateTimeOffset.UtcNow - _lastListing < ListingPeriod)))
        {
            return;
        }

        (_lastListing, _listedVersion) = (DateTimeOffset.UtcNow, _ledger.Version);
        await GrainFactory.GetGrain<ISweepRegistryGrain>(0)
            .UpdateAsync(SweepOverviews.Listing(SweepId, Spec.Name, _ledger, state.State.Started, state.State.Finished, DateTimeOffset.UtcNow, EpochsToSuggest));
    }
}
