using System.Globalization;
using Spectre.Console;
using SweepCluster.Client.Running;

namespace SweepCluster.Client.Output;

/// <summary>The sweep's variants ranked by final loss (mean over seeds), as a terminal table.</summary>
public static class Leaderboard
{
    public static Table Build(IReadOnlyList<TrialRecord> records)
    {
        var table = new Table().RoundedBorder()
            .AddColumn("#").AddColumn("variant").AddColumn("seeds")
            .AddColumn(new TableColumn("final loss").RightAligned())
            .AddColumn(new TableColumn("test loss").RightAligned())
            .AddColumn(new TableColumn("test acc").RightAligned())
            .AddColumn("status");
        var rows = records.GroupBy(r => r.Trial.Variant)
            .Select(g => new
            {
                Variant = g.Key,
                Seeds = g.Count(),
                FinalLoss = Mean(g.Select(r => r.FinalLoss)),
                TestLoss = Mean(g.Select(r => r.Test?.Loss)),
                TestAccuracy = Mean(g.Select(r => r.Test?.Accuracy)),
                Status = string.Join(", ", g.GroupBy(r => r.Status).Select(s => $"{s.Count()} {s.Key.ToString().ToLowerInvariant()}")),
            })
            .OrderBy(r => r.FinalLoss ?? double.PositiveInfinity)
            .ToList();
        for (var i = 0; i < rows.Count; i++)
        {
            var r = rows[i];
            table.AddRow(
                (i + 1).ToString(CultureInfo.InvariantCulture), Markup.Escape(r.Variant), r.Seeds.ToString(CultureInfo.InvariantCulture),
                Format(r.FinalLoss, "F4"), Format(r.TestLoss, "F4"), Format(r.TestAccuracy, "P1"), r.Status);
        }

        table.Caption("final loss: mean over each trial's last tenth of epochs (1-10), averaged over seeds");
        return table;
    }

    private static double? Mean(IEnumerable<double?> values)
    {
        var present = values.OfType<double>().ToList();
        return present.Count == 0 ? null : present.Average();
    }

    private static string Format(double? value, string format) => value?.ToString(format, CultureInfo.InvariantCulture) ?? "-";
}
