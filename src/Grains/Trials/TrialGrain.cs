using Microsoft.Extensions.Logging;
using SweepCluster.Abstractions.Sweeps;
using SweepCluster.Experiments;

namespace SweepCluster.Grains.Trials;

/// <summary>
/// One trial. Training runs on this silo's <see cref="TrainingWorker"/>, never in a grain turn; the worker's outbox
/// reports its epochs and its end to the sweeps that follow it, then hands the end here (<see cref="CompleteAsync"/>).
/// Where it trains is where it is activated: its sweep places it on a silo with a free slot (a placement hint),
/// and a trial that cannot train where it is deactivates, so the next start places it afresh.
/// </summary>
public sealed partial class TrialGrain(
    [PersistentState("trial", "trials")] IPersistentState<TrialState> state,
    TrainingWorker worker,
    ILocalSiloDetails silo,
    ILogger<TrialGrain> logger) : Grain, ITrialGrain
{
    private string Silo => silo.SiloAddress.ToParsableString();

    private string TrialId => this.GetPrimaryKeyString();

    public async Task<TrialStartResult> StartAsync(string sweepId, TrialConfig config, int checkpointEvery, IReadOnlyList<int> judgedEpochs, PackTicket? pack)
    {
        var trial = state.State;
        var newSweep = trial.Sweeps.Add(sweepId);

        // A completed or diverged trial would only repeat itself (training is deterministic): hand back its end; the
        // sweep reads its curve from the curve store.
        if (trial.Ended is { Status: TrialStatus.Completed or TrialStatus.Diverged } ended)
        {
            await WriteIf(newSweep);
            return new TrialStartResult(TrialStartOutcome.AlreadyFinished, ended);
        }

        if (worker.IsActive(TrialId))
        {
            // Training for another sweep: this one follows it too, from epoch 1.
            if (worker.Follow(TrialId, sweepId))
            {
                await WriteIf(newSweep | trial.TrainingFor.Add(sweepId));
                return new TrialStartResult(TrialStartOutcome.Started, Silo: Silo);
            }

            // Training is over but its end is still being delivered: not free yet; the sweep asks again on its next
            // pass and then gets the end, or the trial resumes from its checkpoint.
            await WriteIf(newSweep);
            return new TrialStartResult(TrialStartOutcome.NoFreeSlot);
        }

        var job = new TrialJob(TrialId, sweepId, config, checkpointEvery, judgedEpochs);

        // A pack trains on its ticket's silo: a member activated elsewhere steps back and is placed afresh next time.
        // A trial that trained before (it may have a checkpoint) resumes alone: a pack starts every member at epoch 0.
        // Its own state says so, not its sweep, which loses running trials' progress when it is reactivated elsewhere.
        var trainedBefore = trial.Config is not null;
        var started = pack is null || trainedBefore
            ? worker.TryStart(job)
            : pack.Silo == Silo && worker.TryJoinPack(pack, job);
        if (!started)
        {
            await WriteIf(newSweep);
            DeactivateOnIdle();
            return new TrialStartResult(TrialStartOutcome.NoFreeSlot);
        }

        trial.Status = TrialStatus.Running;
        trial.Ended = null;
        trial.TrainingFor = [sweepId];
        trial.Config = config;
        trial.CheckpointEvery = checkpointEvery;
        await state.WriteStateAsync();
        return new TrialStartResult(TrialStartOutcome.Started, Silo: Silo);
    }

    public async Task CompleteAsync(TrialEnd end)
    {
        state.State.Status = end.Status;
        state.State.Ended = end;
        state.State.Epochs = end.Epochs;
        state.State.TrainingFor.Clear();
        await state.WriteStateAsync();
        TrialFinished(logger, TrialId, end.Status, end.Epochs);

        // Its end is stored and every sweep has it: an ended trial waits for nothing, and 100,000 of them kept active
        // until idle collection held a gigabyte of a silo's memory. A sweep that reuses it reads it back.
        DeactivateOnIdle();
    }

    public async Task SuspendAsync()
    {
        state.State.Status = TrialStatus.Queued;
        await state.WriteStateAsync();
        TrialSuspended(logger, TrialId, state.State.Epochs);

        // This silo is going away: the next start must place the trial on another one.
        DeactivateOnIdle();
        foreach (var sweepId in state.State.Sweeps)
        {
            await GrainFactory.GetGrain<ISweepGrain>(sweepId).TrialSuspendedAsync(TrialId);
        }
    }

    public Task<TrialPing> PingAsync()
    {
        if (worker.IsActive(TrialId))
        {
            return Task.FromResult(new TrialPing(Silo, null));
        }

        if (state.State.Ended is null)
        {
            // The silo it trained on died (this is a fresh activation) or the silo is stopping: be placed afresh.
            DeactivateOnIdle();
        }

        return Task.FromResult(new TrialPing(null, state.State.Ended));
    }

    public async Task<bool> CancelAsync(string sweepId)
    {
        var trial = state.State;
        trial.TrainingFor.Remove(sweepId);
        if (trial.TrainingFor.Count > 0 && worker.IsActive(TrialId))
        {
            // Another sweep shares it (same configuration and seed) and still wants it trained.
            trial.Sweeps.Remove(sweepId);
            worker.Unfollow(TrialId, sweepId);
            await state.WriteStateAsync();
            return false;
        }

        worker.Cancel(TrialId);
        return true;
    }

    public Task StopEarlyAsync()
    {
        worker.StopEarly(TrialId);
        return Task.CompletedTask;
    }

    public async Task<bool> ForgetAsync(string sweepId)
    {
        var trial = state.State;
        trial.Sweeps.Remove(sweepId);
        trial.TrainingFor.Remove(sweepId);
        worker.Unfollow(TrialId, sweepId);
        if (trial.Sweeps.Count > 0)
        {
            await state.WriteStateAsync();
            return false;
        }

        // No sweep uses it any more: nothing of it is kept (the caller deletes its curve and checkpoint).
        worker.Cancel(TrialId);
        await state.ClearStateAsync();
        DeactivateOnIdle();
        return true;
    }

    private Task WriteIf(bool changed) => changed ? state.WriteStateAsync() : Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Trial {TrialId} ended {Status} after {Epochs} epochs")]
    private static partial void TrialFinished(ILogger logger, string trialId, TrialStatus status, int epochs);

    [LoggerMessage(Level = LogLevel.Information, Message = "Trial {TrialId} suspended after {Epochs} epochs: its silo is stopping")]
    private static partial void TrialSuspended(ILogger logger, string trialId, int epochs);
}
