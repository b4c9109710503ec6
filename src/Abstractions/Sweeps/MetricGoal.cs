namespace SweepCluster.Abstractions.Sweeps;

/// <summary>Whether a sweep's <c>metric</c> is better low or high.</summary>
[GenerateSerializer, Alias("sweep.MetricGoal")]
public enum MetricGoal
{
    Minimize,
    Maximize,
}
