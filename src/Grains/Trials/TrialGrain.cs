using Microsoft.Extensions.Logging;
using SweepCluster.Abstractions.Sweeps;
using SweepCluster.Experiments;

namespace SweepCluster.Grains.Trials;

/// <summary>
/// One trial. Training runs on this silo's <see cref="TrainingWorker"/>, never in a grain turn; the worker
/// reports epochs back here and this grain fans them out to the streams of the sweeps that asked for it.
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

    public async Task<TrialStartResult> StartAsync(string sweepId, TrialConfig config, int checkpointEvery, IReadOnlyList<int> judgedEpochs, PackTicket? pack)
    {
        var trial = state.State;
        var newSweep = trial.Sweeps.Add(sweepId);

        // A completed or diverged trial would only repeat itself (training is deterministic): hand back its result.
        if (trial.Ended is { Status: TrialStatus.Completed or TrialStatus.Diverged } ended)
        {
            await WriteIf(newSweep);
            return new TrialStartResult(TrialStartOutcome.AlreadyFinished, ended);
        }

        if (worker.IsActive(this.GetPrimaryKeyString()))
        {
            await WriteIf(newSweep | (trial.Ended is null && trial.TrainingFor.Add(sweepId)));

            // Ended (stopped or cancelled for another sweep) but the end is still being delivered: not free yet;
            // the sweep asks again on its next pass and the trial then resumes from its checkpoint.
            return trial.Ended is null
                ? new TrialStartResult(TrialStartOutcome.Started, Silo: Silo)
                : new TrialStartResult(TrialStartOutcome.NoFreeSlot);
        }

        var job = new TrialJob(this.GetPrimaryKeyString(), sweepId, config, checkpointEvery, judgedEpochs);

        // A pack trains on its ticket's silo: a member activated elsewhere steps back and is placed afresh next time.
        // A trial that trained before (it may have a checkpoint) resumes alone: a pack starts every member at epoch 0.
        // Its own state says so, not its sweep, which loses running trials' curves when it is reactivated elsewhere.
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

    public Task ReportEpochsAsync(IReadOnlyList<EpochReport> epochs)
    {
        // Not written per report: the checkpoint store holds the durable progress, the stream the live one.
        state.State.Epochs = Math.Max(state.State.Epochs, epochs[^1].Epoch);
        return PublishAsync(new EpochsReported(this.GetPrimaryKeyString(), epochs));
    }

    public async Task CompleteAsync(TrialEnded ended)
    {
        state.State.Status = ended.Status;
        state.State.Ended = ended;
        state.State.Epochs = ended.Curve.Count > 0 ? ended.Curve[^1].Epoch : state.State.Epochs;
        await state.WriteStateAsync();
        TrialFinished(logger, ended.TrialId, ended.Status, ended.Curve.Count);
        // Told directly, not also on the stream: the sweep is the stream's only reader, and a second copy of the whole
        // curve through the stream's queue cost CPU that the silo's training slots were waiting for.
        foreach (var sweepId in state.State.Sweeps)
        {
            await GrainFactory.GetGrain<ISweepGrain>(sweepId).TrialEndedAsync(ended);
        }
    }

    public async Task SuspendAsync()
    {
        state.State.Status = TrialStatus.Queued;
        await state.WriteStateAsync();
        TrialSuspended(logger, this.GetPrimaryKeyString(), state.State.Epochs);

        // This silo is going away: the next start must place the trial on another one.
        DeactivateOnIdle();
        foreach (var sweepId in state.State.Sweeps)
        {
            await GrainFactory.GetGrain<ISweepGrain>(sweepId).TrialSuspendedAsync(this.GetPrimaryKeyString());
        }
    }

    public Task<TrialPing> PingAsync()
    {
        if (worker.IsActive(this.GetPrimaryKeyString()))
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
        if (trial.TrainingFor.Count > 0 && worker.IsActive(this.GetPrimaryKeyString()))
        {
            // Another sweep shares it (same configuration and seed) and still wants it trained.
            trial.Sweeps.Remove(sweepId);
            await state.WriteStateAsync();
            return false;
        }

        worker.Cancel(this.GetPrimaryKeyString());
        return true;
    }

    public Task StopEarlyAsync()
    {
        worker.StopEarly(this.GetPrimaryKeyString());
        return Task.CompletedTask;
    }

    private Task WriteIf(bool changed) => changed ? state.WriteStateAsync() : Task.CompletedTask;

    public Task<TrialEnded?> GetEndedAsync() => Task.FromResult(state.State.Ended);

    private async Task PublishAsync(SweepEvent sweepEvent)
    {
        var provider = this.GetStreamProvider(SweepStreams.Provider);
        foreach (var sweepId in state.State.Sweeps)
        {
            await provider.GetStream<SweepEvent>(StreamId.Create(SweepStreams.Namespace, sweepId)).OnNextAsync(sweepEvent);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Trial {TrialId} ended {Status} after {Epochs} epochs")]
    private static partial void TrialFinished(ILogger logger, string trialId, TrialStatus status, int epochs);

    [LoggerMessage(Level = LogLevel.Information, Message = "Trial {TrialId} suspended after {Epochs} epochs: its silo is stopping")]
    private static partial void TrialSuspended(ILogger logger, string trialId, int epochs);
}
