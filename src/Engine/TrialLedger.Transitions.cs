using SweepCluster.Abstractions.Sweeps;

namespace SweepCluster.Engine;

/// <summary>How a trial moves between statuses, as the sweep's dispatcher, rules and watchdog decide.</summary>
public sealed partial class TrialLedger
{
    /// <summary>It trains now on <paramref name="silo"/> (parsable address).</summary>
    public void Started(int index, string silo) => Change(index, r => (r.Status, r.Silo) = (TrialStatus.Running, Intern(silo)));

    /// <summary>The trainer reports (a ping) that it trains on <paramref name="silo"/>; nothing else changes.</summary>
    public void TrainsOn(int index, string silo)
    {
        if (_records[index].Silo != silo)
        {
            Change(index, r => r.Silo = Intern(silo));
        }
    }

    /// <summary>The sweep stops it at <paramref name="epoch"/> (the trial is told separately); its end follows.</summary>
    public void Stop(int index, string reason, int epoch) =>
        Change(index, r => (r.Status, r.StopReason, r.StopEpoch, r.AwaitingEnd) = (TrialStatus.Stopped, Text(reason), epoch, true));

    /// <summary>It will never train: a budget or the target ended the sweep first (or max_trials left it out).</summary>
    public void Skip(int index, string reason) => Change(index, r => (r.Status, r.StopReason) = (TrialStatus.Skipped, Text(reason)));

    /// <summary>Back to the queue with its epochs so far (its silo stops, a pack handed it back): it resumes from there.</summary>
    public void ReturnToQueue(int index) => Change(index, ToQueue);

    /// <summary>
    /// The silo it trained on died (or left without handing it back): back to the queue to resume from its checkpoint,
    /// or failed ("lost its silo 3 times") once that happened <see cref="MaxSiloLosses"/> times.
    /// </summary>
    public void SiloLost(int index) => Change(index, r =>
    {
        ToQueue(r);
        if (++r.SiloLosses >= MaxSiloLosses)
        {
            r.Status = TrialStatus.Failed;
            r.Error = $"lost its silo {r.SiloLosses} times";
        }
    });

    /// <summary>Stopped, but its silo went away before its end came: it stays stopped with the epochs the sweep has.</summary>
    public void EndLost(int index) => Change(index, r => r.AwaitingEnd = false);

    /// <summary>Another go for a failed, cancelled or unschedulable trial: queued from epoch 0 (any other status: nothing).</summary>
    public void Requeue(int index)
    {
        if (_records[index].Status is TrialStatus.Failed or TrialStatus.Cancelled or TrialStatus.Unschedulable)
        {
            Change(index, r =>
            {
                ClearCurve(r);
                (r.Status, r.SiloLosses, r.AwaitingEnd) = (TrialStatus.Queued, 0, false);
                (r.TestLoss, r.TestAccuracy, r.Error, r.StopReason, r.StopEpoch) = (null, null, null, null, null);
            });
        }
    }

    /// <summary>It ends cancelled (queued when the sweep was cancelled, or running on for another sweep).</summary>
    public void Cancel(int index) => Change(index, r => (r.Status, r.AwaitingEnd) = (TrialStatus.Cancelled, false));

    public void Unschedulable(int index, string error) => Change(index, r => (r.Status, r.Error) = (TrialStatus.Unschedulable, Text(error)));

    /// <summary>
    /// A trial found already ended: reused from another sweep (its start answered AlreadyFinished), or its end found by the
    /// watchdog. Its record is computed again from <paramref name="curve"/> (the curve store's). A running trial found
    /// stopped by another sweep goes back to the queue, as in <see cref="Apply"/>; one found at its start keeps that end.
    /// </summary>
    public void ApplyFinished(int index, TrialEnd end, TrialCurve curve) => Change(index, r =>
    {
        var stoppedByAnother = end.Status == TrialStatus.Stopped && r.Status == TrialStatus.Running;
        ClearCurve(r);
        for (var k = 0; k < curve.Epochs; k++)
        {
            Append(r, new EpochReport(
                curve.TrialId, k + 1, curve.Loss[k], At(curve.Accuracy, k), At(curve.Seconds, k), curve.ValLoss?.ElementAtOrDefault(k),
                curve.ValAccuracy?.ElementAtOrDefault(k)));
        }

        TakeEnd(r, end, stoppedByAnother);
    });

    /// <summary>The sweep ends early: running trials are stopped at their applied epochs, queued ones skipped. Returns those stopped (to tell them).</summary>
    public IReadOnlyList<int> EndSweep(string reason)
    {
        var stopped = _running.ToList();
        foreach (var index in stopped)
        {
            Stop(index, reason, _records[index].Epochs);
        }

        foreach (var index in _queued.ToList())
        {
            Skip(index, reason);
        }

        return stopped;
    }

    /// <summary>The sweep is cancelled: queued trials end cancelled. Returns the running ones, to cancel (then <see cref="Cancel"/> those that train on for another sweep).</summary>
    public IReadOnlyList<int> CancelQueued()
    {
        foreach (var index in _queued.ToList())
        {
            Cancel(index);
        }

        return [.. _running];
    }

    /// <summary>Submitted again: failed, cancelled and unschedulable trials are queued again. Returns how many.</summary>
    public int RequeueUnfinished()
    {
        var again = Enumerable.Range(0, Count)
            .Where(i => _records[i].Status is TrialStatus.Failed or TrialStatus.Cancelled or TrialStatus.Unschedulable)
            .ToList();
        again.ForEach(Requeue);
        return again.Count;
    }

    /// <summary>The trial's summary (the silo shown as host:port), made when asked: kept for every trial it would double the ledger.</summary>
    public TrialSummary Summarise(int index)
    {
        var r = _records[index];
        return new TrialSummary(
            _trials[index], r.Status, r.Epochs, r.LastLoss, r.BestLoss, r.LastAccuracy, r.FinalLoss, r.TestLoss, r.TestAccuracy,
            r.Seconds, r.Error, r.Silo is null ? null : _silos[r.Silo].Endpoint, r.StopReason, FinalMetric(r), BestMetric(r));
    }

    /// <summary>
    /// The metric's final value: the training loss's is its final loss (the mean of the last few, as before), the
    /// training accuracy's the last epoch's, a validation metric's the latest measurement (the held-out set is fixed, so
    /// it needs no smoothing).
    /// </summary>
    internal double? FinalMetric(TrialRecord r) => Metric.Name switch
    {
        MetricName.Loss => r.FinalLoss,
        MetricName.Accuracy => r.LastAccuracy,
        _ => r.LastValidation,
    };

    /// <summary>The metric's best finite value (the rules' running best, turned back from its score).</summary>
    private double? BestMetric(TrialRecord r) => double.IsFinite(r.FiniteBest) ? Metric.Value(r.FiniteBest) : null;

    private static double At(double[] values, int k) => k < values.Length ? values[k] : 0;

    private static void ClearCurve(TrialRecord r)
    {
        r.Epochs = 0;
        (r.LastLoss, r.BestLoss, r.LastAccuracy, r.FrozenFinalLoss) = (null, null, null, null);
        (r.FiniteBest, r.Seconds, r.LastValidation) = (double.PositiveInfinity, 0, null);
        r.RecentList.Clear();
        r.JudgedBestList.Clear();
    }
}
