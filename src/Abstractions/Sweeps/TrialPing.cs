namespace SweepCluster.Abstractions.Sweeps;

/// <summary>
/// A trial's answer to its sweep's watchdog: training on <paramref name="Silo"/>, ended (how), or neither, because the
/// silo it trained on is gone or shut down; then the sweep queues it again.
/// </summary>
[GenerateSerializer, Immutable, Alias("sweep.TrialPing")]
public sealed record TrialPing([property: Id(0)] string? Silo, [property: Id(1)] TrialEnd? Ended)
{
    public bool IsTraining => Silo is not null;
}
