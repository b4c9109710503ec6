using SweepCluster.Abstractions.Sweeps;
using SweepCluster.Engine.Stopping;

namespace SweepCluster.Engine;

/// <summary>
/// A sweep's stop_when target, budgets and early-stopping rule, applied to its ledger: asked after each report's new
/// epochs and on each tick, it says whether the sweep ends or the trial stops, and why (worded as results.csv shows it).
/// Keeps no state of its own: everything is read from the ledger, so a reactivated sweep decides as before.
/// </summary>
public sealed class SweepLimits
{
    /// <summary>How often, at most, the median rule holds a trial for a verdict.</summary>
    private const int MedianChecks = 10;

    private readonly SweepSpec _spec;
    private readonly MedianStoppingRule? _median;
    private readonly AshaRule? _asha;

    public SweepLimits(SweepSpec spec)
    {
        _spec = spec;
        if (spec.EarlyStopping is not { } settings)
        {
            JudgedEpochs = [];
        }
        else if (settings.Rule == StoppingRuleKind.Asha)
        {
            _asha = new AshaRule(settings.MinEpochs, settings.Eta, spec.Epochs) { Metric = spec.Objective };
            JudgedEpochs = Validated(_asha.Rungs);
        }
        else
        {
            _median = new MedianStoppingRule(settings.GraceEpochs, settings.MinCompleted) { Metric = spec.Objective };
            var step = Math.Max(1, spec.Epochs / MedianChecks);
            JudgedEpochs = Validated([.. Enumerable.Range(1, MedianChecks).Select(k => settings.GraceEpochs + k * step).Where(e => e < spec.Epochs)]);
        }
    }

    /// <summary>
    /// The rule's epochs moved up to the next validated epoch when the metric is a validation one, so a rule judges a
    /// fresh measurement rather than one up to validate_every - 1 epochs old (ASHA's rungs on a cadence of 13 move from
    /// 9, 27, 81 to 13, 39, 91). A rung that moves onto the last epoch is dropped: a trial there has nothing left to stop.
    /// </summary>
    private IReadOnlyList<int> Validated(IReadOnlyList<int> epochs) =>
        _spec.Objective.IsValidation && _spec.ValidationCadence is { } every
            ? [.. epochs.Select(e => (int)Math.Min((long)(e + every - 1) / every * every, _spec.Epochs)).Where(e => e < _spec.Epochs).Distinct()]
            : epochs;

    /// <summary>
    /// The epochs at which a trial waits for the verdict (ASHA's rungs; ten checks after the median rule's grace period;
    /// none without a rule), so trials whose epochs take a millisecond are judged where the rule says. The rules judge
    /// only there: the ledger keeps a trial's running best at these epochs, not its curve.
    /// </summary>
    public IReadOnlyList<int> JudgedEpochs { get; }

    /// <summary>
    /// After <paramref name="newEpochs"/> of trial <paramref name="index"/> were applied (<see cref="TrialLedger.Apply"/>):
    /// the stop_when target (the first of them to reach it), then max_epochs_total (epochs applied over the sweep), end
    /// the sweep; then, for a running trial, the early-stopping rule at each judged epoch the new epochs reached (the first
    /// that stops it). Call it only while the sweep has not ended.
    /// </summary>
    public LimitDecision? AfterEpochs(TrialLedger ledger, int index, IReadOnlyList<EpochReport> newEpochs)
    {
        if (newEpochs.Count == 0)
        {
            return null;
        }

        if (_spec.StopWhen is { } target && newEpochs.FirstOrDefault(target.IsReachedBy) is { } hit)
        {
            return new EndSweep("stop_when", $"stop_when: trial {hit.TrialId} reached {target.Reached(hit)} at epoch {hit.Epoch}");
        }

        if (_spec.Budget?.MaxEpochsTotal is { } maxEpochs && ledger.EpochsApplied is var trained && trained >= maxEpochs)
        {
            return new EndSweep("max_epochs_total", $"max_epochs_total {maxEpochs}: the sweep's trials trained {trained} epochs");
        }

        var record = ledger[index];
        if (record.Status != TrialStatus.Running || (_asha is null && _median is null))
        {
            return null;
        }

        var (from, to) = (newEpochs[0].Epoch, newEpochs[^1].Epoch);
        for (var k = 0; k < record.JudgedBest.Count; k++)
        {
            var epoch = JudgedEpochs[k];
            if (epoch < from || epoch > to)
            {
                continue;
            }

            var best = record.JudgedBest[k];
            var decision = _asha is not null
                ? _asha.Decide(best, epoch, seen: ledger.Rungs.Reached(k).Count, better: ledger.Rungs.CountBelow(k, best))
                : _median!.Decide(best, epoch, ledger.Rungs.Completed(k));
            if (decision is not null)
            {
                return new StopTrial(decision.Rule, decision.Epoch, $"{decision.Rule}: {decision.Reason}", decision.Reason);
            }
        }

        return null;
    }

    /// <summary>The time_limit, from <paramref name="started"/>, while a trial is unfinished. Call it only while the sweep has not ended.</summary>
    public LimitDecision? AtTick(TrialLedger ledger, DateTimeOffset started, DateTimeOffset now) =>
        _spec.Budget?.TimeLimit is { } limit && now - started >= limit && !ledger.AllFinished
            ? new EndSweep("time_limit", $"time_limit {limit}: the sweep ran that long")
            : null;

    /// <summary>max_trials: the queued trials past the first N are skipped (at submission).</summary>
    public void SkipOverMaxTrials(TrialLedger ledger)
    {
        if (_spec.Budget?.MaxTrials is not { } maxTrials)
        {
            return;
        }

        foreach (var index in ledger.Queued.Where(i => i >= maxTrials).ToList())
        {
            ledger.Skip(index, $"max_trials {maxTrials}: only the first {maxTrials} trials of the spec run");
        }
    }
}
