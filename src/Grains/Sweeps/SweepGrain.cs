using Microsoft.Extensions.Logging;
using Orleans.Runtime.Placement;
using Orleans.Streams;
using SweepCluster.Abstractions.Cluster;
using SweepCluster.Abstractions.Sweeps;
using SweepCluster.Experiments;
using SweepCluster.Grains.Cluster;
using SweepCluster.Grains.Observability;
using SweepCluster.Grains.Sweeps.Stopping;

namespace SweepCluster.Grains.Sweeps;

/// <summary>
/// A sweep's aggregator. Holds the queue of trials, places them on the silos with free training slots, and
/// builds the curves, statuses and leaderboard from the epoch reports its trials publish on the sweep's stream.
/// It is also the sweep's watchdog: a trial whose silo died is found and queued again (it resumes from its last
/// checkpoint), and a durable reminder brings the sweep back if its own silo died with nobody left to call it.
/// And it decides, from the same epoch reports, which trials stop early (the spec's early-stopping rule) and when
/// the whole sweep ends early (its budgets and its stop_when target).
/// </summary>
[ImplicitStreamSubscription(SweepStreams.Namespace)]
public sealed partial class SweepGrain(
    [PersistentState("sweep", "sweeps")] IPersistentState<SweepState> state,
    IClusterMembershipService membership,
    SweepMetrics metrics,
    ILogger<SweepGrain> logger) : Grain, ISweepGrain, IRemindable
{
    private const string WatchdogReminder = "watchdog";
    private static readonly TimeSpan DispatchPeriod = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan EndsWriteBehind = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan ReminderPeriod = TimeSpan.FromMinutes(1);

    /// <summary>Every running trial is pinged this often even when its silo looks fine, to catch a lost end.</summary>
    private static readonly TimeSpan FullCheckPeriod = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The smallest pack worth making: two trials packed train ~2x faster than one after the other (bench --packing).</summary>
    internal const int PackMinimum = 2;

    private IGrainTimer? _dispatchTimer;
    private IGrainTimer? _endsWrite;
    private bool _dispatching;
    private DateTimeOffset _lastFullCheck = DateTimeOffset.MinValue;
    private EarlyStoppingPolicy? _stopping;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var stream = this.GetStreamProvider(SweepStreams.Provider)
            .GetStream<SweepEvent>(StreamId.Create(SweepStreams.Namespace, this.GetPrimaryKeyString()));
        await stream.SubscribeAsync((sweepEvent, _) => OnEventAsync(sweepEvent));

        // Curves live in memory; after a reactivation, finished trials hand theirs back (running ones send theirs
        // with their next report, and whole at the next epoch their early-stopping rule judges).
        var missing = state.State.Trials.Where(t => t.Status.IsFinished() && t.Status != TrialStatus.Skipped && t.Epochs == 0).ToList();
        var ends = await Task.WhenAll(missing.Select(t => GrainFactory.GetGrain<ITrialGrain>(t.Trial.Id).GetEndedAsync()));
        foreach (var (trial, ended) in missing.Zip(ends))
        {
            if (ended is not null)
            {
                trial.Apply(ended);
            }
        }

        _stopping = state.State.Spec is { } spec ? EarlyStoppingPolicy.For(spec) : null;
        if (state.State.Trials.Any(t => !t.Status.IsFinished()))
        {
            StartDispatching();
        }
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        metrics.SweepRemoved(this.GetPrimaryKeyString());
        return Task.CompletedTask;
    }

    public async Task<SweepProgress> SubmitAsync(SweepSpec spec, string specYaml)
    {
        // Any client may call this: the spec is checked here too, before anything is stored or started.
        SweepSpecValidator.EnsureValid(spec, specYaml);
        if (state.State.Spec is null)
        {
            state.State.Spec = spec;
            state.State.SpecYaml = specYaml;
            state.State.Started = DateTimeOffset.UtcNow;
            state.State.Trials = SweepPlanner.Expand(spec).Select(t => new SweepTrialState { Trial = t }).ToList();
            if (spec.Budget?.MaxTrials is { } maxTrials)
            {
                foreach (var trial in state.State.Trials.Skip(maxTrials))
                {
                    trial.Skip($"max_trials {maxTrials}: only the first {maxTrials} trials of the spec run");
                }
            }

            _stopping = EarlyStoppingPolicy.For(spec);
            await GrainFactory.GetGrain<ISweepRegistryGrain>(0).RegisterAsync(this.GetPrimaryKeyString());
            SweepSubmitted(logger, this.GetPrimaryKeyString(), state.State.Trials.Count);
        }
        else if (state.State.EndReason is null)
        {
            // Submitting again re-attaches; trials that failed, were cancelled or could not be placed get another go
            // (unless a budget or the target already ended the sweep).
            foreach (var trial in state.State.Trials.Where(t => t.Status is TrialStatus.Failed or TrialStatus.Cancelled or TrialStatus.Unschedulable))
            {
                trial.Requeue();
            }

            state.State.CancelRequested = false;
        }

        await state.WriteStateAsync();
        await this.RegisterOrUpdateReminder(WatchdogReminder, ReminderPeriod, ReminderPeriod);
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

    public async Task<bool> JudgeAsync(EpochsReported reported)
    {
        await OnEventAsync(reported);
        return state.State.Trials.FirstOrDefault(t => t.Trial.Id == reported.TrialId) is { Status: TrialStatus.Stopped };
    }

    public async Task TrialSuspendedAsync(string trialId)
    {
        if (state.State.Trials.FirstOrDefault(t => t.Trial.Id == trialId) is { Status: TrialStatus.Running } trial)
        {
            trial.ReturnToQueue();
            await DispatchAsync();
        }
    }

    public async Task CancelAsync()
    {
        state.State.CancelRequested = true;
        foreach (var trial in state.State.Trials)
        {
            if (trial.Status == TrialStatus.Queued)
            {
                trial.Status = TrialStatus.Cancelled;
            }
            else if (trial.Status == TrialStatus.Running && !await CancelTrialAsync(trial))
            {
                trial.Status = TrialStatus.Cancelled; // it trains on for another sweep; no end comes here
            }
        }

        await state.WriteStateAsync();
    }

    /// <summary>
    /// Cancels a running trial for this sweep. True when its end (cancelled) is on its way, or, its silo not answering,
    /// the watchdog finds it: queued again while the sweep is cancelling, it ends cancelled there.
    /// </summary>
    private async Task<bool> CancelTrialAsync(SweepTrialState trial)
    {
        try
        {
            return await GrainFactory.GetGrain<ITrialGrain>(trial.Trial.Id).CancelAsync(this.GetPrimaryKeyString()).WaitAsync(CallTimeout);
        }
        catch (Exception e) when (e is TimeoutException or OrleansException)
        {
            CancelNotDelivered(logger, e, trial.Trial.Id);
            return true;
        }
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (state.State.Spec is null || state.State.Trials.All(t => t.Status.IsFinished()))
        {
            await UnregisterWatchdogAsync();
            return;
        }

        StartDispatching();
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
                var known = _stopping is null ? 0 : trial.Best().Epochs;
                foreach (var report in reported.Epochs)
                {
                    trial.Record(report);
                }

                if (trial.Status == TrialStatus.Running)
                {
                    await ApplyRulesAsync(trial, known, reported.Epochs);
                }

                break;

            case TrialEnded ended when trial.AwaitingEnd || trial.Status != ended.Status || trial.Epochs != ended.Curve.Count:
                Apply(trial, ended);
                await DispatchAsync(); // refill the freed slot first; the state write can follow
                await CheckLimitsAsync(ended.Curve);
                state.State.Finished = state.State.Trials.All(t => t.Status.IsFinished()) ? state.State.Finished ?? DateTimeOffset.UtcNow : null;
                await WriteAfterEndAsync();
                break;
        }
    }

    /// <summary>
    /// Takes a trial's end. A trial stopped early that this sweep did not stop was stopped by another sweep sharing
    /// it (same configuration and seed); this one wants it trained to the end, so it is queued again.
    /// </summary>
    private static void Apply(SweepTrialState trial, TrialEnded ended)
    {
        var stoppedByAnother = ended.Status == TrialStatus.Stopped && trial.Status != TrialStatus.Stopped;
        trial.Apply(ended);
        if (stoppedByAnother)
        {
            trial.ReturnToQueue();
        }
    }

    /// <summary>Applies the sweep's target and epoch budget, then its early-stopping rule, to a running trial's new epochs.</summary>
    private async Task ApplyRulesAsync(SweepTrialState trial, int known, IReadOnlyList<EpochReport> reports)
    {
        if (await CheckLimitsAsync(reports) || trial.Status != TrialStatus.Running)
        {
            return;
        }

        if (_stopping?.Decide(trial, known, state.State.Trials) is { } decision)
        {
            TrialStoppedEarly(logger, trial.Trial.Id, decision.Rule, decision.Reason);
            await StopAsync(trial, decision.Rule, decision.Epoch, $"{decision.Rule}: {decision.Reason}");
            await state.WriteStateAsync();
        }
    }

    /// <summary>Ends the sweep early when <paramref name="reports"/> reach the stop_when target or the epochs trained reach max_epochs_total.</summary>
    private async Task<bool> CheckLimitsAsync(IReadOnlyList<EpochReport> reports)
    {
        if (state.State.EndReason is not null || state.State.Spec is not { } spec)
        {
            return state.State.EndReason is not null;
        }

        if (spec.StopWhen is { } target && reports.FirstOrDefault(r => r.Loss <= target.Loss || r.Accuracy >= target.Accuracy) is { } hit)
        {
            var reached = target.Loss is { } loss && hit.Loss <= loss ? $"loss {hit.Loss:G4} <= {loss:G4}" : $"accuracy {hit.Accuracy:G4} >= {target.Accuracy:G4}";
            await EndAsync("stop_when", $"stop_when: trial {hit.TrialId} reached {reached} at epoch {hit.Epoch}");
            return true;
        }

        if (spec.Budget?.MaxEpochsTotal is { } maxEpochs && state.State.Trials.Sum(t => (long)t.Epochs) is var trained && trained >= maxEpochs)
        {
            await EndAsync("max_epochs_total", $"max_epochs_total {maxEpochs}: the sweep's trials trained {trained} epochs");
            return true;
        }

        return false;
    }

    /// <summary>Ends the sweep early: running trials are stopped, queued ones skipped, and nothing new starts.</summary>
    private async Task EndAsync(string rule, string reason)
    {
        state.State.EndReason = reason;
        SweepEndedEarly(logger, this.GetPrimaryKeyString(), reason);
        foreach (var trial in state.State.Trials)
        {
            if (trial.Status == TrialStatus.Running)
            {
                await StopAsync(trial, rule, trial.Epochs, reason);
            }
            else if (trial.Status == TrialStatus.Queued)
            {
                trial.Skip(reason);
            }
        }

        await state.WriteStateAsync();
    }

    /// <summary>Stops a running trial for <paramref name="rule"/>; its slot frees when its end arrives (within a step).</summary>
    private async Task StopAsync(SweepTrialState trial, string rule, int epoch, string reason)
    {
        trial.Stop(reason, epoch);
        metrics.TrialStoppedEarly(this.GetPrimaryKeyString(), rule);
        try
        {
            await GrainFactory.GetGrain<ITrialGrain>(trial.Trial.Id).StopEarlyAsync().WaitAsync(CallTimeout);
        }
        catch (Exception e) when (e is TimeoutException or OrleansException)
        {
            // Its silo is unreachable; the watchdog finds the trial's end (or its loss) as for any running trial.
            StopNotDelivered(logger, e, trial.Trial.Id);
        }
    }

    /// <summary>
    /// Ends come in bursts (a pack's members end together), so their state is written once per burst, at most
    /// <see cref="EndsWriteBehind"/> later, and at once when the sweep has finished. Nothing is lost meanwhile: each
    /// end is already in its trial's own grain state, and a sweep brought back from older state asks its running
    /// trials (<see cref="ITrialGrain.PingAsync"/>) and takes the ends they answer with.
    /// </summary>
    private async Task WriteAfterEndAsync()
    {
        if (state.State.Finished is null)
        {
            _endsWrite ??= this.RegisterGrainTimer(
                _ => WriteEndsAsync(), new GrainTimerCreationOptions(EndsWriteBehind, Timeout.InfiniteTimeSpan) { KeepAlive = true });
            return;
        }

        await WriteEndsAsync();
    }

    private async Task WriteEndsAsync()
    {
        _endsWrite?.Dispose();
        _endsWrite = null;
        await state.WriteStateAsync();
    }

    private void StartDispatching() =>
        _dispatchTimer ??= this.RegisterGrainTimer(
            _ => TickAsync(), new GrainTimerCreationOptions(TimeSpan.Zero, DispatchPeriod) { KeepAlive = true });

    private async Task TickAsync()
    {
        if (state.State.Spec?.Budget?.TimeLimit is { } limit && state.State.EndReason is null &&
            DateTimeOffset.UtcNow - state.State.Started >= limit && state.State.Trials.Any(t => !t.Status.IsFinished()))
        {
            await EndAsync("time_limit", $"time_limit {limit}: the sweep ran that long");
        }

        await CheckRunningAsync();
        await DispatchAsync();
        metrics.SweepUpdated(Progress());
    }

    /// <summary>
    /// Finds running trials that no longer train: their silo left the cluster, or (checked every
    /// <see cref="FullCheckPeriod"/>) their end never arrived. Those are queued again, or given their end.
    /// </summary>
    private async Task CheckRunningAsync()
    {
        var snapshot = membership.CurrentSnapshot;
        var full = DateTimeOffset.UtcNow - _lastFullCheck >= FullCheckPeriod;
        var suspects = state.State.Trials
            .Where(t => (t.Status == TrialStatus.Running || t.AwaitingEnd) && (full || t.Silo is null || HasLeft(snapshot, t.Silo)))
            .ToList();
        if (full)
        {
            _lastFullCheck = DateTimeOffset.UtcNow;
        }

        if (suspects.Count == 0)
        {
            return;
        }

        var pings = await Task.WhenAll(suspects.Select(async t =>
        {
            try
            {
                return await GrainFactory.GetGrain<ITrialGrain>(t.Trial.Id).PingAsync().WaitAsync(CallTimeout);
            }
            catch (Exception e) when (e is TimeoutException or OrleansException)
            {
                return null; // its silo is still being declared dead; the next check asks again
            }
        }));

        var changed = false;
        foreach (var (trial, ping) in suspects.Zip(pings))
        {
            if (ping is null || !(trial.Status == TrialStatus.Running || trial.AwaitingEnd))
            {
                continue;
            }

            if (ping.IsTraining)
            {
                trial.Silo = ping.Silo;
            }
            else if (ping.Ended is { } ended)
            {
                Apply(trial, ended);
                changed = true;
            }
            else if (trial.AwaitingEnd)
            {
                trial.EndLost();
                changed = true;
            }
            else
            {
                var silo = trial.Silo ?? "an unknown silo";
                trial.SiloLost();
                if (trial.Status == TrialStatus.Failed)
                {
                    TrialLostForGood(logger, trial.Trial.Id, trial.SiloLosses, silo);
                }
                else
                {
                    TrialLost(logger, trial.Trial.Id, silo, trial.Epochs);
                }

                changed = true;
            }
        }

        if (changed)
        {
            await state.WriteStateAsync();
        }
    }

    private static bool HasLeft(ClusterMembershipSnapshot snapshot, string silo) =>
        snapshot.GetSiloStatus(SiloAddress.FromParsableString(silo)) is SiloStatus.Dead or SiloStatus.None;

    /// <summary>
    /// Starts queued trials in order, each on the silo with the most free slots that can run it, until no silo
    /// has room; the timer tries again later. A trial no silo could ever run (CUDA on a CPU-only cluster) is
    /// marked unschedulable rather than left waiting.
    /// </summary>
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
            var queued = state.State.Trials.Where(t => t.Status == TrialStatus.Queued).ToList();
            var board = queued.Count > 0 && !state.State.CancelRequested ? await ReadSlotBoardAsync() : new SlotBoard([]);
            if (state.State.Spec!.Pack && !state.State.CancelRequested && state.State.EndReason is null)
            {
                changed |= await DispatchPacksAsync(queued, board);
                queued = [.. queued.Where(t => t.Status == TrialStatus.Queued)];
            }

            foreach (var trial in queued)
            {
                if (state.State.EndReason is { } ended)
                {
                    trial.Skip(ended); // queued again (its silo died) after the sweep ended
                    changed = true;
                    continue;
                }

                if (state.State.CancelRequested)
                {
                    // Queued again after the cancel (a stopping silo, a lost silo or a pack handed it back meanwhile).
                    trial.Status = TrialStatus.Cancelled;
                    changed = true;
                    continue;
                }

                if (!board.AnyFree && board.Silos.Count > 0)
                {
                    break;
                }

                var device = trial.Trial.Config.Device;
                if (board.IsUnschedulable(device))
                {
                    trial.Status = TrialStatus.Unschedulable;
                    trial.Error = board.Explain(device);
                    changed = true;
                    continue;
                }

                if (board.Pick(device) is not { } silo)
                {
                    continue;
                }

                var result = await StartOnAsync(trial, silo);
                changed |= Take(trial, result);
                if (result.Outcome == TrialStartOutcome.NoFreeSlot)
                {
                    board.Full(silo);
                }
                else if (result.Outcome == TrialStartOutcome.Started)
                {
                    board.Took(result.Silo ?? silo);
                }
            }

            var finished = state.State.Trials.All(t => t.Status.IsFinished());
            if (finished && state.State.Finished is null)
            {
                state.State.Finished = DateTimeOffset.UtcNow; // its last trial may end here (cancelled, unschedulable)
                changed = true;
            }

            if (changed)
            {
                await state.WriteStateAsync();
            }

            if (finished)
            {
                metrics.SweepUpdated(Progress());
                _dispatchTimer?.Dispose();
                _dispatchTimer = null;
                await UnregisterWatchdogAsync();
            }
        }
        finally
        {
            _dispatching = false;
        }
    }

    /// <summary>
    /// Starts queued trials that share a shape as packs, each trained on one slot as one batched computation: only
    /// trials that have not trained yet (a resumed trial continues alone), at least <see cref="PackMinimum"/> at a time,
    /// at most the spec's pack_size and what the silo takes. Returns whether a trial's end came back meanwhile.
    /// </summary>
    private async Task<bool> DispatchPacksAsync(IReadOnlyList<SweepTrialState> queued, SlotBoard board)
    {
        var changed = false;
        var groups = queued
            .Where(t => t.Epochs == 0 && t.Trial.Config.Device == Experiments.DeviceKind.Cpu)
            .GroupBy(t => Training.Packing.PackedSession.PackKey(t.Trial.Config))
            .Where(g => g.Key is not null);
        foreach (var group in groups)
        {
            var members = group.ToList();
            while (members.Count >= PackMinimum && board.PickForPack(PackMinimum) is { } silo)
            {
                var size = PackSize(members.Count, Math.Min(PackCap(members[0].Trial.Config), board.MaxPack(silo)));
                if (size < PackMinimum)
                {
                    break;
                }

                var pack = members[..size];
                members = members[size..];
                var ticket = new PackTicket(Guid.NewGuid().ToString("N"), size, silo);
                var results = await Task.WhenAll(pack.Select(t => StartOnAsync(t, silo, ticket)));
                foreach (var (trial, result) in pack.Zip(results))
                {
                    changed |= Take(trial, result);
                }

                board.Took(silo);
            }
        }

        return changed;
    }

    /// <summary>
    /// The most trials of this shape one pack may hold: the spec's pack_size, and no more than fit together in what one
    /// trial may take (<see cref="Limits.MaxTrialBytes"/>), since a pack holds all its members' memory at once.
    /// </summary>
    private int PackCap(TrialConfig config) =>
        Math.Min(state.State.Spec!.PackSize, TrialFootprint.Of(config).HowManyFitIn(Limits.MaxTrialBytes));

    /// <summary>
    /// Packs of equal size rather than full ones and a remainder: 24 trials at a cap of 16 train as 12 + 12, not 16 + 8,
    /// so two slots finish together instead of one waiting on the bigger pack.
    /// </summary>
    internal static int PackSize(int trials, int cap)
    {
        var packs = (trials + cap - 1) / cap;
        var even = (trials + packs - 1) / packs;
        return Math.Min(Math.Min(cap, trials), Math.Max(even, PackMinimum));
    }

    /// <summary>
    /// Records what a start answered: running, or already finished. Returns whether the state changed, which is written
    /// once per dispatch pass: running too, because a sweep that died with the silo it placed a trial on must find,
    /// once brought back, that the trial ran there, and count the loss (<see cref="SweepTrialState.SiloLost"/>); read
    /// back as queued, it would only start it again, and a trial that takes every silo down would go round forever.
    /// </summary>
    private static bool Take(SweepTrialState trial, TrialStartResult result)
    {
        if (result.Finished is { } finished)
        {
            trial.Apply(finished);
            return true;
        }

        if (result.Outcome == TrialStartOutcome.Started)
        {
            trial.Status = TrialStatus.Running;
            trial.Silo = result.Silo;
            return true;
        }

        return false;
    }

    /// <summary>Starts a trial with a placement hint, so a trial not active anywhere is activated (and trains) on <paramref name="silo"/>.</summary>
    private async Task<TrialStartResult> StartOnAsync(SweepTrialState trial, string silo, PackTicket? pack = null)
    {
        RequestContext.Set(IPlacementDirector.PlacementHintKey, SiloAddress.FromParsableString(silo));
        try
        {
            return await GrainFactory.GetGrain<ITrialGrain>(trial.Trial.Id)
                .StartAsync(this.GetPrimaryKeyString(), trial.Trial.Config, state.State.Spec!.CheckpointEvery, _stopping?.JudgedEpochs ?? [], pack);
        }
        finally
        {
            RequestContext.Remove(IPlacementDirector.PlacementHintKey);
        }
    }

    /// <summary>Every active silo's capacity; a silo that does not answer in time is left out of this pass.</summary>
    private async Task<SlotBoard> ReadSlotBoardAsync()
    {
        var silos = membership.CurrentSnapshot.Members.Values.Where(m => m.Status == SiloStatus.Active).ToList();
        var answers = await Task.WhenAll(silos.Select(async member =>
        {
            try
            {
                return await GrainFactory.GetGrain<ISiloSlotsGrain>(member.SiloAddress.ToParsableString())
                    .GetCapacityAsync().WaitAsync(CallTimeout);
            }
            catch (Exception e) when (e is TimeoutException or OrleansException)
            {
                return null;
            }
        }));
        return new SlotBoard(answers.OfType<SiloCapacity>());
    }

    private async Task UnregisterWatchdogAsync()
    {
        if (await this.GetReminder(WatchdogReminder) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    private SweepProgress Progress()
    {
        var summaries = state.State.Trials.Select(t => t.Summarise()).ToList();
        var done = summaries.Sum(t => (long)(t.Status.IsFinished() ? t.Trial.Config.Epochs : t.Epochs));
        var total = summaries.Sum(t => (long)t.Trial.Config.Epochs);
        var elapsed = DateTimeOffset.UtcNow - state.State.Started;
        var remaining = RemainingTime.Estimate(elapsed, done, total);
        return new SweepProgress(this.GetPrimaryKeyString(), state.State.Spec!.Name, summaries, done, total, state.State.Started, remaining, state.State.EndReason, state.State.Finished);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Sweep {SweepId} submitted with {Trials} trials")]
    private static partial void SweepSubmitted(ILogger logger, string sweepId, int trials);

    [LoggerMessage(Level = LogLevel.Information, Message = "Trial {TrialId} stopped early by {Rule}: {Reason}")]
    private static partial void TrialStoppedEarly(ILogger logger, string trialId, string rule, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sweep {SweepId} ends early: {Reason}")]
    private static partial void SweepEndedEarly(ILogger logger, string sweepId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not tell trial {TrialId} to stop; the watchdog will find its end")]
    private static partial void StopNotDelivered(ILogger logger, Exception exception, string trialId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not tell trial {TrialId} to cancel; the watchdog will find its end")]
    private static partial void CancelNotDelivered(ILogger logger, Exception exception, string trialId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Trial {TrialId} failed: it lost the silo it trained on {Losses} times, last {Silo}")]
    private static partial void TrialLostForGood(ILogger logger, string trialId, int losses, string silo);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Trial {TrialId} stopped training on {Silo} after {Epochs} reported epochs: queued again to resume from its checkpoint")]
    private static partial void TrialLost(ILogger logger, string trialId, string silo, int epochs);
}
