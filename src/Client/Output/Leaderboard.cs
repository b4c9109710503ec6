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
        var rows = ConfigurationRanking.Rank(progress)
            .Take(top ?? int.MaxValue)
            .ToList();
        for (var i = 0; i < rows.Count; i++)
        {
            var r = rows[i];
            table.AddRow(
                (i + 1).ToString(CultureInfo.InvariantCulture), Markup.Escape(r.Variant), r.Trials.Count.ToString(CultureInfo.InvariantCulture),
                Format(r.FinalLoss, "F4"), Format(r.BestLoss, "F4"), Format(r.TestAccuracy, "P1"),
                string.Join(", ", r.Trials.GroupBy(t => t.Status).Select(s => $"{s.Count()} {s.Key.Name()}")));
        }

        table.Caption("final loss: mean over each trial's last tenth of epochs (1-10), averaged over the seeds that completed (all seeds if none did); configurations with a completed trial rank first");
        return table;
    }

    private static string Format(double? value, string format) => value?.ToString(format, CultureInfo.InvariantCulture) ?? "-";
}
