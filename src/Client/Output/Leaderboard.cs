using System.Globalization;
using Spectre.Console;
using SweepCluster.Abstractions.Sweeps;

namespace SweepCluster.Client.Output;

/// <summary>The sweep's configurations ranked by final loss (mean over their completed seeds), as a terminal table.</summary>
public static class Leaderboard
{
    public static Table Build(SweepProgress progress, int? top = null)
    {
        var table = new Table().RoundedBorder()
            .AddColumn("#").AddColumn("configuration").AddColumn("seeds")
            .AddColumn(new TableColumn("final loss").RightAligned())
            .AddColumn(new TableColumn("best loss").RightAligned())
            .AddColumn(new TableColumn("test acc").RightAligned())
            .AddColumn("status");
        var rows = progress.Trials.GroupBy(t => t.Trial.Variant)
            .Select(g =>
            {
                // A configuration is judged by its trials that trained to the end, when it has any: a trial stopped
                // early has the higher loss of an earlier epoch, which says little about the configuration.
                var judged = g.Any(t => t.Status == TrialStatus.Completed) ? g.Where(t => t.Status == TrialStatus.Completed).ToList() : g.ToList();
                return new
                {
                    Variant = g.Key,
                    Seeds = g.Count(),
                    Completed = judged[0].Status == TrialStatus.Completed,
                    FinalLoss = Mean(judged.Select(t => t.FinalLoss)),
                    BestLoss = Mean(judged.Select(t => t.BestLoss)),
                    TestAccuracy = Mean(judged.Select(t => t.TestAccuracy)),
                    Status = string.Join(", ", g.GroupBy(t => t.Status).Select(s => $"{s.Count()} {s.Key.Name()}")),
                };
            })
            .OrderBy(r => r.Completed ? 0 : 1)
            .ThenBy(r => r.FinalLoss ?? double.PositiveInfinity)
            .Take(top ?? int.MaxValue)
            .ToList();
        for (var i = 0; i < rows.Count; i++)
        {
            var r = rows[i];
            table.AddRow(
                (i + 1).ToString(CultureInfo.InvariantCulture), Markup.Escape(r.Variant), r.Seeds.ToString(CultureInfo.InvariantCulture),
                Format(r.FinalLoss, "F4"), Format(r.BestLoss, "F4"), Format(r.TestAccuracy, "P1"), r.Status);
        }

        table.Caption("final loss: mean over each trial's last tenth of epochs (1-10), averaged over the seeds that completed (all seeds if none did); configurations with a completed trial rank first");
        return table;
    }

    private static double? Mean(IEnumerable<double?> values)
    {
        var present = values.OfType<double>().ToList();
        return present.Count == 0 ? null : present.Average();
    }

    private static string Format(double? value, string format) => value?.ToString(format, CultureInfo.InvariantCulture) ?? "-";
}
