using Orleans.Concurrency;

namespace SweepCluster.Abstractions.Cluster;

/// <summary>
/// A silo's training slots as a grain, keyed by the silo's parsable address and always activated on that silo,
/// so a sweep can ask every silo of the cluster how much room it has before placing trials.
/// </summary>
public interface ISiloSlotsGrain : IGrainWithStringKey
{
    Task<SiloCapacity> GetCapacityAsync();

    /// <summary>
    /// Starts the pack <paramref name="packId"/> with the members that have joined: its sweep knows the others will not
    /// come (finished before, or training elsewhere), so it need not wait for them.
    /// </summary>
    [OneWay]
    Task StartPackAsync(string packId);
}
