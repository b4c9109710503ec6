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

    /// <summary>It needs a capability (CUDA) that no silo of the cluster has; submitting the sweep again retries it.</summary>
    Unschedulable,
}
