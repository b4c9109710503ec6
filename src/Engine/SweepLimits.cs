using SweepCluster.Abstractions.Sweeps;

namespace SweepCluster.Engine;

/// <summary>
/// A sweep's stop_when target, budgets and early-stopping rule, applied to its ledger: asked after each report's new
/// epochs and on each tick, it says whether the sweep ends or the trial stops, and why (worded as results.csv shows it).
/// Keeps no state of its own: everything is read from the ledger, so a reactivated sweep decides as before.
/// </summary>
public sealed class SweepLimits
{
    public SweepLimits(SweepSpec spec) => throw new NotImplementedException();

    /// <summary>
    /// The epochs at which a trial waits for the verdict (ASHA's rungs; ten checks after the median rule's grace period;
    /// none without a rule), so trials whose epochs take a millisecond are judged where the rule says.
    /// </summary>
    public IReadOnlyList<int> JudgedEpochs => throw new NotImplementedException();

    /// <summary>
    /// After <paramref name="newEpochs"/> of trial <paramref name="index"/> were applied: the stop_when target (any of
    /// them), then max_epochs_total (epochs applied over the sweep), end the sweep; then, for a running trial, the
    /// early-stopping rule at each judged epoch the new epochs reached. Call it only while the sweep has not ended.
    /// </summary>
    public LimitDecision? AfterEpochs(TrialLedger ledger, int index, IReadOnlyList<EpochReport> newEpochs) => throw new NotImplementedException();

    /// <summary>The time_limit, from <paramref name="started"/>, while a trial is unfinished. Call it only while the sweep has not ended.</summary>
    public LimitDecision? AtTick(TrialLedger ledger, DateTimeOffset started, DateTimeOffset now) => throw new NotImplementedException();

    /// <summary>max_trials: the trials past the first N are skipped (at submission).</summary>
    public void SkipOverMaxTrials(TrialLedger ledger) => throw new NotImplementedException();
}
