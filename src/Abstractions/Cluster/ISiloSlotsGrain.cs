namespace SweepCluster.Abstractions.Cluster;

/// <summary>
/// A silo's training slots as a grain, keyed by the silo's parsable address and always activated on that silo,
/// so a sweep can ask every silo of the cluster how much room it has before placing trials.
/// </summary>
public interface ISiloSlotsGrain : IGrainWithStringKey
{
    Task<SiloCapacity> GetCapacityAsync();
}
