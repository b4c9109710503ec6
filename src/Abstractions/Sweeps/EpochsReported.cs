namespace SweepCluster.Abstractions.Sweeps;

/// <summary>Epochs a trial finished since its last report, in order (batched so fast trials cost one message per batch, not per epoch).</summary>
[GenerateSerializer, Immutable, Alias("sweep.EpochsReported")]
public sealed record EpochsReported(string TrialId, [property: Id(0)] IReadOnlyList<EpochReport> Epochs) : SweepEvent(TrialId);
