using SweepCluster.Abstractions.Sweeps;

namespace SweepCluster.Engine;

/// <summary>The report path: each epoch applied once, by number, in two phases around the curve store's write.</summary>
public sealed partial class TrialLedger
{
    /// <summary>
    /// The epochs of <paramref name="report"/> the sweep does not have: those past <see cref="TrialRecord.Epochs"/>,
    /// contiguous from Epochs + 1. A report starting past Epochs + 1 is a gap: nothing (the ack says where to resend from).
    /// A trial that ended for the sweep (<see cref="TrialRecord.HasEnded"/>) takes nothing more. Changes nothing: the
    /// caller writes the new epochs to the curve store, then calls <see cref="Apply"/>.
    /// </summary>
    public EpochIntake Accept(int index, TrialReport report)
    {
        var record = _records[index];
        if (record.HasEnded || report.Epochs.Count == 0)
        {
            return EpochIntake.Nothing;
        }

        if (report.Epochs[0].Epoch > record.Epochs + 1)
        {
            return new EpochIntake([], Gap: true);
        }

        var next = record.Epochs + 1;
        var fresh = new List<EpochReport>();
        foreach (var epoch in report.Epochs)
        {
            if (epoch.Epoch == next)
            {
                fresh.Add(epoch);
                next++;
            }
            else if (epoch.Epoch > next)
            {
                break; // a hole inside the report: what follows it is sent again after the ack
            }
        }

        return fresh.Count == 0 ? EpochIntake.Nothing : new EpochIntake(fresh, Gap: false);
    }

    /// <summary>
    /// Applies epochs <see cref="Accept"/> returned (after they were stored), then <paramref name="end"/> if the sweep now
    /// holds every epoch it covers (Epochs &gt;= end.Epochs; an end ahead of its epochs waits for them). Epochs that do
    /// not continue the record (already applied, or past a hole) are ignored, so applying a batch twice changes nothing.
    /// A trial stopped early that this sweep did not stop was stopped by another sweep sharing it (same configuration and
    /// seed); this one wants it trained to the end, so it goes back to the queue.
    /// </summary>
    public void Apply(int index, IReadOnlyList<EpochReport> newEpochs, TrialEnd? end)
    {
        var record = _records[index];
        if (record.HasEnded)
        {
            return;
        }

        var grows = newEpochs.Any(e => e.Epoch > record.Epochs);
        var ends = end is not null && record.Epochs + newEpochs.Count(e => e.Epoch > record.Epochs) >= end.Epochs;
        if (!grows && !ends)
        {
            return;
        }

        Change(index, r =>
        {
            foreach (var epoch in newEpochs)
            {
                if (epoch.Epoch == r.Epochs + 1)
                {
                    Append(r, epoch);
                }
            }

            if (end is not null && r.Epochs >= end.Epochs)
            {
                TakeEnd(r, end, stoppedByAnother: end.Status == TrialStatus.Stopped && r.Status != TrialStatus.Stopped);
            }
        });
    }

    /// <summary>
    /// The answer to a report (<paramref name="end"/>: the end it carried). AppliedThrough: <see cref="TrialRecord.Epochs"/>.
    /// Stop: the sweep stopped the trial (status Stopped). Done: the sweep needs nothing more of this run: it ended for the
    /// sweep (<see cref="TrialRecord.HasEnded"/>), or this report's end was taken (a trial stopped by another sweep goes
    /// back to the queue with it). A queued trial that still reports is not done: the sweep queued it believing its silo
    /// lost (a ping that reached another activation while the cluster settled), yet it trains on, and its epochs are the
    /// sweep's only copy of them; dropping it here would leave its end to be found without them.
    /// </summary>
    public ReportAck Ack(int index, TrialEnd? end = null)
    {
        var record = _records[index];
        var done = record.HasEnded || (end is not null && record.Epochs >= end.Epochs && record.Status != TrialStatus.Running);
        return new ReportAck(record.Epochs, record.Status == TrialStatus.Stopped, done);
    }

    /// <summary>The next epoch of a record's curve.</summary>
    private void Append(TrialRecord record, EpochReport epoch)
    {
        var (loss, accuracy, seconds) = (epoch.Loss, epoch.Accuracy, epoch.Seconds);
        record.Epochs++;
        record.LastLoss = loss;
        record.BestLoss = record.BestLoss is { } best ? Math.Min(best, loss) : loss; // NaN once a NaN came, as Enumerable.Min
        record.LastAccuracy = accuracy;
        record.Seconds += seconds;
        // The rules' running best is the metric's (lower-is-better score); an epoch the metric was not measured at keeps
        // the best of those it was, so a rule judging there reads the latest measurement at or before it.
        var value = Metric.ValueOf(epoch);
        if (Metric.IsValidation && value is not null)
        {
            record.LastValidation = value;
        }

        if (value is { } measured && Metric.Score(measured) is var score && double.IsFinite(score) && score < record.FiniteBest)
        {
            record.FiniteBest = score;
        }

        if (record.RecentList.Count == TrialRecord.RecentCount)
        {
            record.RecentList.RemoveAt(0);
        }

        record.RecentList.Add(loss);
        var judged = record.JudgedBestList.Count;
        if (judged < JudgedEpochs.Count && JudgedEpochs[judged] == record.Epochs)
        {
            record.JudgedBestList.Add(record.FiniteBest);
        }
    }

    /// <summary>Takes how a trial's training ended (its epochs are in the record).</summary>
    private static void TakeEnd(TrialRecord record, TrialEnd end, bool stoppedByAnother)
    {
        record.Status = end.Status;
        record.AwaitingEnd = false;
        if (end.Status != TrialStatus.Stopped)
        {
            // It ended another way before the stop reached it (it completed, diverged, failed).
            (record.StopReason, record.StopEpoch) = (null, null);
        }

        (record.TestLoss, record.TestAccuracy, record.Error) = (end.TestLoss, end.TestAccuracy, Text(end.Error));
        if (stoppedByAnother)
        {
            ToQueue(record);
        }
    }

    private static void ToQueue(TrialRecord record)
    {
        record.Status = TrialStatus.Queued;
        record.Silo = null;
        (record.StopReason, record.StopEpoch, record.AwaitingEnd) = (null, null, false);
    }

    private static string? Text(string? text) => text is { Length: > MaxTextLength } ? Cut(text, MaxTextLength) : text;

    /// <summary>The first <paramref name="length"/> characters, not splitting a surrogate pair.</summary>
    internal static string Cut(string text, int length)
    {
        if (text.Length <= length)
        {
            return text;
        }

        if (length > 0 && char.IsHighSurrogate(text[length - 1]))
        {
            length--;
        }

        return text[..length];
    }
}
