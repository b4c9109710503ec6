using SweepCluster.Experiments;
using SweepCluster.Training.Training;

namespace SweepCluster.Training.Tests;

/// <summary>A trial trained to an epoch, checkpointed, resumed from that checkpoint by a new session and trained to its end.</summary>
internal static class CheckpointRoundTrip
{
    /// <summary>The resumed session's epochs when it started (those of the checkpoint), its whole curve at the end, and its held-out score then.</summary>
    public static (int ResumedAt, IReadOnlyList<EpochMetrics> Curve, EvaluationMetrics Test) Train(TrialConfig config, int checkpointAfter)
    {
        using var checkpoint = new MemoryStream();
        using (var first = TrainingSession.Start(config))
        {
            for (var i = 0; i < checkpointAfter; i++)
            {
                first.RunEpoch();
            }

            first.SaveCheckpoint(checkpoint);
        }

        checkpoint.Position = 0;
        using var resumed = TrainingSession.Resume(config, checkpoint);
        var resumedAt = resumed.CompletedEpochs;
        while (!resumed.IsFinished)
        {
            resumed.RunEpoch();
        }

        return (resumedAt, [.. resumed.History], resumed.Evaluate());
    }
}
