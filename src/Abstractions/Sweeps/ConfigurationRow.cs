namespace SweepCluster.Abstractions.Sweeps;

/// <summary>
/// One configuration of a sweep (its trials over seeds) as the leaderboard shows it: scores are means over the seeds
/// that completed, or over all of them when none did (<see cref="Completed"/> false; such rows rank last).
/// <see cref="Parameters"/> are its swept parameters' values, as its trials' <see cref="PlannedTrial.Parameters"/>.
/// <see cref="FinalMetric"/> and <see cref="BestMetric"/>: the means of the trials' <see cref="TrialSummary.FinalMetric"/>
/// and <see cref="TrialSummary.BestMetric"/>, the sweep's objective, which ranks the rows.
/// </summary>
[GenerateSerializer, Immutable, Alias("sweep.ConfigurationRow")]
public sealed record ConfigurationRow(
    [property: Id(0)] string Variant,
    [property: Id(1)] int Trials,
    [property: Id(2)] IReadOnlyDictionary<TrialStatus, int> Statuses,
    [property: Id(3)] bool Completed,
    [property: Id(4)] double? FinalLoss,
    [property: Id(5)] double? BestLoss,
    [property: Id(6)] double? TestAccuracy,
    [property: Id(7)] IReadOnlyDictionary<string, string>? Parameters = null,
    [property: Id(8)] double? FinalMetric = null,
    [property: Id(9)] double? BestMetric = null)
{
    /// <summary>The final value of <paramref name="metric"/>: the final loss itself for the default metric.</summary>
    public double? FinalOf(SweepMetric metric) => metric.Name == MetricName.Loss ? FinalLoss : FinalMetric;
}
