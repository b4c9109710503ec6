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

    /// <summary>Ended early by the sweep (its early-stopping rule, a budget or the stop_when target); keeps its curve and the reason.</summary>
    Stopped,

    /// <summary>Never trained: a budget or the stop_when target ended the sweep first (or max_trials left it out).</summary>
    Skipped,
}
