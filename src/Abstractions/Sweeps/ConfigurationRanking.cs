namespace SweepCluster.Abstractions.Sweeps;

/// <summary>
/// How a sweep's configurations compare: by the sweep's metric's final value (<see cref="TrialSummary.FinalMetric"/>; the
/// final loss by default), the mean over the seeds that completed, best first as the metric's goal has it. A trial stopped
/// early has the higher loss of an earlier epoch, which says little about its configuration, so it only counts for a
/// configuration none of whose trials completed, and those rank after every configuration with a completed trial.
/// </summary>
public static class ConfigurationRanking
{
    public static IReadOnlyList<ConfigurationRow> Rank(IEnumerable<TrialSummary> trials, SweepMetric? metric = null) =>
        [
            .. trials.GroupBy(t => t.Trial.Variant)
                .Select(g =>
                {
                    var completed = g.Where(t => t.Status == TrialStatus.Completed).ToList();
                    var judged = completed.Count > 0 ? completed : [.. g];
                    return new ConfigurationRow(
                        g.Key, g.Count(), g.GroupBy(t => t.Status).ToDictionary(s => s.Key, s => s.Count()), completed.Count > 0,
                        Mean(judged.Select(t => t.FinalLoss)), Mean(judged.Select(t => t.BestLoss)), Mean(judged.Select(t => t.TestAccuracy)),
                        g.First().Trial.Parameters, Mean(judged.Select(t => t.FinalMetric)), Mean(judged.Select(t => t.BestMetric)));
                })
                .OrderBy(c => c.Completed ? 0 : 1)
                .ThenBy(c => c.FinalOf(metric ?? SweepMetric.Default) is { } value ? (metric ?? SweepMetric.Default).Score(value) : double.PositiveInfinity),
        ];

    private static double? Mean(IEnumerable<double?> values)
    {
        var present = values.OfType<double>().ToList();
        return present.Count == 0 ? null : present.Average();
    }
}
