using SweepCluster.Abstractions.Sweeps;

namespace SweepCluster.Client.Output;

/// <summary>
/// The sweep's loss curves aggregated per configuration as they stream by: each seed's curve is lightly smoothed and
/// folded into its configuration's <see cref="CurveBand"/>, so only per-configuration, per-epoch numbers are kept.
/// loss.png and report.html both draw from these.
/// </summary>
public sealed class ConfigurationCurves
{
    private readonly Dictionary<string, CurveBand> _variants = [];
    private readonly Dictionary<string, CurveBand> _trials = [];
    private int _longest;

    /// <summary>Before any curve: the trials in queue order (they fix the configurations' order and the smoothing).</summary>
    public void Plan(TrialSummary trial)
    {
        if (!_variants.TryGetValue(trial.Trial.Variant, out var band))
        {
            band = new CurveBand(trial.Trial.Variant, _variants.Count);
            _variants.Add(trial.Trial.Variant, band);
        }

        _trials[trial.Trial.Id] = band;
        _longest = Math.Max(_longest, trial.Epochs);
    }

    /// <summary>Trailing moving-average window, in epochs: a fiftieth of the longest curve.</summary>
    public int Window => Math.Max(1, _longest / 50);

    /// <summary>Every configuration in queue order, with or without curves.</summary>
    public IReadOnlyCollection<CurveBand> Bands => _variants.Values;

    public CurveBand? Band(string variant) => _variants.GetValueOrDefault(variant);

    public void Add(TrialCurve curve)
    {
        if (curve.Epochs > 0 && _trials.TryGetValue(curve.TrialId, out var band))
        {
            band.Add(Smooth(curve.Loss, Window));
        }
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
}
