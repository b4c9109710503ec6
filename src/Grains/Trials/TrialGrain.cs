using Microsoft.Extensions.Logging;
using SweepCluster.Abstractions.Sweeps;
using SweepCluster.Experiments;

namespace SweepCluster.Grains.Trials;

/// <summary>
/// One trial. Training runs on this silo's <see cref="TrainingWorker"/>, never in a grain turn; the worker
/// reports epochs back here and this grain fans them out to the streams of the sweeps that asked for it.
/// </summary>
public sealed partial class TrialGrain(
    [PersistentState("trial", "trials")] IPersistentState<TrialState> state,
    TrainingWorker worker,
    ILogger<TrialGrain> logger) : Grain, ITrialGrain
{
    public async Task<TrialStartResult> StartAsync(string sweepId, TrialConfig config, int checkpointEvery)
    {
        var trial = state.State;
        var newSweep = trial.Sweeps.Add(sweepId);

        // A completed or diverged trial would only repeat itself (training is deterministic): hand back its result.
        if (trial.Ended is { Status: TrialStatus.Completed or TrialStatus.Diverged } ended)
        {
            await WriteIf(newSweep);
            return new TrialStartResult(TrialStartOutcome.AlreadyFinished, ended);
        }

        if (worker.IsRunning(this.GetPrimaryKeyString()))
        {
            await WriteIf(newSweep);
            return new TrialStartResult(TrialStartOutcome.Started);
        }

        if (!worker.TryStart(new TrialJob(this.GetPrimaryKeyString(), config, checkpointEvery)))
        {
            await WriteIf(newSweep);
            return new TrialStartResult(TrialStartOutcome.NoFreeSlot);
        }

        trial.Status = TrialStatus.Running;
        trial.Ended = null;
        trial.Config = config;
        trial.CheckpointEvery = checkpointEvery;
        await state.WriteStateAsync();
        return new TrialStartResult(TrialStartOutcome.Started);
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
        foreach (var sweepId in state.State.Sweeps)
        {
            await GrainFactory.GetGrain<ISweepGrain>(sweepId).TrialEndedAsync(ended);
        }

        await PublishAsync(ended);
    }

    public Task CancelAsync()
    {
        worker.Cancel(this.GetPrimaryKeyString());
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
}
