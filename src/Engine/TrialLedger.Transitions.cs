using SweepCluster.Abstractions.Sweeps;

namespace SweepCluster.Engine;

/// <summary>How a trial moves between statuses, as the sweep's dispatcher, rules and watchdog decide.</summary>
public sealed partial class TrialLedger
{
    /// <summary>It trains now on <paramref name="silo"/> (parsable address).</summary>
    public void Started(int index, string silo) => throw new NotImplementedException();

    /// <summary>The sweep stops it at <paramref name="epoch"/> (the trial is told separately); its end follows.</summary>
    public void Stop(int index, string reason, int epoch) => throw new NotImplementedException();

    /// <summary>It will never train: a budget or the target ended the sweep first (or max_trials left it out).</summary>
    public void Skip(int index, string reason) => throw new NotImplementedException();

    /// <summary>Back to the queue with its epochs so far (its silo stops, a pack handed it back): it resumes from there.</summary>
    public void ReturnToQueue(int index) => throw new NotImplementedException();

    /// <summary>
    /// The silo it trained on died: back to the queue to resume from its checkpoint, or failed ("lost its silo 3 times")
    /// once that happened <see cref="MaxSiloLosses"/> times.
    /// </summary>
    public void SiloLost(int index) => throw new NotImplementedException();

    /// <summary>Stopped, but its silo went away before its end came: it stays stopped with the epochs the sweep has.</summary>
    public void EndLost(int index) => throw new NotImplementedException();

    /// <summary>Another go for a failed, cancelled or unschedulable trial: queued from epoch 0 (other statuses: nothing).</summary>
    public void Requeue(int index) => throw new NotImplementedException();

    public void Cancel(int index) => throw new NotImplementedException();

    public void Unschedulable(int index, string error) => throw new NotImplementedException();

    /// <summary>
    /// A trial found already ended: reused from another sweep (its start answered AlreadyFinished), or its end found by the
    /// watchdog. Its record is computed again from <paramref name="curve"/> (the curve store's). A running trial found
    /// stopped by another sweep goes back to the queue, as in <see cref="Apply"/>.
    /// </summary>
    public void ApplyFinished(int index, TrialEnd end, TrialCurve curve) => throw new NotImplementedException();

    /// <summary>The sweep ends early: running trials are stopped at their applied epochs, queued ones skipped. Returns those stopped (to tell them).</summary>
    public IReadOnlyList<int> EndSweep(string reason) => throw new NotImplementedException();

    /// <summary>The sweep is cancelled: queued trials end cancelled. Returns the running ones (to cancel; <see cref="Cancel"/> those that train on for another sweep).</summary>
    public IReadOnlyList<int> CancelQueued() => throw new NotImplementedException();

    /// <summary>Submitted again: failed, cancelled and unschedulable trials are queued again. Returns how many.</summary>
    public int RequeueUnfinished() => throw new NotImplementedException();

    /// <summary>The trial's summary (the silo shown as host:port), cached until it changes.</summary>
    public TrialSummary Summarise(int index) => throw new NotImplementedException();
}
