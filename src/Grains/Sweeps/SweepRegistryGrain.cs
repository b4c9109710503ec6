using SweepCluster.Abstractions.Sweeps;
using SweepCluster.Grains.Observability;
using SweepCluster.Storage;

namespace SweepCluster.Grains.Sweeps;

/// <summary>
/// The cluster's list of sweeps: one small row per sweep, sent by the sweep itself, so <c>sweep list</c> never
/// activates a sweep. Rows that say something new for good (a sweep added, finished or removed) are written at once;
/// a running sweep's changing counts are written behind, at most every <see cref="WriteBehind"/>.
/// </summary>
/// <remarks>
/// It also exports each sweep's leaderboard (the top rows of the sweep's own ranking, carried in its row) to
/// Prometheus, so a finished sweep stays on the dashboard until it is forgotten. The registry, not the sweep grain, is
/// the exporter because it is the one grain that holds every sweep's row and has a single activation in the cluster:
/// each series comes from exactly one silo, whichever sweeps are active. [KeepAlive] keeps it from idle collection;
/// where its silo stops, the next call (a running sweep's row, <c>sweep list</c>, a local silo's resumer) or its
/// reminder brings it back on another silo, from its stored rows. The leaders are stored beside each sweep (the sweep
/// store's leaders, written when they change), not in the registry's state: that stays one small row per sweep, so a
/// registry of hundreds of sweeps still writes a few KiB.
/// </remarks>
[KeepAlive]
public sealed class SweepRegistryGrain(
    // "listings", not the old "registry" state (a list of ids): a store holding the old shape is not read as the new one.
    [PersistentState("listings", "sweeps")] IPersistentState<SweepRegistryState> state,
    ISweepStore store,
    SweepMetrics metrics) : Grain, ISweepRegistryGrain, IRemindable
{
    private const string ExportReminder = "export";
    private static readonly TimeSpan WriteBehind = TimeSpan.FromSeconds(5);

    /// <summary>Reminders tick no more often than a minute: how soon a registry whose silo died exports again if nothing calls it.</summary>
    private static readonly TimeSpan ExportPeriod = TimeSpan.FromMinutes(1);

    private readonly Dictionary<string, byte[]> _storedLeaders = [];
    private IGrainTimer? _write;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var rows = state.State.Sweeps.Values.ToList();
        var stored = await Task.WhenAll(rows.Select(row => store.ReadLeadersAsync(row.SweepId)));
        foreach (var (row, leaders) in rows.Zip(stored))
        {
            if (leaders is not null)
            {
                _storedLeaders[row.SweepId] = leaders;
            }

            metrics.LeaderboardListed(row with { Leaders = LeaderboardCodec.Decode(leaders) });
        }

        await this.RegisterOrUpdateReminder(ExportReminder, ExportPeriod, ExportPeriod);
    }

    public async Task UpdateAsync(SweepListing listing)
    {
        if (listing.Leaders is { } leaders && LeaderboardCodec.Encode(leaders) is var bytes &&
            !(_storedLeaders.TryGetValue(listing.SweepId, out var stored) && stored.AsSpan().SequenceEqual(bytes)))
        {
            await store.WriteLeadersAsync(listing.SweepId, bytes);
            _storedLeaders[listing.SweepId] = bytes;
        }

        var known = state.State.Sweeps.TryGetValue(listing.SweepId, out var old);
        state.State.Sweeps[listing.SweepId] = listing with { Leaders = null };
        metrics.LeaderboardListed(listing);
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
        metrics.LeaderboardRemoved(sweepId);
        _storedLeaders.Remove(sweepId);
        if (state.State.Sweeps.Remove(sweepId))
        {
            await WriteAsync();
        }
    }

    /// <summary>Nothing to do: the tick activates the registry where it was not.</summary>
    public Task ReceiveReminder(string reminderName, TickStatus status) => Task.CompletedTask;

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        metrics.LeaderboardsRemoved();
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
