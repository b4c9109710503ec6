namespace SweepCluster.Training.Training;

public sealed record TrainerOptions
{
    /// <summary>Called after every epoch, on the training thread.</summary>
    public Action<EpochMetrics>? OnEpoch { get; init; }

    /// <summary>
    /// Called once, on the training thread, when the trial resumes from a checkpoint, with the curve restored from it
    /// (epochs 1..n, before any <see cref="OnEpoch"/>): whoever reports the curve then holds it whole.
    /// </summary>
    public Action<IReadOnlyList<EpochMetrics>>? OnResumed { get; init; }

    /// <summary>Called after every optimizer step with (epoch being trained, steps done in it, steps per epoch), for progress within long epochs.</summary>
    public Action<int, int, int>? OnStep { get; init; }

    /// <summary>Where to resume from and checkpoint to; null disables both.</summary>
    public ICheckpointStore? Checkpoints { get; init; }

    public string CheckpointKey { get; init; } = "trial";

    /// <summary>Epochs between checkpoints (the last epoch is always checkpointed); 0 disables checkpoints.</summary>
    public int CheckpointEvery { get; init; } = 10;

    /// <summary>
    /// Checkpoints due by <see cref="CheckpointEvery"/> are skipped until this long after the previous one (the
    /// last epoch is always checkpointed): millisecond epochs would otherwise spend more time writing than training.
    /// </summary>
    public TimeSpan MinCheckpointInterval { get; init; } = TimeSpan.Zero;

    /// <summary>
    /// Once signalled, training stops at the end of the current epoch and checkpoints it (a host shutting down
    /// hands its trials to other hosts this way; cancelling instead would throw away the epoch in progress).
    /// </summary>
    public CancellationToken Suspend { get; init; }

    /// <summary>Score the held-out set when the trial completes.</summary>
    public bool Evaluate { get; init; } = true;
}
