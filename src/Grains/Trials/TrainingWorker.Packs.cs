using Microsoft.Extensions.Logging;
using SweepCluster.Abstractions.Sweeps;
using SweepCluster.Training.Packing;

namespace SweepCluster.Grains.Trials;

/// <summary>
/// Packs: several trials of one shape trained on one slot as one batched computation (<see cref="PackTrainer"/>).
/// Each member stays a trial of its own: its own outbox reports its epochs and its end to its sweeps.
/// </summary>
public sealed partial class TrainingWorker
{
    private void TrainPack(IReadOnlyList<RunningTrial> joined)
    {
        foreach (var trial in joined)
        {
            Open(trial);
        }

        var slotHeld = true;
        void FreeSlot()
        {
            if (slotHeld)
            {
                slotHeld = false;
                _slots.Free();
            }
        }

        var members = joined.ToList();
        try
        {
            // Inside the try: a checkpoint store that is down fails the members, never the slot thread (and the silo).
            try
            {
                members = [.. joined.Where(m => !ResumesAlone(m))];
            }
            catch (Exception e)
            {
                foreach (var member in joined.Where(m => !m.TrainingEnded.Task.IsCompleted))
                {
                    Fail(member, e);
                }

                return;
            }

            if (members.Count == 0)
            {
                return;
            }

            PackTraining(_logger, members.Count, members[0].Job.Config.Epochs);
            var steps = new StepClock(_metrics, members[0].Job.Config);
            new PackTrainer(
                [.. members.Select(m => new PackedTrial(m.Job.Config, m.TrialId, m.Job.CheckpointEvery, m.Cancellation.Token, m.Suspend.Token, () => m.StoppedEarly))],
                _checkpoints)
            {
                MinCheckpointInterval = _minCheckpointInterval,
                OnEpoch = (k, epoch) => Report(members[k], epoch),
                OnStep = steps.Step,
                OnEpochDone = steps.Restart,

                // The slot is free before the ends travel: the sweep hears of them to start what comes next, and a slot
                // still held then would only be noticed at its next dispatch.
                BeforeCompleted = FreeSlot,
                OnEnd = (k, result) => HandOver(members[k], EndOf(members[k], result), freeSlot: false),
                OnFailed = (k, e) => Fail(members[k], e),
            }.Run();
        }
        finally
        {
            FreeSlot();
        }
    }

    /// <summary>
    /// A pack starts at epoch 0: a member that trained before goes back to its sweep, which starts it again; its grain
    /// then starts it alone, resuming from the checkpoint (the sweep may not know it has one: a sweep reactivated
    /// elsewhere, or a local silo that restarted, has lost the running trials' progress).
    /// </summary>
    private bool ResumesAlone(RunningTrial trial)
    {
        if (trial.Job.CheckpointEvery <= 0)
        {
            return false;
        }

        using (var checkpoint = _checkpoints.OpenRead(trial.TrialId))
        {
            if (checkpoint is null)
            {
                return false;
            }
        }

        ResumesAlone(_logger, trial.TrialId);
        HandOver(trial, null, freeSlot: false);
        return true;
    }

    private void Fail(RunningTrial trial, Exception e)
    {
        TrialFailed(_logger, e, trial.TrialId);
        HandOver(trial, new TrialEnd(TrialStatus.Failed, trial.Outbox.Epochs, Error: e.Message), freeSlot: false);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Trial {TrialId} has a checkpoint: handed back to resume alone rather than start over in a pack")]
    private static partial void ResumesAlone(ILogger logger, string trialId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Training {Trials} trials packed as one computation, {Epochs} epochs")]
    private static partial void PackTraining(ILogger logger, int trials, int epochs);
}
