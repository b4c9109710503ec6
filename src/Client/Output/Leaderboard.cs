using System.Globalization;
using Spectre.Console;
using SweepCluster.Abstractions.Sweeps;

namespace SweepCluster.Client.Output;

/// <summary>The sweep's configurations ranked by final loss (mean over their completed seeds), as a terminal table.</summary>
public static class Leaderboard
{
    /// <summary>What the leaderboard ranks by, as the terminal and report.html say it.</summary>
    public const string Objective =
        "mean over each trial's last tenth of epochs (1-10), averaged over the seeds that completed (all seeds if none did); configurations with a completed trial rank first";

    /// <summary><paramref name="rows"/> in rank order, as the sweep's overview gives its leaders.</summary>
    public static Table Build(IReadOnlyList<ConfigurationRow> rows)
    {
        var table = new Table().RoundedBorder()
            .AddColumn("#").AddColumn("configuration").AddColumn("seeds")
            .AddColumn(new TableColumn("final loss").RightAligned())
            .AddColumn(new TableColumn("best loss").RightAligned())
            .AddColumn(new TableColumn("test acc").RightAligned())
            .AddColumn("status");
        for (var i = 0; i < rows.Count; i++)
        {
            var r = rows[i];
            table.AddRow(
                (i + 1).ToString(CultureInfo.InvariantCulture), Markup.Escape(r.Variant), r.Trials.ToString(CultureInfo.InvariantCulture),
                Format(r.FinalLoss, "F4"), Format(r.BestLoss, "F4"), Format(r.TestAccuracy, "P1"),
                string.Join(", ", r.Statuses.Where(s => s.Value > 0).OrderBy(s => s.Key).Select(s => $"{s.Value} {s.Key.Name()}")));
        }

        table.Caption("final loss: " + Objective);
        return table;
    }

    private static string Format(double? value, string format) => value?.ToString(format, CultureInfo.InvariantCulture) ?? "-";
}
