using SweepCluster.Abstractions.Sweeps;

namespace SweepCluster.Grains.Sweeps;

/// <summary>The registry's rows by sweep id (a few hundred bytes each).</summary>
[GenerateSerializer, Alias("sweep.SweepRegistryState")]
public sealed class SweepRegistryState
{
    [Id(0)]
    public Dictionary<string, SweepListing> Sweeps { get; set; } = [];
}
