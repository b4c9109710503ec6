namespace SweepCluster.Abstractions.Sweeps;

public static class TrialStatusExtensions
{
    public static bool IsFinished(this TrialStatus status) => status is not (TrialStatus.Queued or TrialStatus.Running);

    /// <summary>Ended the way the sweep meant it to: trained to the end, or stopped or skipped by the sweep's own rules.</summary>
    public static bool EndedAsPlanned(this TrialStatus status) => status is TrialStatus.Completed or TrialStatus.Stopped or TrialStatus.Skipped;

    public static string Name(this TrialStatus status) => status.ToString().ToLowerInvariant();
}
