namespace SweepCluster.Client.Running;

public enum TrialStatus
{
    Completed,
    Diverged,
    Cancelled,
    Failed,
}
