namespace SweepCluster.Abstractions.Sweeps;

public static class SweepStreams
{
    /// <summary>The stream provider every silo registers.</summary>
    public const string Provider = "sweeps";

    /// <summary>Stream namespace: a sweep's events flow on stream ("sweep", sweepId).</summary>
    public const string Namespace = "sweep";
}
