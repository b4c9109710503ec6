namespace SweepCluster.Observability.Tests;

/// <summary>Tests that start silos and a Prometheus run one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class PrometheusCollection
{
    public const string Name = "prometheus";
}
