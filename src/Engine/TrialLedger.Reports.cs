using SweepCluster.Abstractions.Sweeps;

namespace SweepCluster.Engine;

/// <summary>The report path: each epoch applied once, by number, in two phases around the curve store's write.</summary>
public sealed partial class TrialLedger
{
    /// <summary>
    /// The epochs of <paramref name="report"/> the sweep does not have: those past <see cref="TrialRecord.Epochs"/>,
    /// contiguous from Epochs + 1. A report starting past Epochs + 1 is a gap: nothing (the ack says where to resend from).
    /// Changes nothing: the caller writes the new epochs to the curve store, then calls <see cref="Apply"/>.
    /// </summary>
    public EpochIntake Accept(int index, TrialReport report) => throw new NotImplementedException();

    /// <summary>
    /// Applies epochs <see cref="Accept"/> returned (after they were stored), then <paramref name="end"/> if the sweep now
    /// holds every epoch it covers (Epochs &gt;= end.Epochs; an end ahead of its epochs waits for them).
    /// A trial stopped early that this sweep did not stop was stopped by another sweep sharing it: it goes back to the queue.
    /// </summary>
    public void Apply(int index, IReadOnlyList<EpochReport> newEpochs, TrialEnd? end) => throw new NotImplementedException();

    /// <summary>
    /// The answer to a report. AppliedThrough: <see cref="TrialRecord.Epochs"/>. Stop: the sweep stopped the trial (status
    /// Stopped). Done: the sweep needs nothing more of this run: it is neither running nor awaiting its end (it ended, was
    /// skipped, cancelled, or went back to the queue, so a later start is a new run).
    /// </summary>
    public ReportAck Ack(int index) => throw new NotImplementedException();
}
