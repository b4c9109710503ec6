namespace SweepCluster.Training.Training;

public enum TrialOutcome
{
    Completed,

    /// <summary>The loss became NaN or infinite; training stopped at that epoch.</summary>
    Diverged,

    /// <summary>Stopped on request between two steps.</summary>
    Cancelled,

    /// <summary>Stopped on request at an epoch's end with a checkpoint of that epoch, to resume elsewhere.</summary>
    Suspended,
}
