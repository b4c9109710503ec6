using SweepCluster.Experiments;

namespace SweepCluster.Training.Training;

/// <summary>
/// The ready-made trial loop: start or resume, train epoch by epoch, report each epoch, checkpoint every
/// <see cref="TrainerOptions.CheckpointEvery"/> epochs, stop on divergence or cancellation, then evaluate.
/// Runs synchronously on the calling thread.
/// </summary>
public static class Trainer
{
    public static TrialResult Run(TrialConfig config, TrainerOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new TrainerOptions();
        using var session = OpenSession(config, options);
        if (session.CompletedEpochs > 0)
        {
            options.OnResumed?.Invoke([.. session.History]);
        }

        var sinceCheckpoint = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            while (!session.IsFinished)
            {
                var training = session.CompletedEpochs + 1;
                var epoch = session.RunEpoch(
                    cancellationToken, options.OnStep is { } onStep ? (done, total) => onStep(training, done, total) : null);
                options.OnEpoch?.Invoke(epoch);
                if (epoch.IsDiverged)
                {
                    return new TrialResult(TrialOutcome.Diverged, session.History, null);
                }

                var suspend = options.Suspend.IsCancellationRequested && !session.IsFinished;
                if (options.Checkpoints is not null && options.CheckpointEvery > 0 &&
                    ((epoch.Epoch % options.CheckpointEvery == 0 && sinceCheckpoint.Elapsed >= options.MinCheckpointInterval) || session.IsFinished || suspend))
                {
                    options.Checkpoints.Write(options.CheckpointKey, session.SaveCheckpoint);
                    sinceCheckpoint.Restart();
                }

                if (suspend)
                {
                    return new TrialResult(TrialOutcome.Suspended, session.History, null);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return new TrialResult(TrialOutcome.Cancelled, session.History, null);
        }

        return new TrialResult(TrialOutcome.Completed, session.History, options.Evaluate ? session.Evaluate() : null);
    }

    private static TrainingSession OpenSession(TrialConfig config, TrainerOptions options)
    {
        using var checkpoint = options.Checkpoints?.OpenRead(options.CheckpointKey);
        return checkpoint is null ? TrainingSession.Start(config) : TrainingSession.Resume(config, checkpoint);
    }
}
