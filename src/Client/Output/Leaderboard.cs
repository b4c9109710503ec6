using System.Globalization;
using Spectre.Console;
using SweepCluster.Abstractions.Sweeps;

namespace SweepCluster.Client.Output;

/// <summary>The sweep's configurations ranked by the final value of its metric (final loss by default; mean over their completed seeds), as a terminal table.</summary>
public static class Leaderboard
{
    /// <summary>What the leaderboard ranks by, as the terminal and report.html say it.</summary>
    public const string Objective =
        "mean over each trial's last tenth of epochs (1-10), averaged over the seeds that completed (all seeds if none did); configurations with a completed trial rank first";

    /// <summary>What ranks a sweep of <paramref name="metric"/>, as the terminal and report.html say it.</summary>
    public static string ObjectiveOf(SweepMetric metric) => metric.Name switch
    {
        MetricName.Loss => Objective,
        MetricName.Accuracy => "each trial's last epoch's training accuracy, " + Seeds(metric),
        _ => $"each trial's latest {metric.SpecName} (measured on the held-out set at the epochs it validates), " + Seeds(metric),
    };

    /// <summary><paramref name="rows"/> in rank order, as the sweep's overview gives its leaders (ranked by <paramref name="metric"/>).</summary>
    public static Table Build(IReadOnlyList<ConfigurationRow> rows, SweepMetric? metric = null)
    {
        metric ??= SweepMetric.Default;
        var own = metric.Name != MetricName.Loss; // the metric's own columns, where final/best loss are not it
        var table = new Table().RoundedBorder()
            .AddColumn("#").AddColumn("configuration").AddColumn("seeds")
            .AddColumn(new TableColumn("final loss").RightAligned())
            .AddColumn(new TableColumn("best loss").RightAligned());
        if (own)
        {
            table.AddColumn(new TableColumn("final " + metric.SpecName).RightAligned()).AddColumn(new TableColumn("best " + metric.SpecName).RightAligned());
        }

        table.AddColumn(new TableColumn("test acc").RightAligned()).AddColumn("status");
        for (var i = 0; i < rows.Count; i++)
        {
            var r = rows[i];
            string[] metricCells = own ? [Format(r.FinalMetric, "F4"), Format(r.BestMetric, "F4")] : [];
            table.AddRow([
                (i + 1).ToString(CultureInfo.InvariantCulture), Markup.Escape(r.Variant), r.Trials.ToString(CultureInfo.InvariantCulture),
                Format(r.FinalLoss, "F4"), Format(r.BestLoss, "F4"), .. metricCells, Format(r.TestAccuracy, "P1"),
                string.Join(", ", r.Statuses.Where(s => s.Value > 0).OrderBy(s => s.Key).Select(s => $"{s.Value} {s.Key.Name()}"))]);
        }

        table.Caption(own ? $"ranked by final {metric.SpecName} ({Goal(metric)}): {ObjectiveOf(metric)}" : "final loss: " + Objective);
        return table;
    }

    private static string Seeds(SweepMetric metric) =>
        $"averaged over the seeds that completed (all seeds if none did); configurations with a completed trial rank first, then {Goal(metric)} first";

    private static string Goal(SweepMetric metric) => metric.Goal == MetricGoal.Maximize ? "highest" : "lowest";

    private static string Format(double? value, string format) => value?.ToString(format, CultureInfo.InvariantCulture) ?? "-";
}
