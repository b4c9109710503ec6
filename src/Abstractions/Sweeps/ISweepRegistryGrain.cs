namespace SweepCluster.Abstractions.Sweeps;

/// <summary>The cluster's list of sweeps (one instance, key 0), for <c>sweep list</c>: one small row per sweep.</summary>
public interface ISweepRegistryGrain : IGrainWithIntegerKey
{
    /// <summary>Adds or replaces a sweep's row (sent by the sweep when it starts, when its counts change, and when it finishes).</summary>
    Task UpdateAsync(SweepListing listing);

    /// <summary>Newest first.</summary>
    Task<SweepPage> ListAsync(int offset, int count);

    /// <summary>The sweeps that have not finished (a local silo that starts again brings them back).</summary>
    Task<IReadOnlyList<string>> UnfinishedAsync();

    Task RemoveAsync(string sweepId);
}
