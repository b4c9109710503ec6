using ScottPlot;
using SweepCluster.Abstractions.Sweeps;

namespace SweepCluster.Client.Output;

/// <summary>
/// loss.png: one line per configuration, the mean of its seeds' lightly smoothed loss curves (the curves of the sweep's
/// metric, when it chose one: a validation metric draws its validation curve). The best
/// <see cref="ConfigurationColors.Highlighted"/> configurations by final loss are coloured, with their seeds' min-max
/// as a band and a legend entry; the rest are thin grey lines, so 6 and 144 configurations read alike. The legend sits
/// right of the data area, never over the curves.
/// </summary>
public sealed class LossPlot(string name, ConfigurationCurves curves)
{
    /// <summary>Draws the plot; <paramref name="ranked"/> is the leaderboard. Returns the data area's pixels in the image.</summary>
    public PixelRect Save(string path, IReadOnlyList<ConfigurationRow> ranked)
    {
        var plot = new Plot();
        var rankOf = ranked.Select((r, i) => (r, i)).Where(r => r.r.FinalOf(curves.Metric) is not null).ToDictionary(r => r.r.Variant, r => r.i);
        var drawn = curves.Bands.Where(b => b.Curves > 0).ToList();
        var highlighted = drawn.Where(b => ConfigurationColors.OfRank(rankOf.GetValueOrDefault(b.Variant, -1)) is not null)
            .OrderBy(b => rankOf[b.Variant]) // the legend lists them best first
            .ToList();
        foreach (var band in drawn.Except(highlighted))
        {
            var line = plot.Add.ScatterLine(Epochs(band), band.Mean());
            line.Color = Color.FromHex(ConfigurationColors.Faded);
            line.LineWidth = 1;
            line.MarkerSize = 0;
        }

        foreach (var band in highlighted)
        {
            var rank = rankOf[band.Variant];
            var color = Color.FromHex(ConfigurationColors.OfRank(rank)!);
            var xs = Epochs(band);
            if (band.Curves > 1)
            {
                var fill = plot.Add.FillY(xs, band.Min[..band.Length], band.Max[..band.Length]);
                fill.FillColor = color.WithAlpha(0.15);
                fill.LineWidth = 0;
            }

            var line = plot.Add.ScatterLine(xs, band.Mean());
            line.Color = color;
            line.LineWidth = 2;
            line.MarkerSize = 0;
            line.LegendText = $"#{rank + 1} {band.Variant} ({band.Curves} seed{(band.Curves == 1 ? "" : "s")})";
        }

        var smoothing = curves.Window > 1 ? $", moving average of {curves.Window} epochs" : "";
        var faded = drawn.Count - highlighted.Count;
        var rest = faded > 0 ? $"\nthe best {highlighted.Count} of {drawn.Count} configurations by final {curves.Metric.SpecName} in colour, the other {faded} grey" : "";
        plot.Title($"{name}: {curves.Label} per epoch (mean over seeds, band = min-max{smoothing}){rest}", size: 14);
        plot.XLabel("epoch");
        plot.YLabel(curves.Metric.Name is MetricName.Loss or MetricName.ValLoss ? $"{curves.Label} (binary cross-entropy)" : curves.Label);
        plot.ShowLegend(Edge.Right);
        plot.SavePng(path, 1200, 700);
        return plot.RenderManager.LastRender.DataRect;
    }

    private double[] Epochs(CurveBand band) => [.. Enumerable.Range(curves.FirstEpoch, band.Length).Select(i => (double)i)];
}
