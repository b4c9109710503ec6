namespace SweepCluster.Abstractions.Sweeps;

/// <summary>One trial's curve as read from the curve store: epoch k at index k - 1 of each array.</summary>
[GenerateSerializer, Immutable, Alias("sweep.TrialCurve")]
public sealed record TrialCurve(
    [property: Id(0)] string TrialId,
    [property: Id(1)] double[] Loss,
    [property: Id(2)] double[] Accuracy,
    [property: Id(3)] double[] Seconds)
{
    public int Epochs => Loss.Length;
}
