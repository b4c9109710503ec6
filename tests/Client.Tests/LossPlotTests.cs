using SkiaSharp;
using SweepCluster.Abstractions.Sweeps;
using SweepCluster.Client.Output;

namespace SweepCluster.Client.Tests;

/// <summary>loss.png and the per-configuration curve aggregates it (and report.html) draw from.</summary>
public sealed class LossPlotTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("sweep-plot-");

    public void Dispose() => _directory.Delete(recursive: true);

    [Fact]
    public void CurvesAggregatedOneAtATimeAreTheMeanMinAndMaxOfAllOfThemAtOnce()
    {
        // 8 configurations of 5 seeds, curves of different lengths (the shortest sets a band's length), some without a curve yet.
        var rnd = new Random(3);
        var trials = new List<TrialSummary>();
        var curves = new Dictionary<string, double[]>();
        for (var i = 0; i < 40; i++)
        {
            var id = $"t{i}";
            var len = i % 5 == 4 ? 0 : 180 + i % 3 * 10;
            trials.Add(ResultsWriterTests.Summary(id, $"v{i % 8}", i, [], TrialStatus.Completed, len, 0.1, 0.1, 0.5, null, null, 1));
            curves[id] = [.. Enumerable.Range(1, len).Select(e => 1.0 / e + rnd.NextDouble() * 0.1)];
        }

        var aggregated = new ConfigurationCurves();
        trials.ForEach(aggregated.Plan);
        foreach (var t in trials)
        {
            aggregated.Add(new TrialCurve(t.Trial.Id, curves[t.Trial.Id], curves[t.Trial.Id], curves[t.Trial.Id]));
        }

        var window = curves.Values.Max(c => c.Length) / 50;
        Assert.Equal(window, aggregated.Window);
        foreach (var variant in trials.GroupBy(t => t.Trial.Variant))
        {
            var seeds = variant.Select(t => curves[t.Trial.Id]).Where(c => c.Length > 0).Select(c => Smooth(c, window)).ToList();
            var length = seeds.Min(c => c.Length);
            var band = aggregated.Band(variant.Key)!;
            Assert.Equal((seeds.Count, length), (band.Curves, band.Length));
            for (var e = 0; e < length; e++)
            {
                Assert.Equal(seeds.Average(c => c[e]), band.Mean()[e], 12);
                Assert.Equal(seeds.Min(c => c[e]), band.Min[e], 12);
                Assert.Equal(seeds.Max(c => c[e]), band.Max[e], 12);
            }
        }
    }

    /// <summary>
    /// The data area holds curves only: no dark pixel (the legend's text) inside it, dark text right of it (the
    /// legend), the best configuration's colour inside it, and at 144 configurations the faded grey of the others.
    /// The old plot's legend (inside, upper right) fails the first check.
    /// </summary>
    [Theory]
    [InlineData(6)]
    [InlineData(144)]
    public void TheLegendLiesOutsideTheDataAreaAndOnlyTheBestAreColoured(int configurations)
    {
        var trials = Enumerable.Range(0, configurations * 3).Select(i => ResultsWriterTests.Summary(
            $"t{i}", $"hidden={i / 3 % 12} lr={i / 3 / 12}", i % 3, [], TrialStatus.Completed, 100, 0.1 + i / 3 * 0.01, 0.1, 0.5, null, null, 1)).ToList();
        var curves = new ConfigurationCurves();
        trials.ForEach(curves.Plan);
        foreach (var t in trials)
        {
            double[] loss = [.. Enumerable.Range(1, 100).Select(e => t.FinalLoss!.Value + 1.0 / e + t.Trial.Config.Seed * 0.01)];
            curves.Add(new TrialCurve(t.Trial.Id, loss, loss, loss));
        }

        var path = Path.Combine(_directory.FullName, "loss.png");
        var data = new LossPlot("legend", curves).Save(path, ConfigurationRanking.Rank(trials));

        using var png = SKBitmap.Decode(path);
        var inside = Pixels(png, (int)data.Left + 3, (int)data.Right - 3, (int)data.Top + 3, (int)data.Bottom - 3).ToList();
        var right = Pixels(png, (int)data.Right + 1, png.Width, 0, png.Height).ToList();
        Assert.DoesNotContain(inside, Dark);
        Assert.Contains(right, Dark);
        Assert.Contains(inside, p => p == SKColor.Parse(ConfigurationColors.OfRank(0)));
        Assert.Equal(configurations > ConfigurationColors.Highlighted, inside.Contains(SKColor.Parse(ConfigurationColors.Faded)));
    }

    private static bool Dark(SKColor p) => p.Red < 60 && p.Green < 60 && p.Blue < 60;

    private static IEnumerable<SKColor> Pixels(SKBitmap png, int left, int right, int top, int bottom)
    {
        for (var y = top; y < bottom; y++)
        {
            for (var x = left; x < right; x++)
            {
                yield return png.GetPixel(x, y);
            }
        }
    }

    private static double[] Smooth(double[] values, int window) =>
        [.. values.Select((_, i) => values[Math.Max(0, i - window + 1)..(i + 1)].Average())];
}
