namespace SweepCluster.Abstractions.Sweeps;

[GenerateSerializer, Alias("sweep.SearchMethod")]
public enum SearchMethod
{
    /// <summary>Every combination of the listed values.</summary>
    Grid,

    /// <summary><c>trials</c> configurations sampled from the parameters' values and distributions, seeded by the spec's seed.</summary>
    Random,

    /// <summary>
    /// <c>trials</c> configurations suggested one by one by a tree-structured Parzen estimator from the results so far
    /// (docs/sampling.md); each suggestion is persisted before its trial starts, as the trials cannot be re-derived.
    /// </summary>
    Tpe,
}
