using SweepCluster.Abstractions.Sweeps;

namespace SweepCluster.Client.Output;

/// <summary>
/// The sweep's curves of its metric (the training loss by default) aggregated per configuration as they stream by: each
/// seed's curve is lightly smoothed and folded into its configuration's <see cref="CurveBand"/>, so only
/// per-configuration, per-epoch numbers are kept. loss.png and report.html both draw from these. A validation metric's
/// curve starts at the first validated epoch (<see cref="FirstEpoch"/>) and holds each measurement until the next, as the
/// stopping rules read it; it is not smoothed (the held-out set is the same every time).
/// </summary>
public sealed class ConfigurationCurves(SweepMetric? metric = null)
{
    private readonly Dictionary<string, CurveBand> _variants = [];
    private readonly Dictionary<string, CurveBand> _trials = [];
    private int _longest;
    private int? _heldFrom;

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

    /// <summary>The sweep's objective, whose curves these are.</summary>
    public SweepMetric Metric { get; } = metric ?? SweepMetric.Default;

    /// <summary>The epoch of each band's first point: 1, or a validation metric's first validated epoch.</summary>
    public int FirstEpoch { get; private set; } = 1;

    /// <summary>What the curves show, as the plots label their axis: <c>loss</c> by default.</summary>
    public string Label => Metric.Name switch
    {
        MetricName.Accuracy => "accuracy",
        MetricName.ValLoss => "validation loss",
        MetricName.ValAccuracy => "validation accuracy",
        _ => "loss",
    };

    /// <summary>Trailing moving-average window, in epochs: a fiftieth of the longest curve (none for a validation metric).</summary>
    public int Window => Metric.IsValidation ? 1 : Math.Max(1, _longest / 50);

    /// <summary>Every configuration in queue order, with or without curves.</summary>
    public IReadOnlyCollection<CurveBand> Bands => _variants.Values;

    public CurveBand? Band(string variant) => _variants.GetValueOrDefault(variant);

    public void Add(TrialCurve curve)
    {
        if (curve.Epochs == 0 || !_trials.TryGetValue(curve.TrialId, out var band))
        {
            return;
        }

        switch (Metric.Name)
        {
            case MetricName.Loss:
                band.Add(Smooth(curve.Loss, Window));
                break;
            case MetricName.Accuracy:
                band.Add(Smooth(curve.Accuracy, Window));
                break;
            default:
                if (Held(Metric.Name == MetricName.ValLoss ? curve.ValLoss : curve.ValAccuracy) is { } held)
                {
                    band.Add(held);
                }

                break;
        }
    }

    /// <summary>
    /// The measurements from <see cref="FirstEpoch"/> on, each held until the next (a curve whose first measurement
    /// comes later starts with it); null for a curve without any.
    /// </summary>
    private double[]? Held(double?[]? measured)
    {
        var first = measured is null ? -1 : Array.FindIndex(measured, v => v is not null);
        if (first < 0)
        {
            return null;
        }

        if (_heldFrom is null)
        {
            _heldFrom = first;
            FirstEpoch = first + 1;
        }

        var from = _heldFrom.Value;
        if (measured!.Length <= from)
        {
            return null;
        }

        var held = new double[measured.Length - from];
        var last = measured[first]!.Value;
        for (var i = from; i < measured.Length; i++)
        {
            last = measured[i] ?? last;
            held[i - from] = last;
        }

        return held;
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
