namespace SweepCluster.Abstractions.Sweeps;

/// <summary>What a sweep's <c>metric</c> reads of each epoch: the training loss or accuracy, or the held-out (validation) ones.</summary>
[GenerateSerializer, Alias("sweep.MetricName")]
public enum MetricName
{
    /// <summary><c>loss</c>: the epoch's mean training loss (the default: today's behaviour).</summary>
    Loss,

    /// <summary><c>acc</c>: the epoch's training accuracy.</summary>
    Accuracy,

    /// <summary><c>val_loss</c>: the loss on the task's held-out set, at the epochs the trial validates.</summary>
    ValLoss,

    /// <summary><c>val_acc</c>: the accuracy on the task's held-out set, at the epochs the trial validates.</summary>
    ValAccuracy,
}
