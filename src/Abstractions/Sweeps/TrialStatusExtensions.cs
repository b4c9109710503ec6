namespace SweepCluster.Abstractions.Sweeps;

public static class TrialStatusExtensions
{
    public static bool IsFinished(this TrialStatus status) => status is not (TrialStatus.Queued or TrialStatus.Running);

    public static string Name(this TrialStatus status) => status.ToString().ToLowerInvariant();
}
