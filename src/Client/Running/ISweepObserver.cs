using SweepCluster.Client.Specs;
using SweepCluster.Training.Training;

namespace SweepCluster.Client.Running;

/// <summary>Live sweep events; called from training threads, so implementations must be thread-safe.</summary>
public interface ISweepObserver
{
    void TrialStarted(PlannedTrial trial);

    /// <summary>Progress inside an epoch, for trials whose epochs take long.</summary>
    void StepCompleted(PlannedTrial trial, int epoch, int step, int stepsPerEpoch);

    void EpochCompleted(PlannedTrial trial, EpochMetrics epoch);

    void TrialFinished(TrialRecord record);
}
