using Microsoft.Extensions.Logging;
using Orleans.Streams;
using SweepCluster.Abstractions.Sweeps;

namespace SweepCluster.Grains.Sweeps;

/// <summary>
/// A sweep's aggregator. Holds the queue of trials, starts them as training slots free up, and builds the
/// curves, statuses and leaderboard from the epoch reports its trials publish on the sweep's stream.
/// </summary>
[ImplicitStreamSubscription(SweepStreams.Namespace)]
public sealed partial class SweepGrain(
    [PersistentState("sweep", "sweeps")] IPersistentState<SweepState> state,
    ILogger<SweepGrain> logger) : Grain, ISweepGrain
{
    private static readonly TimeSpan DispatchPeriod = TimeSpan.FromSeconds(1);

    private IGrainTimer? _dispatchTimer;
    private bool _dispatching;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var stream = this.GetStreamProvider(SweepStreams.Provider)
            .GetStream<SweepEvent>(StreamId.Create(SweepStreams.Namespace, this.GetPrimaryKeyString()));
        await stream.SubscribeAsync((sweepEvent, _) => OnEventAsync(sweepEvent));

        // Curves live in memory; after a reactivation, finished trials hand theirs back.
        foreach (var trial in state.State.Trials.Where(t => t.Status.IsFinished() && t.Epochs == 0))
        {
            if (await GrainFactory.GetGrain<ITrialGrain>(trial.Trial.Id).GetEndedAsync() is { } ended)
            {
                trial.Apply(ended);
            }
        }

        if (state.State.Trials.Any(t => !t.Status.IsFinished()))
        {
            StartDispatching();
        }
    }

    public async Task<SweepProgress> SubmitAsync(SweepSpec spec, string specYaml)
    {
        if (state.State.Spec is null)
        {
            state.State.Spec = spec;
            state.State.SpecYaml = specYaml;
            state.State.Started = DateTimeOffset.UtcNow;
            state.State.Trials = SweepPlanner.Expand(spec).Select(t => new SweepTrialState { Trial = t }).ToList();
            await GrainFactory.GetGrain<ISweepRegistryGrain>(0).RegisterAsync(this.GetPrimaryKeyString());
            SweepSubmitted(logger, this.GetPrimaryKeyString(), state.State.Trials.Count);
        }
        else
        {
            // Submitting again re-attaches; trials that failed or were cancelled get another go.
            foreach (var trial in state.State.Trials.Where(t => t.Status is TrialStatus.Failed or TrialStatus.Cancelled))
            {
                trial.Requeue();
            }

            state.State.CancelRequested = false;
        }

        await state.WriteStateAsync();
        StartDispatching();
        await DispatchAsync();
        return Progress();
    }

    public Task<SweepProgress?> GetProgressAsync() =>
        Task.FromResult(state.State.Spec is null ? null : Progress());

    public Task<SweepResults?> GetResultsAsync() =>
        Task.FromResult(state.State.Spec is null
            ? null
            : new SweepResults(
                Progress(),
                state.State.Trials.ToDictionary(t => t.Trial.Id, t => t.GetCurve()),
                state.State.SpecYaml));

    public Task TrialEndedAsync(TrialEnded ended) => OnEventAsync(ended);

    public async Task CancelAsync()
    {
        state.State.CancelRequested = true;
        foreach (var trial in state.State.Trials)
        {
            if (trial.Status == TrialStatus.Queued)
            {
                trial.Status = TrialStatus.Cancelled;
            }
            else if (trial.Status == TrialStatus.Running)
            {
                await GrainFactory.GetGrain<ITrialGrain>(trial.Trial.Id).CancelAsync();
            }
        }

        await state.WriteStateAsync();
    }

    private async Task OnEventAsync(SweepEvent sweepEvent)
    {
        var trial = state.State.Trials.FirstOrDefault(t => t.Trial.Id == sweepEvent.TrialId);
        if (trial is null)
        {
            return;
        }

        switch (sweepEvent)
        {
            case EpochsReported reported:
                foreach (var report in reported.Epochs)
                {
                    trial.Record(report);
                }

                break;

            case TrialEnded ended when trial.Status != ended.Status || trial.Epochs != ended.Curve.Count:
                trial.Apply(ended);
                await DispatchAsync(); // refill the freed slot first; the state write can follow
                await state.WriteStateAsync();
                break;
        }
    }

    private void StartDispatching() =>
        _dispatchTimer ??= this.RegisterGrainTimer(
            _ => DispatchAsync(), new GrainTimerCreationOptions(DispatchPeriod, DispatchPeriod) { KeepAlive = true });

    /// <summary>Starts queued trials in order until a silo reports no free slot; the timer retries later.</summary>
    private async Task DispatchAsync()
    {
        if (_dispatching)
        {
            return;
        }

        _dispatching = true;
        try
        {
            var changed = false;
            foreach (var trial in state.State.Trials.Where(t => t.Status == TrialStatus.Queued).ToList())
            {
                if (state.State.CancelRequested)
                {
                    break;
                }

                var result = await GrainFactory.GetGrain<ITrialGrain>(trial.Trial.Id)
                    .StartAsync(this.GetPrimaryKeyString(), trial.Trial.Config, state.State.Spec!.CheckpointEvery);
                if (result.Outcome == TrialStartOutcome.NoFreeSlot)
                {
                    break;
                }

                if (result.Finished is { } finished)
                {
                    trial.Apply(finished);
                    changed = true;
                }
                else
                {
                    // Not persisted on its own: after a reactivation a "queued" trial that is in fact
                    // running answers Started again, so nothing is lost by writing less often.
                    trial.Status = TrialStatus.Running;
                }
            }

            if (changed)
            {
                await state.WriteStateAsync();
            }

            if (state.State.Trials.All(t => t.Status.IsFinished()))
            {
                _dispatchTimer?.Dispose();
                _dispatchTimer = null;
            }
        }
        finally
        {
            _dispatching = false;
        }
    }

    private SweepProgress Progress()
    {
        var summaries = state.State.Trials.Select(t => t.Summarise()).ToList();
        var done = summaries.Sum(t => (long)(t.Status.IsFinished() ? t.Trial.Config.Epochs : t.Epochs));
        var total = summaries.Sum(t => (long)t.Trial.Config.Epochs);
        var elapsed = DateTimeOffset.UtcNow - state.State.Started;
        TimeSpan? remaining = done > 0 && done < total ? elapsed * ((double)(total - done) / done) : null;
        return new SweepProgress(this.GetPrimaryKeyString(), state.State.Spec!.Name, summaries, done, total, state.State.Started, remaining);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Sweep {SweepId} submitted with {Trials} trials")]
    private static partial void SweepSubmitted(ILogger logger, string sweepId, int trials);
}
