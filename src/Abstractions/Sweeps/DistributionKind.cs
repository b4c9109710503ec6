namespace SweepCluster.Abstractions.Sweeps;

[GenerateSerializer, Alias("sweep.DistributionKind")]
public enum DistributionKind
{
    Uniform,

    /// <summary>Uniform in log space: every decade between low and high equally likely (learning rates).</summary>
    LogUniform,

    /// <summary>A whole number from low to high, both included.</summary>
    IntUniform,
}
