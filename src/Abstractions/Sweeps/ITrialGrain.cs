using Orleans.Concurrency;
using SweepCluster.Experiments;

namespace SweepCluster.Abstractions.Sweeps;

/// <summary>
/// One trial (key: its id, derived from configuration and seed). Trains on its silo's training slots, off
/// the Orleans scheduler, and streams its epochs to every sweep that asked for it.
/// </summary>
public interface ITrialGrain : IGrainWithStringKey
{
    /// <summary>
    /// Start training (or report that it is running, finished, or that the silo has no free slot). At each of
    /// <paramref name="judgedEpochs"/> training waits for the sweep's early-stopping verdict (<see cref="ISweepGrain.JudgeAsync"/>).
    /// With a <paramref name="pack"/> ticket it trains packed with the ticket's other members, or answers NoFreeSlot.
    /// </summary>
    Task<TrialStartResult> StartAsync(string sweepId, TrialConfig config, int checkpointEvery, IReadOnlyList<int> judgedEpochs, PackTicket? pack);

    /// <summary>Called by the silo's training worker, in epoch order.</summary>
    Task ReportEpochsAsync(IReadOnlyList<EpochReport> epochs);

    /// <summary>Called by the silo's training worker once, when training ends however it ends.</summary>
    Task CompleteAsync(TrialEnded ended);

    /// <summary>
    /// Called by the silo's training worker when its silo shuts down: the trial checkpointed and goes back to its
    /// sweeps' queues, to resume on another silo.
    /// </summary>
    Task SuspendAsync();

    /// <summary>The sweep's watchdog asks whether the trial still trains, and where, or how it ended.</summary>
    Task<TrialPing> PingAsync();

    /// <summary>
    /// <paramref name="sweepId"/> no longer wants the trial. Training is cancelled (the trial ends
    /// <see cref="TrialStatus.Cancelled"/>, told to its sweeps) unless another sweep that asked for this run still
    /// wants it: then it trains on for that one, <paramref name="sweepId"/> stops following it, and false comes back.
    /// </summary>
    Task<bool> CancelAsync(string sweepId);

    /// <summary>
    /// Its sweep stops it early (an early-stopping rule, a budget, a target): training ends within one step and the
    /// trial ends <see cref="TrialStatus.Stopped"/> with the epochs it trained. Nothing happens if it does not train.
    /// </summary>
    [AlwaysInterleave]
    Task StopEarlyAsync();

    /// <summary>How the trial ended, with its whole curve; null while it has not.</summary>
    [AlwaysInterleave]
    Task<TrialEnded?> GetEndedAsync();
}
