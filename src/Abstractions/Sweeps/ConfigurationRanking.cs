namespace SweepCluster.Abstractions.Sweeps;

/// <summary>
/// How a sweep's configurations compare: by final loss, the mean over the seeds that completed. A trial stopped
/// early has the higher loss of an earlier epoch, which says little about its configuration, so it only counts for a
/// configuration none of whose trials completed, and those rank after every configuration with a completed trial.
/// </summary>
public static class ConfigurationRanking
{
    public static IReadOnlyList<ConfigurationRow> Rank(IEnumerable<TrialSummary> trials) =>
        [
            .. trials.GroupBy(t => t.Trial.Variant)
                .Select(g =>
                {
                    var completed = g.Where(t => t.Status == TrialStatus.Completed).ToList();
                    var judged = completed.Count > 0 ? completed : [.. g];
                    return new ConfigurationRow(
                        g.Key, g.Count(), g.GroupBy(t => t.Status).ToDictionary(s => s.Key, s => s.Count()), completed.Count > 0,
                        Mean(judged.Select(t => t.FinalLoss)), Mean(judged.Select(t => t.BestLoss)), Mean(judged.Select(t => t.TestAccuracy)),
                        g.First().Trial.Parameters);
                })
                .OrderBy(c => c.Completed ? 0 : 1)
                .ThenBy(c => c.FinalLoss ?? double.PositiveInfinity),
        ];

    private static double? Mean(IEnumerable<double?> values)
    {
        var present = values.OfType<double>().ToList();
        return present.Count == 0 ? null : present.Average();
    }
}
