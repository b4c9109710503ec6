using System.Diagnostics;
using Orleans.Runtime.Placement;
using SweepCluster.Abstractions.Cluster;
using SweepCluster.Abstractions.Sweeps;
using SweepCluster.Engine;
using SweepCluster.Storage;
using SweepCluster.Training.Packing;

namespace SweepCluster.Grains.Sweeps;

/// <summary>
/// The dispatch timer: every <see cref="DispatchPeriod"/> the time limit, the watchdog, then a dispatch pass that starts
/// queued trials on free slots as the <see cref="DispatchPlanner"/> plans them (and at once when a slot frees).
/// </summary>
public sealed partial class SweepGrain
{
    internal static readonly TimeSpan DispatchPeriod = TimeSpan.FromSeconds(1);

    private IGrainTimer? _dispatchTimer;
    private bool _dispatching;
    private long _meteredVersion = -1;

    private void StartDispatching() =>
        _dispatchTimer ??= this.RegisterGrainTimer(
            _ => TickAsync(), new GrainTimerCreationOptions(TimeSpan.Zero, DispatchPeriod) { KeepAlive = true });

    private async Task TickAsync()
    {
        if (_ledger is null)
        {
            return;
        }

        if (state.State.EndReason is null && _limits!.AtTick(_ledger, state.State.Started, DateTimeOffset.UtcNow) is EndSweep end)
        {
            await EndAsync(end);
        }

        await CheckRunningAsync();
        await DispatchAsync();
        UpdateMetrics();
        await UpdateListingAsync();
    }

    /// <summary>
    /// One pass: marks what can never start (unschedulable, or queued after a cancel or the sweep's end), then starts the
    /// planned packs and trials. Starts are written at once: a sweep that died with the silo it placed a trial on must
    /// find, once brought back, that the trial ran there and count the loss (<see cref="TrialLedger.SiloLost"/>); read
    /// back as queued it would only start it again, and a trial that takes every silo down would go round forever.
    /// </summary>
    private async Task DispatchAsync()
    {
        if (_dispatching || _ledger is not { } ledger)
        {
            return;
        }

        _dispatching = true;
        try
        {
            // A trial found finished (reused from another sweep) took no slot: plan again at once rather than leave that
            // slot idle until the next tick, or a re-run sweep would wait a second per pack it finds done. For a tick's
            // length at most: a huge re-run must not hold the grain from the calls waiting on it (the next tick goes on).
            var passes = Stopwatch.StartNew();
            while (await DispatchPassAsync(ledger) && passes.Elapsed < DispatchPeriod)
            {
            }

            await CheckFinishedAsync();
        }
        finally
        {
            _dispatching = false;
        }
    }

    /// <summary>One planning pass; true when it found trials already finished, so their slots are still free.</summary>
    private async Task<bool> DispatchPassAsync(TrialLedger ledger)
    {
        var version = ledger.Version;
        var board = (ledger.Queued.Any() || MoreToSuggest) && !state.State.CancelRequested ? await ReadSlotBoardAsync() : new SlotBoard([]);
        await SuggestAsync(board);
        var plan = DispatchPlanner.Plan(ledger, board, Spec, state.State.CancelRequested, state.State.EndReason, PackedSession.PackKey);
        plan.ApplyMarks(ledger);

        var started = false;
        var full = new HashSet<string>();
        var reused = new List<(int Index, TrialEnd End)>();
        foreach (var action in plan.Actions)
        {
            var starts = action switch
            {
                StartPack pack => pack.Indices.Select(i => (Index: i, Silo: pack.Ticket.Silo, Pack: (PackTicket?)pack.Ticket)).ToList(),
                StartTrial single when !full.Contains(single.Silo) => [(single.Index, single.Silo, null)],
                _ => [],
            };
            var results = await Task.WhenAll(starts.Select(s => StartOnAsync(s.Index, s.Silo, s.Pack)));
            if (action is StartPack planned && results.Any(r => r.Outcome != TrialStartOutcome.Started))
            {
                // Every member that will join has: the pack need not wait for the others.
                await GrainFactory.GetGrain<ISiloSlotsGrain>(planned.Ticket.Silo).StartPackAsync(planned.Ticket.PackId);
            }

            foreach (var ((index, silo, _), result) in starts.Zip(results))
            {
                if (result.Finished is { } finished)
                {
                    reused.Add((index, finished));
                }
                else if (result.Outcome == TrialStartOutcome.Started)
                {
                    ledger.Started(index, result.Silo ?? silo);
                    started = true;
                }
                else if (result.Outcome == TrialStartOutcome.NoFreeSlot)
                {
                    full.Add(silo); // another sweep was faster: the rest of this pass skips the silo
                }
            }
        }

        if (started)
        {
            await PersistAsync();
            version = ledger.Version;
        }

        await ApplyFinishedAsync(reused);
        if (ledger.Version != version)
        {
            Changed();
        }

        return reused.Count > 0 && ledger.Queued.Any();
    }

    /// <summary>Trials found ended (reused from another sweep, or by the watchdog): their curves read in one store call.</summary>
    private async Task ApplyFinishedAsync(IReadOnlyList<(int Index, TrialEnd End)> ended)
    {
        if (ended.Count == 0)
        {
            return;
        }

        var read = await curves.ReadAsync([.. ended.Select(e => new CurveRequest(Ledger.Planned(e.Index).Id, e.End.Epochs))]);
        foreach (var ((index, end), curve) in ended.Zip(read))
        {
            Ledger.ApplyFinished(index, end, curve);
        }
    }

    /// <summary>Starts a trial with a placement hint, so a trial not active anywhere is activated (and trains) on <paramref name="silo"/>.</summary>
    private async Task<TrialStartResult> StartOnAsync(int index, string silo, PackTicket? pack)
    {
        var trial = Ledger.Planned(index);
        RequestContext.Set(IPlacementDirector.PlacementHintKey, SiloAddress.FromParsableString(silo));
        try
        {
            return await GrainFactory.GetGrain<ITrialGrain>(trial.Id)
                .StartAsync(SweepId, trial.Config, Spec.CheckpointEvery, Ledger.JudgedEpochs, pack);
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

    /// <summary>The sweep's gauges, when its ledger changed since they were last set (or <paramref name="force"/>).</summary>
    private void UpdateMetrics(bool force = false)
    {
        if (_ledger is not { } ledger || (!force && ledger.Version == _meteredVersion))
        {
            return;
        }

        _meteredVersion = ledger.Version;
        var best = Enumerable.Range(0, ledger.Count).Select(i => ledger[i].FinalLoss).Min();
        metrics.SweepUpdated(Overview(0, 0), best);
    }
}
