namespace SweepCluster.Abstractions.Sweeps;

/// <summary>The cluster's list of sweeps (one instance, key 0), for <c>sweep list</c>.</summary>
public interface ISweepRegistryGrain : IGrainWithIntegerKey
{
    Task RegisterAsync(string sweepId);

    Task<IReadOnlyList<string>> ListAsync();
}
