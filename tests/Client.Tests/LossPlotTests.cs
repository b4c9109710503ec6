using ScottPlot;
using SweepCluster.Abstractions.Sweeps;
using SweepCluster.Client.Output;

namespace SweepCluster.Client.Tests;

/// <summary>loss.png from curves streamed one at a time is the picture the writer drew when it held every curve.</summary>
public sealed class LossPlotTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("sweep-plot-");

    public void Dispose() => _directory.Delete(recursive: true);

    [Fact]
    public async Task ThePlotFromStreamedCurvesIsByteForByteThePlotFromAllCurvesAtOnce()
    {
        // 8 configurations of 5 seeds, curves of different lengths (the shortest sets a band's length), some without a curve yet.
        var rnd = new Random(3);
        var trials = new List<TrialSummary>();
        var curves = new Dictionary<string, TrialCurve>();
        for (var i = 0; i < 40; i++)
        {
            var id = $"t{i}";
            var len = i % 5 == 4 ? 0 : 180 + i % 3 * 10;
            trials.Add(ResultsWriterTests.Summary(id, $"v{i % 8}", i, [], TrialStatus.Completed, len, 0.1, 0.1, 0.5, null, null, 1));
            var loss = Enumerable.Range(1, len).Select(e => 1.0 / e + rnd.NextDouble() * 0.1).ToArray();
            curves[id] = new TrialCurve(id, loss, loss, loss);
        }
        var dir = _directory.FullName;
        await ResultsWriter.WriteAsync(dir, new FakeSweep(trials, curves), "parity", pageSize: 7);
        var old = Path.Combine(dir, "old.png");
        Old(old, "parity", trials, curves.ToDictionary(c => c.Key, c => (IReadOnlyList<double>)c.Value.Loss));
        Assert.Equal(File.ReadAllBytes(old), File.ReadAllBytes(Path.Combine(dir, "loss.png")));
    }

    /// <summary>The plot as the writer drew it before curves were paged (every curve in memory), kept as the reference.</summary>
    private static void Old(string path, string name, List<TrialSummary> trials, Dictionary<string, IReadOnlyList<double>> curvesById)
    {
        var plot = new Plot();
        var longest = curvesById.Values.Select(c => c.Count).DefaultIfEmpty(0).Max();
        var window = Math.Max(1, longest / 50);
        var palette = new ScottPlot.Palettes.Category10();
        var index = 0;
        foreach (var variant in trials.GroupBy(t => t.Trial.Variant))
        {
            var color = palette.GetColor(index++);
            var curves = variant.Select(t => curvesById.GetValueOrDefault(t.Trial.Id, [])).Where(c => c.Count > 0).ToList();
            if (curves.Count == 0)
            {
                continue;
            }

            var length = curves.Min(c => c.Count);
            var smoothed = curves.Select(c => Smooth(c.Take(length).ToArray(), window)).ToList();
            var xs = Enumerable.Range(1, length).Select(i => (double)i).ToArray();
            var mean = xs.Select((_, i) => smoothed.Average(c => c[i])).ToArray();
            var line = plot.Add.ScatterLine(xs, mean);
            line.Color = color;
            line.LegendText = $"{variant.Key} ({curves.Count} seed{(curves.Count == 1 ? "" : "s")})";
            line.LineWidth = 2;
            if (curves.Count > 1)
            {
                var band = plot.Add.FillY(xs, xs.Select((_, i) => smoothed.Min(c => c[i])).ToArray(), xs.Select((_, i) => smoothed.Max(c => c[i])).ToArray());
                band.FillColor = color.WithAlpha(0.15);
                band.LineWidth = 0;
            }
        }

        var smoothing = window > 1 ? $", moving average of {window} epochs" : "";
        plot.Title($"{name}: loss per epoch (mean over seeds, band = min-max{smoothing})");
        plot.XLabel("epoch");
        plot.YLabel("loss (binary cross-entropy)");
        plot.ShowLegend(Alignment.UpperRight);
        plot.SavePng(path, 1200, 700);
    }

    private static double[] Smooth(double[] values, int window) =>
        values.Select((_, i) => values[Math.Max(0, i - window + 1)..(i + 1)].Average()).ToArray();
}
