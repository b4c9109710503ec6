namespace SweepCluster.Abstractions.Sweeps;

[GenerateSerializer, Alias("sweep.TrialStartOutcome")]
public enum TrialStartOutcome
{
    Started,

    /// <summary>Every training slot of the trial's silo is taken; the sweep keeps it queued and retries.</summary>
    NoFreeSlot,
    AlreadyFinished,
}
