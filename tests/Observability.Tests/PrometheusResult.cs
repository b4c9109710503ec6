namespace SweepCluster.Observability.Tests;

/// <summary>What a query returned: an error, or the values of its samples (one per series of an instant vector).</summary>
public sealed record PrometheusResult(string? Error, IReadOnlyList<double> Values)
{
    /// <summary>What a panel would draw: at least one sample with a number (NaN, the quantile of nothing, draws nothing).</summary>
    public bool HasData => Error is null && Values.Any(double.IsFinite);

    public static PrometheusResult Failed(string error) => new(error, []);

    public override string ToString() =>
        Error is not null ? $"error {Error}"
        : Values.Count == 0 ? "no series"
        : HasData ? $"{Values.Count} samples"
        : $"{Values.Count} samples, none a finite number";
}
