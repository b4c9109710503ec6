namespace SweepCluster.Abstractions.Sweeps;

[GenerateSerializer, Alias("sweep.TrialStatus")]
public enum TrialStatus
{
    Queued,
    Running,
    Completed,
    Failed,

    /// <summary>The loss became NaN or infinite.</summary>
    Diverged,
    Cancelled,
}
