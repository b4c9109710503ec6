namespace SweepCluster.Abstractions.Sweeps;

/// <summary>
/// A spec's <c>stop_when</c>: the sweep ends as soon as any trial reports an epoch with a training loss at or below
/// <see cref="Loss"/> (or an accuracy at or above <see cref="Accuracy"/>).
/// </summary>
[GenerateSerializer, Immutable, Alias("sweep.StopTarget")]
public sealed record StopTarget([property: Id(0)] double? Loss = null, [property: Id(1)] double? Accuracy = null);
