namespace SweepCluster.Training.Training;

/// <summary>One epoch of training as Keras' history reports it: mean loss and accuracy over the epoch's batches.</summary>
public sealed record EpochMetrics(int Epoch, double Loss, double Accuracy, double Seconds)
{
    public bool IsDiverged => !double.IsFinite(Loss);

    /// <summary>The held-out set's loss, scored after this epoch's training when the trial validated at it; else null.</summary>
    public double? ValLoss { get; init; }

    /// <summary>The held-out set's accuracy, with <see cref="ValLoss"/>.</summary>
    public double? ValAccuracy { get; init; }

    /// <summary>Training examples seen in the epoch (not kept in checkpoints: 0 for epochs restored from one).</summary>
    public int Samples { get; init; }
}
