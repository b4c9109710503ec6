using System.Globalization;
using SweepCluster.Abstractions.Sweeps;

namespace SweepCluster.Client.Output;

/// <summary>
/// The plain, line-by-line view (CI, pipes, <c>--quiet</c>): a line per trial that ended since the last overview,
/// numbered over the whole sweep, and the counts on demand. Trials that had ended before the watching began are
/// counted, not listed.
/// </summary>
public sealed class QuietProgress(SweepOverview start)
{
    private int _ended = start.Counts.Where(c => c.Key.IsFinished()).Sum(c => c.Value);

    /// <summary>The lines for the trials that <paramref name="overview"/> (asked since the previous one's version) says ended.</summary>
    public IEnumerable<string> Lines(SweepOverview overview)
    {
        foreach (var trial in overview.Ended)
        {
            _ended++;
            // A sweep ranked by another metric says it too: the line then shows what the leaderboard ranks by.
            var metric = overview.Metric is { Name: not MetricName.Loss } ranked
                ? $", final {SweepMetric.SpecNameOf(ranked.Name)} {F(trial.FinalMetric, ranked.Name is MetricName.Accuracy or MetricName.ValAccuracy ? "P1" : "F4")}"
                : "";
            yield return $"[{_ended}/{overview.Trials}] {trial.Trial.Id} {trial.Status.Name()} after {trial.Epochs} epochs, " +
                         $"final loss {F(trial.FinalLoss, "F4")}{metric}, test acc {F(trial.TestAccuracy, "P1")}";
        }

        if (overview.EndedOmitted > 0)
        {
            _ended += overview.EndedOmitted;
            yield return $"[{_ended}/{overview.Trials}] and {overview.EndedOmitted} more trials ended meanwhile (not listed here; results.csv has them)";
        }
    }

    /// <summary>One line of counts: completed, running, queued, the other statuses there are, epochs and the time left.</summary>
    public static string Summary(SweepOverview o)
    {
        var eta = o.EstimatedRemaining is { } left ? $", ~{left:hh\\:mm\\:ss} left" : "";
        var other = o.Counts
            .Where(c => c.Value > 0 && c.Key is not (TrialStatus.Completed or TrialStatus.Running or TrialStatus.Queued))
            .OrderBy(c => c.Key)
            .Select(c => $", {c.Value} {c.Key.Name()}");
        return $"{o.Count(TrialStatus.Completed)} completed, {o.Count(TrialStatus.Running)} running, {o.Count(TrialStatus.Queued)} queued" +
               $"{string.Concat(other)} of {o.Trials}; epochs {o.EpochsDone}/{o.EpochsTotal}{eta}";
    }

    internal static string F(double? value, string format) => value?.ToString(format, CultureInfo.InvariantCulture) ?? "-";
}
