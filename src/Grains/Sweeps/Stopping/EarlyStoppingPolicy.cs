using SweepCluster.Abstractions.Sweeps;

namespace SweepCluster.Grains.Sweeps.Stopping;

/// <summary>
/// A sweep's <c>early_stopping</c> rule applied to its trials: asked each time a running trial's curve grows, it says
/// whether the trial should stop, and why. Reads only the curves the sweep holds, so it needs no state of its own.
/// </summary>
public sealed class EarlyStoppingPolicy
{
    private readonly MedianStoppingRule? _median;
    private readonly AshaRule? _asha;

    private EarlyStoppingPolicy(EarlyStopping settings, int epochs)
    {
        if (settings.Rule == StoppingRuleKind.Asha)
        {
            _asha = new AshaRule(settings.MinEpochs, settings.Eta, epochs);
            JudgedEpochs = _asha.Rungs;
        }
        else
        {
            _median = new MedianStoppingRule(settings.GraceEpochs, settings.MinCompleted);
            var step = Math.Max(1, epochs / MedianChecks);
            JudgedEpochs = [.. Enumerable.Range(1, MedianChecks).Select(k => settings.GraceEpochs + k * step).Where(e => e < epochs)];
        }
    }

    /// <summary>How often, at most, the median rule holds a trial for a verdict (reports judge it in between as they come).</summary>
    private const int MedianChecks = 10;

    /// <summary>
    /// The epochs at which a trial waits for the verdict (ASHA's rungs; ten checks after the median rule's grace period),
    /// so trials whose epochs take a millisecond are judged where the rule says, not where their next report lands.
    /// </summary>
    public IReadOnlyList<int> JudgedEpochs { get; }

    /// <summary>The spec's rule, or null when it has none.</summary>
    public static EarlyStoppingPolicy? For(SweepSpec spec) =>
        spec.EarlyStopping is { } settings ? new EarlyStoppingPolicy(settings, spec.Epochs) : null;

    /// <param name="trial">A running trial whose curve just grew.</param>
    /// <param name="before">How many epochs of it (from epoch 1, without a gap) were known before.</param>
    /// <param name="trials">All of the sweep's trials.</param>
    public StopDecision? Decide(SweepTrialState trial, int before, IReadOnlyList<SweepTrialState> trials)
    {
        var curve = trial.Best();
        if (curve.Epochs <= before)
        {
            return null;
        }

        if (_asha is not null)
        {
            var others = trials.Where(t => t != trial).Select(t => t.Best()).ToList();
            return _asha.RungsBetween(before, curve.Epochs).Select(rung => _asha.Decide(curve, rung, others)).FirstOrDefault(d => d is not null);
        }

        // The median rule holds at every epoch; judging the newest one of each report is enough.
        var completed = trials.Where(t => t.Status == TrialStatus.Completed).Select(t => t.Best());
        return _median!.Decide(curve, curve.Epochs, completed);
    }
}
