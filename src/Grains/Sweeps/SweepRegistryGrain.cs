using SweepCluster.Abstractions.Sweeps;

namespace SweepCluster.Grains.Sweeps;

/// <summary>
/// The cluster's list of sweeps: one small row per sweep, sent by the sweep itself, so <c>sweep list</c> never
/// activates a sweep. Rows that say something new for good (a sweep added, finished or removed) are written at once;
/// a running sweep's changing counts are written behind, at most every <see cref="WriteBehind"/>.
/// </summary>
public sealed class SweepRegistryGrain(
    // "listings", not the old "registry" state (a list of ids): a store holding the old shape is not read as the new one.
    [PersistentState("listings", "sweeps")] IPersistentState<SweepRegistryState> state) : Grain, ISweepRegistryGrain
{
    private static readonly TimeSpan WriteBehind = TimeSpan.FromSeconds(5);

    private IGrainTimer? _write;

    public async Task UpdateAsync(SweepListing listing)
    {
        var known = state.State.Sweeps.TryGetValue(listing.SweepId, out var old);
        state.State.Sweeps[listing.SweepId] = listing;
        if (!known || old!.Finished != listing.Finished)
        {
            await WriteAsync();
            return;
        }

        _write ??= this.RegisterGrainTimer(_ => WriteAsync(), new GrainTimerCreationOptions(WriteBehind, Timeout.InfiniteTimeSpan));
    }

    public Task<SweepPage> ListAsync(int offset, int count)
    {
        var rows = state.State.Sweeps.Values
            .OrderByDescending(s => s.Started)
            .ThenBy(s => s.SweepId, StringComparer.Ordinal)
            .Skip(Math.Max(0, offset))
            .Take(Math.Max(0, count))
            .ToList();
        return Task.FromResult(new SweepPage(rows, state.State.Sweeps.Count));
    }

    public Task<IReadOnlyList<string>> UnfinishedAsync() =>
        Task.FromResult<IReadOnlyList<string>>([.. state.State.Sweeps.Values.Where(s => s.Finished is null).Select(s => s.SweepId)]);

    public async Task RemoveAsync(string sweepId)
    {
        if (state.State.Sweeps.Remove(sweepId))
        {
            await WriteAsync();
        }
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_write is not null)
        {
            await WriteAsync();
        }
    }

    private async Task WriteAsync()
    {
        _write?.Dispose();
        _write = null;
        await state.WriteStateAsync();
    }
}
