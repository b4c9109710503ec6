using Microsoft.Extensions.Logging;
using SweepCluster.Abstractions.Sweeps;
using SweepCluster.Engine;
using SweepCluster.Grains.Observability;
using SweepCluster.Storage;
using SweepCluster.Training.Training;

namespace SweepCluster.Grains.Sweeps;

/// <summary>
/// A sweep's grain: activation, timers, the watchdog reminder and the interface, over the pure sweep core
/// (<see cref="TrialLedger"/>, <see cref="SweepLimits"/>, <see cref="DispatchPlanner"/>, <see cref="SweepOverviews"/>).
/// Trials report their epochs here (<see cref="ReportAsync"/>): the grain writes them to the curve store, lets the ledger
/// apply them and the limits judge them. It places queued trials on free training slots, finds trials whose silo died
/// (its watchdog; a durable reminder brings the sweep back if its own silo died), and keeps its records in the sweep store.
/// </summary>
public sealed partial class SweepGrain(
    [PersistentState("sweep", "sweeps")] IPersistentState<SweepState> state,
    ICurveStore curves,
    ISweepStore store,
    ICheckpointStore checkpoints,
    IClusterMembershipService membership,
    SweepMetrics metrics,
    ILogger<SweepGrain> logger) : Grain, ISweepGrain, IRemindable
{
    private const string WatchdogReminder = "watchdog";
    private static readonly TimeSpan ReminderPeriod = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(10);

    private TrialLedger? _ledger;
    private SweepLimits? _limits;

    private string SweepId => this.GetPrimaryKeyString();

    private TrialLedger Ledger => _ledger ?? throw new InvalidOperationException($"sweep {SweepId} was never submitted");

    private SweepSpec Spec => state.State.Spec ?? throw new InvalidOperationException($"sweep {SweepId} was never submitted");

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (state.State.Spec is not { } spec)
        {
            return;
        }

        // O(1) store calls whatever the sweep's size: the trials come from the spec, their records from one read.
        _limits = new SweepLimits(spec);
        _ledger = TrialLedger.Restore(await PlanAsync(spec), _limits.JudgedEpochs, await store.ReadChunksAsync(SweepId), spec.Objective);
        if (!_ledger.AllFinished || MoreToSuggest)
        {
            StartDispatching();
        }
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        metrics.SweepRemoved(SweepId);
        if (_write is not null || _unwritten.Count > 0)
        {
            await PersistAsync();
        }
    }

    public async Task<SweepOverview> SubmitAsync(SweepSpec spec, string specYaml)
    {
        // Any client may call this: the spec is checked here too, before anything is stored or started.
        SweepSpecValidator.EnsureValid(spec, specYaml);
        if (state.State.Spec is null)
        {
            var limits = new SweepLimits(spec);
            var ledger = new TrialLedger(await PlanAsync(spec), limits.JudgedEpochs, spec.Objective);
            limits.SkipOverMaxTrials(ledger);
            await store.WriteSpecAsync(SweepId, specYaml);

            // All at once, after the await: queries interleave, and see the sweep whole or not at all.
            (_limits, _ledger, state.State.Spec, state.State.Started) = (limits, ledger, spec, DateTimeOffset.UtcNow);
            SweepSubmitted(logger, SweepId, ledger.Count);
        }
        else if (state.State.EndReason is null)
        {
            // Submitting again re-attaches; trials that failed, were cancelled or could not be placed get another go
            // (unless a budget or the target already ended the sweep).
            if (Ledger.RequeueUnfinished() > 0)
            {
                state.State.Finished = null;
            }

            state.State.CancelRequested = false;
        }

        await PersistAsync();
        await UpdateListingAsync(force: true);
        await this.RegisterOrUpdateReminder(WatchdogReminder, ReminderPeriod, ReminderPeriod);
        StartDispatching();
        await DispatchAsync();
        return Overview(0, 10);
    }

    public async Task<ReportAck> ReportAsync(TrialReport report)
    {
        if (_ledger?.IndexOf(report.TrialId) is not { } index)
        {
            return new ReportAck(0, false, Done: true); // not a trial of this sweep, or of a sweep forgotten
        }

        var intake = _ledger.Accept(index, report);
        if (intake.Gap)
        {
            return _ledger.Ack(index);
        }

        if (intake.NewEpochs.Count > 0)
        {
            // Durable before applied: a failing write fails the call, and the outbox sends the batch again.
            await curves.WriteAsync(report.TrialId, intake.NewEpochs);
        }

        var (version, busy) = (_ledger.Version, Busy(index));
        _ledger.Apply(index, intake.NewEpochs, report.End);
        if (intake.NewEpochs.Count > 0 && state.State.EndReason is null && _limits!.AfterEpochs(_ledger, index, intake.NewEpochs) is { } decision)
        {
            await DecideAsync(decision, index);
        }

        if (busy && !Busy(index))
        {
            await DispatchAsync(); // its slot is free: refill it first; the state write can follow
            await CheckFinishedAsync();
        }

        if (_ledger.Version != version)
        {
            Changed();
        }

        return _ledger.Ack(index, report.End);
    }

    public async Task TrialSuspendedAsync(string trialId)
    {
        if (_ledger?.IndexOf(trialId) is { } index && _ledger[index].Status == TrialStatus.Running)
        {
            _ledger.ReturnToQueue(index);
            Changed();
            await DispatchAsync();
        }
    }

    public async Task CancelAsync()
    {
        if (_ledger is null)
        {
            return;
        }

        state.State.CancelRequested = true;
        foreach (var index in _ledger.CancelQueued())
        {
            if (!await CancelTrialAsync(index))
            {
                _ledger.Cancel(index); // it trains on for another sweep; no end comes here
            }
        }

        await PersistAsync();
        await CheckFinishedAsync();
    }

    /// <summary>
    /// Cancels a running trial for this sweep. True when its end (cancelled) is on its way, or, its silo not answering,
    /// the watchdog finds it: queued again while the sweep is cancelling, it ends cancelled there.
    /// </summary>
    private async Task<bool> CancelTrialAsync(int index)
    {
        var trialId = Ledger.Planned(index).Id;
        try
        {
            return await GrainFactory.GetGrain<ITrialGrain>(trialId).CancelAsync(SweepId).WaitAsync(CallTimeout);
        }
        catch (Exception e) when (e is TimeoutException or OrleansException)
        {
            CancelNotDelivered(logger, e, trialId);
            return true;
        }
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (_ledger is null || (_ledger.AllFinished && !MoreToSuggest))
        {
            await UnregisterWatchdogAsync();
            return;
        }

        StartDispatching();
    }

    /// <summary>Holds a training slot: running, or stopped and its end not yet come (which frees the slot).</summary>
    private bool Busy(int index) => Ledger[index] is { Status: TrialStatus.Running } or { AwaitingEnd: true };

    /// <summary>
    /// Sets when the sweep finished (null again when a trial was queued again), and once it has: written at once, its
    /// final row sent to the registry, its timer and watchdog stopped.
    /// </summary>
    private async Task CheckFinishedAsync()
    {
        var finished = Ledger.AllFinished && !MoreToSuggest;
        if (finished != state.State.Finished is not null)
        {
            state.State.Finished = finished ? DateTimeOffset.UtcNow : null;
            if (!finished)
            {
                Changed();
                return;
            }

            await PersistAsync();
            UpdateMetrics(force: true);
            await UpdateListingAsync(force: true);
        }

        if (finished && _dispatchTimer is not null)
        {
            _dispatchTimer.Dispose();
            _dispatchTimer = null;
            await UnregisterWatchdogAsync();
        }
    }

    private async Task UnregisterWatchdogAsync()
    {
        if (await this.GetReminder(WatchdogReminder) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
    }
}
