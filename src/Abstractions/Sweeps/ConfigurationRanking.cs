namespace SweepCluster.Abstractions.Sweeps;

/// <summary>One configuration of a sweep (its trials over seeds), as the leaderboard ranks it.</summary>
/// <param name="Judged">The trials its scores are the mean of: those that completed, or all of them when none did.</param>
public sealed record RankedConfiguration(string Variant, IReadOnlyList<TrialSummary> Trials, IReadOnlyList<TrialSummary> Judged)
{
    /// <summary>Whether some trial of it trained to the end (such configurations rank first).</summary>
    public bool Completed => Judged.Count > 0 && Judged[0].Status == TrialStatus.Completed;

    public double? FinalLoss => Mean(Judged.Select(t => t.FinalLoss));

    public double? BestLoss => Mean(Judged.Select(t => t.BestLoss));

    public double? TestAccuracy => Mean(Judged.Select(t => t.TestAccuracy));

    private static double? Mean(IEnumerable<double?> values)
    {
        var present = values.OfType<double>().ToList();
        return present.Count == 0 ? null : present.Average();
    }
}

/// <summary>
/// How a sweep's configurations compare: by final loss, the mean over the seeds that completed. A trial stopped
/// early has the higher loss of an earlier epoch, which says little about its configuration, so it only counts for a
/// configuration none of whose trials completed, and those rank after every configuration with a completed trial.
/// </summary>
public static class ConfigurationRanking
{
    public static IReadOnlyList<RankedConfiguration> Rank(SweepProgress progress) =>
        [
            .. progress.Trials.GroupBy(t => t.Trial.Variant)
                .Select(g =>
                {
                    var completed = g.Where(t => t.Status == TrialStatus.Completed).ToList();
                    return new RankedConfiguration(g.Key, [.. g], completed.Count > 0 ? completed : [.. g]);
                })
                .OrderBy(c => c.Completed ? 0 : 1)
                .ThenBy(c => c.FinalLoss ?? double.PositiveInfinity),
        ];
}
