using Microsoft.Extensions.Logging;
using SweepCluster.Abstractions.Sweeps;
using SweepCluster.Experiments;
using SweepCluster.Training.Training;

namespace SweepCluster.Grains.Trials;

/// <summary>A trial's training on its slot thread, from its first report to the hand-over of its end.</summary>
public sealed partial class TrainingWorker
{
    private void Train(RunningTrial trial)
    {
        var job = trial.Job;
        Open(trial);
        var steps = new StepClock(_metrics, job.Config);
        TrialEnd? end;
        try
        {
            // A trial this silo cannot hold fails with the numbers rather than taking the silo down (issue 14).
            if (TrialFootprint.Of(job.Config).Exceeds(AvailableMemory.Bytes()) is { } tooBig)
            {
                throw new InsufficientMemoryException(tooBig);
            }

            var result = _trainer.Train(job.Config, new TrainerOptions
            {
                Checkpoints = job.CheckpointEvery > 0 ? _checkpoints : null,
                CheckpointKey = job.TrialId,
                CheckpointEvery = job.CheckpointEvery,
                MinCheckpointInterval = _minCheckpointInterval,
                OnResumed = history =>
                {
                    TrialResumed(_logger, job.TrialId, history.Count);
                    trial.Outbox.Seed(history.Select(e => ToReport(job.TrialId, e)));
                },
                OnEpoch = epoch =>
                {
                    Report(trial, epoch);
                    steps.Restart();
                },
                OnStep = (_, _, _) => steps.Step(),
                Suspend = trial.Suspend.Token,
            }, trial.Cancellation.Token);
            end = EndOf(trial, result);
        }
        catch (Exception e)
        {
            TrialFailed(_logger, e, job.TrialId);
            end = new TrialEnd(TrialStatus.Failed, trial.Outbox.Epochs, Error: e.Message);
        }

        HandOver(trial, end, freeSlot: true);
    }

    /// <summary>How training ended, as its sweeps hear of it; null: suspended by the silo's shutdown, to resume elsewhere.</summary>
    private static TrialEnd? EndOf(RunningTrial trial, TrialResult result) => result.Outcome switch
    {
        TrialOutcome.Completed => new TrialEnd(TrialStatus.Completed, trial.Outbox.Epochs, result.Test?.Loss, result.Test?.Accuracy),
        TrialOutcome.Diverged => new TrialEnd(TrialStatus.Diverged, trial.Outbox.Epochs),
        _ when trial.StoppedEarly => new TrialEnd(TrialStatus.Stopped, trial.Outbox.Epochs),

        // Stopped by the silo's shutdown rather than by a user: it resumes elsewhere.
        _ when trial.Suspend.IsCancellationRequested => null,
        _ => new TrialEnd(TrialStatus.Cancelled, trial.Outbox.Epochs),
    };

    /// <summary>A trial's training starts on its slot: its report pump and its metrics.</summary>
    private void Open(RunningTrial trial)
    {
        TrialStarted(_logger, trial.TrialId);
        _metrics.TrialStarted(trial.TrialId, trial.Job.SweepId, trial.Job.Config);
        trial.Pump = Task.Run(() => trial.Outbox.PumpAsync(() => ReportInterval(_running.Count, _reportsPerSecond), trial.TrainingEnded.Task));
    }

    /// <summary>One trained epoch: into the outbox, counted, and judged where its sweep's rule judges.</summary>
    private void Report(RunningTrial trial, EpochMetrics epoch)
    {
        trial.Outbox.Add(ToReport(trial.TrialId, epoch));
        _metrics.EpochTrained(trial.TrialId, epoch);
        if (trial.Outbox.Judge(epoch.Epoch))
        {
            StopEarly(trial.TrialId); // within the next step: the stopped trial's curve ends at the judged epoch
        }
    }

    /// <summary>
    /// A trial's training is over (<paramref name="end"/> null: suspended). Its slot is free before the sweeps hear of
    /// the end, so the trial they start next finds room; the end is delivered off this thread, so a slow or retried
    /// delivery never holds a slot. A pack's members leave without the slot, which the pack frees once.
    /// </summary>
    private void HandOver(RunningTrial trial, TrialEnd? end, bool freeSlot)
    {
        trial.Outbox.Close();
        trial.TrainingEnded.TrySetResult();
        _metrics.TrialEnded(trial.TrialId, trial.Job.SweepId, end?.Status);
        lock (_gate)
        {
            // After the pump's last call, but not on this thread: a pack's members end one after another, and waiting
            // for each one's delivery here held the slot ~4 ms per member.
            _finishing[trial.TrialId] = Task.Run(() => DeliverAsync(trial, end));
            _running.TryRemove(trial.TrialId, out _);
            if (freeSlot)
            {
                _slots.Free();
            }
        }

        trial.Handed.TrySetResult();
    }

    /// <summary>The rest of the curve and the end to every following sweep, then the end to the trial's grain.</summary>
    private async Task DeliverAsync(RunningTrial trial, TrialEnd? end)
    {
        try
        {
            await trial.Pump;
            var grain = _grains.GetGrain<ITrialGrain>(trial.TrialId);
            await (end is null
                ? trial.Outbox.SuspendAsync(grain.SuspendAsync, _deliveryDeadline.Token)
                : trial.Outbox.EndAsync(end, grain.CompleteAsync, _deliveryDeadline.Token));
        }
        finally
        {
            _finishing.TryRemove(trial.TrialId, out _);
        }
    }

    private static EpochReport ToReport(string trialId, EpochMetrics epoch) =>
        new(trialId, epoch.Epoch, epoch.Loss, epoch.Accuracy, epoch.Seconds, epoch.ValLoss, epoch.ValAccuracy);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Slots} training slots, {Threads} libtorch thread(s) per trial; allocator: {Allocator}")]
    private static partial void SlotsReady(ILogger logger, int slots, int threads, string allocator);

    [LoggerMessage(Level = LogLevel.Information, Message = "Trial {TrialId} started training")]
    private static partial void TrialStarted(ILogger logger, string trialId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Trial {TrialId} resumed from its checkpoint after epoch {Epoch}")]
    private static partial void TrialResumed(ILogger logger, string trialId, int epoch);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Trial {TrialId} failed")]
    private static partial void TrialFailed(ILogger logger, Exception exception, string trialId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Delivering a trial's end failed (attempt {Attempt}); retrying")]
    private static partial void DeliveryRetry(ILogger logger, Exception? exception, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Silo stopping: its shutdown deadline passed with {Count} trial(s) not yet handed back; their sweeps will queue them again")]
    private static partial void ShutdownDeadlinePassed(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Silo stopping: suspending {Count} running trial(s) at their epoch's end")]
    private static partial void Suspending(ILogger logger, int count);
}
