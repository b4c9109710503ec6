using ScottPlot;
using SweepCluster.Abstractions.Sweeps;

namespace SweepCluster.Client.Output;

/// <summary>
/// loss.png: one line per configuration, the mean of its seeds' lightly smoothed loss curves, with their min-max as a
/// band. Curves are added one at a time and only per-configuration, per-epoch aggregates are kept.
/// </summary>
internal sealed class LossPlot(string name)
{
    private readonly Dictionary<string, Band> _variants = [];
    private readonly Dictionary<string, Band> _trials = [];
    private int _longest;

    /// <summary>Before any curve: the trials in queue order (they fix the configurations' order, colours and the smoothing).</summary>
    public void Plan(TrialSummary trial)
    {
        if (!_variants.TryGetValue(trial.Trial.Variant, out var band))
        {
            band = new Band(trial.Trial.Variant, _variants.Count);
            _variants.Add(trial.Trial.Variant, band);
        }

        _trials[trial.Trial.Id] = band;
        _longest = Math.Max(_longest, trial.Epochs);
    }

    /// <summary>The longest curve the trials reported, in epochs.</summary>
    public int Longest => _longest;

    private int Window => Math.Max(1, _longest / 50);

    public void Add(TrialCurve curve)
    {
        if (curve.Epochs > 0 && _trials.TryGetValue(curve.TrialId, out var band))
        {
            band.Add(Smooth(curve.Loss, Window));
        }
    }

    public void Save(string path)
    {
        var plot = new Plot();
        // Colours assigned per configuration: left to the plot, the bands would take palette colours too.
        var palette = new ScottPlot.Palettes.Category10();
        foreach (var band in _variants.Values.Where(b => b.Curves > 0))
        {
            var color = palette.GetColor(band.Index);
            var xs = Enumerable.Range(1, band.Length).Select(i => (double)i).ToArray();
            var line = plot.Add.ScatterLine(xs, band.Sum.Take(band.Length).Select(s => s / band.Curves).ToArray());
            line.Color = color;
            line.LegendText = $"{band.Variant} ({band.Curves} seed{(band.Curves == 1 ? "" : "s")})";
            line.LineWidth = 2;
            if (band.Curves > 1)
            {
                var fill = plot.Add.FillY(xs, band.Min[..band.Length], band.Max[..band.Length]);
                fill.FillColor = color.WithAlpha(0.15);
                fill.LineWidth = 0;
            }
        }

        var smoothing = Window > 1 ? $", moving average of {Window} epochs" : "";
        plot.Title($"{name}: loss per epoch (mean over seeds, band = min-max{smoothing})");
        plot.XLabel("epoch");
        plot.YLabel("loss (binary cross-entropy)");
        plot.ShowLegend(Alignment.UpperRight);
        plot.SavePng(path, 1200, 700);
    }

    /// <summary>Trailing moving average; each point averages up to <paramref name="window"/> epochs ending at it.</summary>
    private static double[] Smooth(double[] values, int window)
    {
        var smoothed = new double[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            var (from, sum) = (Math.Max(0, i - window + 1), 0.0);
            for (var j = from; j <= i; j++)
            {
                sum += values[j];
            }

            smoothed[i] = sum / (i + 1 - from);
        }

        return smoothed;
    }

    /// <summary>A configuration's seeds so far, over the epochs all of them have (the shortest curve's length).</summary>
    private sealed class Band(string variant, int index)
    {
        public string Variant => variant;

        public int Index => index;

        public int Curves { get; private set; }

        public int Length { get; private set; }

        public double[] Sum { get; private set; } = [];

        public double[] Min { get; private set; } = [];

        public double[] Max { get; private set; } = [];

        public void Add(double[] smoothed)
        {
            if (Curves++ == 0)
            {
                (Length, Sum) = (smoothed.Length, smoothed);
                return;
            }

            // The band only from a second seed on: a sweep of one seed per configuration keeps one array each.
            if (Curves == 2)
            {
                (Min, Max) = (Sum[..Length], Sum[..Length]);
            }

            Length = Math.Min(Length, smoothed.Length);
            for (var i = 0; i < Length; i++)
            {
                Sum[i] += smoothed[i];
                Min[i] = Math.Min(Min[i], smoothed[i]);
                Max[i] = Math.Max(Max[i], smoothed[i]);
            }
        }
    }
}
