namespace SweepCluster.Abstractions.Sweeps;

/// <summary>
/// One trial's curve as read from the curve store: epoch k at index k - 1 of each array. <see cref="ValLoss"/> and
/// <see cref="ValAccuracy"/> are null for a trial that never validated, else as long as the curve, null at the epochs
/// it did not validate.
/// </summary>
[GenerateSerializer, Immutable, Alias("sweep.TrialCurve")]
public sealed record TrialCurve(
    [property: Id(0)] string TrialId,
    [property: Id(1)] double[] Loss,
    [property: Id(2)] double[] Accuracy,
    [property: Id(3)] double[] Seconds,
    [property: Id(4)] double?[]? ValLoss = null,
    [property: Id(5)] double?[]? ValAccuracy = null)
{
    public int Epochs => Loss.Length;
}
