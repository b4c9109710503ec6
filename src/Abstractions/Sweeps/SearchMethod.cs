namespace SweepCluster.Abstractions.Sweeps;

[GenerateSerializer, Alias("sweep.SearchMethod")]
public enum SearchMethod
{
    /// <summary>Every combination of the listed values.</summary>
    Grid,

    /// <summary><c>trials</c> configurations sampled from the parameters' values and distributions, seeded by the spec's seed.</summary>
    Random,
}
